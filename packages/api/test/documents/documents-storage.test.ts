import { S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { registerClient, staff, type Staff } from '../clients/clients-helpers.js';
import { eventually } from '../platform/eventually.js';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  DOCUMENTS,
  documentsDb,
  executable,
  localBlobs,
  multipartBody,
  pdf,
  problemType,
  rowCounts,
  s3Blobs,
  sha256,
  upload,
  uploaded,
  type BlobListing,
  type DocumentView,
} from './documents-helpers.js';

const MiB = 1024 * 1024;
/** Above the S3 store's 8 MiB part, so a failed upload there has a multipart upload to abort. */
const MAX_BYTES = 9 * MiB;

/** One way of keeping the bytes: the app's settings for it and a view of everything it holds. */
interface Store {
  overrides: Record<string, string>;
  blobs: BlobListing;
  close(): Promise<void>;
}

const stores: { name: string; open: () => Promise<Store> }[] = [
  {
    name: 'local disk',
    open: async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'ehrms-documents-'));
      return {
        overrides: { DATA_DIR: dataDir },
        blobs: localBlobs(dataDir),
        close: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3 (s3rver)',
    open: async () => {
      const server: S3TestServer = await startS3TestServer();
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: server.credentials,
      });
      return {
        overrides: {
          BLOB_STORE: 's3',
          S3_ENDPOINT: server.endpoint,
          S3_BUCKET: server.bucket,
          S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
          S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
          S3_FORCE_PATH_STYLE: 'true',
        },
        blobs: s3Blobs(client, server.bucket),
        close: async () => {
          client.destroy();
          await server.close();
        },
      };
    },
  },
];

describe.each(stores)('documents stored on $name', ({ open }) => {
  let store: Store;
  let t: TestApp;
  let worker: Staff;
  let clientId: string;

  beforeAll(async () => {
    store = await open();
    t = await startTestApp({ ...store.overrides, DOCUMENT_MAX_BYTES: String(MAX_BYTES) });
    worker = await staff(t, 'case_manager', DEMO_TEAM_IDS.bhOutpatient);
    clientId = (await registerClient(t, worker.token, { familyName: 'Storage' })).id;
  });
  afterAll(async () => {
    await t.close();
    await store.close();
  });

  const download = (id: string, headers: Record<string, string> = {}, query = '') =>
    t.http.request({
      method: 'GET',
      url: `${DOCUMENTS}/${id}/content${query}`,
      token: worker.token,
      headers,
    });

  /** Runs a failing upload and checks it left no row and no blob (nor any part of one). */
  async function leavesNothing(attempt: () => Promise<void>): Promise<void> {
    const rowsBefore = await rowCounts(t);
    const blobsBefore = await store.blobs.contents();
    await attempt();
    // The server may still be tidying up after answering (or after the client went away).
    await eventually('the failed upload to be cleaned up', async () => {
      const blobs = await store.blobs.contents();
      return JSON.stringify(blobs) === JSON.stringify(blobsBefore) || undefined;
    });
    expect(await rowCounts(t)).toEqual(rowsBefore);
    expect(await store.blobs.contents()).toEqual(blobsBefore);
  }

  it('streams an upload to the store and back: same bytes, size and SHA-256, safe headers', async () => {
    const bytes = pdf(300_000);
    const doc = await uploaded(
      t,
      worker.token,
      { clientId, title: 'Intake assessment' },
      {
        bytes,
        name: 'évaluation d’accueil.pdf',
        type: 'application/pdf',
      },
    );
    expect(doc.currentVersion).toMatchObject({
      number: 1,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      contentType: 'application/pdf',
      filename: 'évaluation d’accueil.pdf',
    });
    expect(await store.blobs.contents()).toHaveLength(1);

    const res = await download(doc.id);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      etag: `"${sha256(bytes)}"`,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    });
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_valuation d_accueil.pdf"; filename*=UTF-8''%C3%A9valuation%20d%E2%80%99accueil.pdf`,
    );
    const again = await download(doc.id, { 'if-none-match': `"${sha256(bytes)}"` });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload).toHaveLength(0);
  });

  it('answers byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    const bytes = pdf(50_000);
    const doc = await uploaded(t, worker.token, { clientId }, { bytes });
    const middle = await download(doc.id, { range: 'bytes=100-1099' });
    expect(middle.statusCode).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 100-1099/${bytes.length}`);
    expect(middle.headers['content-length']).toBe('1000');
    expect(middle.rawPayload.equals(bytes.subarray(100, 1100))).toBe(true);

    const tail = await download(doc.id, { range: 'bytes=-500' });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 500))).toBe(true);

    const beyond = await download(doc.id, { range: `bytes=${bytes.length}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`);

    // A resumed download of content that has since changed gets the whole file instead.
    const stale = await download(doc.id, { range: 'bytes=0-9', 'if-range': `"${'0'.repeat(64)}"` });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.equals(bytes)).toBe(true);
  });

  it('refuses a file one byte over DOCUMENT_MAX_BYTES with 413, storing nothing', async () => {
    await leavesNothing(async () => {
      const res = await upload(
        t,
        worker.token,
        { clientId, title: 'Too big', category: 'other' },
        {
          bytes: pdf(MAX_BYTES + 1),
        },
      );
      expect(res.statusCode).toBe(413);
      expect(problemType(res)).toBe('payload-too-large');
    });
    // Exactly at the limit is fine.
    const atLimit = await uploaded(t, worker.token, { clientId }, { bytes: pdf(MAX_BYTES) });
    expect(atLimit.currentVersion.sizeBytes).toBe(MAX_BYTES);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    await leavesNothing(async () => {
      const { boundary, head } = multipartBody(
        { clientId, title: 'Huge', category: 'other' },
        { bytes: Buffer.alloc(0) },
      );
      const res = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: DOCUMENTS,
          headers: {
            authorization: `Bearer ${worker.token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': String(MAX_BYTES * 2),
          },
          payload: head,
        });
      expect(res.statusCode).toBe(413);
      expect(res.headers.connection).toBe('close');
    });
  });

  it('refuses content that is not an accepted type with 415 naming what it is, whatever the name says', async () => {
    await leavesNothing(async () => {
      const res = await upload(
        t,
        worker.token,
        { clientId, title: 'Report', category: 'clinical_report' },
        {
          bytes: executable(),
          name: 'report.pdf',
          type: 'application/pdf',
        },
      );
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({
        type: 'https://ehrms.dev/problems/unsupported-document-type',
        detectedType: 'application/vnd.microsoft.portable-executable',
      });
    });
    await leavesNothing(async () => {
      const res = await upload(
        t,
        worker.token,
        { clientId, title: 'Empty', category: 'other' },
        {
          bytes: Buffer.alloc(0),
        },
      );
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ detectedType: 'empty' });
    });
  });

  it('leaves nothing when the request body breaks off midway (past the first S3 part)', async () => {
    const { boundary, head } = multipartBody(
      { clientId, title: 'Cut short', category: 'other' },
      { bytes: Buffer.alloc(0) },
    );
    await leavesNothing(async () => {
      const sent = { bytes: 0 };
      const body = new Readable({
        read() {
          if (sent.bytes === 0) {
            this.push(head);
            this.push(Buffer.from('%PDF-1.7\n'));
          }
          if (sent.bytes >= 8.5 * MiB) {
            this.destroy(new Error('the network went away'));
            return;
          }
          const chunk = randomBytes(256 * 1024);
          sent.bytes += chunk.length;
          this.push(chunk);
        },
      });
      // The client side of the request fails; whatever the server answers, it must clean up.
      const outcome = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: DOCUMENTS,
          headers: {
            authorization: `Bearer ${worker.token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
          payload: body,
        })
        .then(
          (res) => res.statusCode,
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
      expect([400, 'the network went away']).toContain(outcome);
      expect(sent.bytes).toBeGreaterThanOrEqual(8.5 * MiB);
    });
  });

  it('leaves nothing when the client disconnects midway through a real HTTP upload', async () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const { boundary, head } = multipartBody(
      { clientId, title: 'Abandoned', category: 'other' },
      { bytes: Buffer.alloc(0) },
    );
    let answeredEarly = false;
    await leavesNothing(async () => {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${address}${DOCUMENTS}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${worker.token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
          },
        });
        req.on('error', () => resolve());
        req.on('response', (res) => {
          // Only a refusal before the body was read (401, 413…) answers while it is still sent.
          answeredEarly = true;
          res.resume();
          resolve();
        });
        req.write(head);
        req.write(Buffer.from('%PDF-1.7\n'));
        let sent = 0;
        const pump = () => {
          while (sent < 8.5 * MiB) {
            sent += 128 * 1024;
            if (!req.write(randomBytes(128 * 1024))) {
              req.once('drain', pump);
              return;
            }
          }
          // Give the server a moment to start storing, then go away without finishing.
          setTimeout(() => req.destroy(), 200);
        };
        pump();
      });
    });
    expect(answeredEarly).toBe(false);
  });

  it('removes the stored bytes again when recording the document fails', async () => {
    const db = documentsDb(t);
    await sql`
      CREATE FUNCTION documents.test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.original_filename = 'refused-by-the-database.pdf' THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER test_refuse_insert BEFORE INSERT ON documents.document_versions
      FOR EACH ROW EXECUTE FUNCTION documents.test_refuse_insert()`.execute(db);
    try {
      await leavesNothing(async () => {
        const res = await upload(
          t,
          worker.token,
          { clientId, title: 'Refused', category: 'other' },
          {
            bytes: pdf(40_000),
            name: 'refused-by-the-database.pdf',
          },
        );
        expect(res.statusCode).toBe(500);
      });
    } finally {
      await sql`DROP TRIGGER test_refuse_insert ON documents.document_versions`.execute(db);
    }
  });

  it('removes a new version’s bytes when its number is taken (a unique violation)', async () => {
    const doc = await uploaded(t, worker.token, { clientId, title: 'Versioned' });
    // A version 2 that appeared behind the service's back (as a concurrent upload would).
    await documentsDb(t)
      .insertInto('documents.document_versions')
      .values({
        document_id: doc.id,
        version_number: 2,
        blob_key: `documents/${doc.id}/elsewhere`,
        size_bytes: 1,
        sha256: '0'.repeat(64),
        content_type: 'application/pdf',
        original_filename: 'other.pdf',
        uploaded_by: worker.id,
      })
      .execute();
    await leavesNothing(async () => {
      const res = await upload(
        t,
        worker.token,
        {},
        { bytes: pdf(10_000) },
        {
          url: `${DOCUMENTS}/${doc.id}/versions`,
          headers: { 'if-match': `"${doc.version}"` },
        },
      );
      expect(res.statusCode).toBe(409);
      expect(problemType(res)).toBe('version-conflict');
    });
    const after = await t.http.request({ method: 'GET', url: `${DOCUMENTS}/${doc.id}`, token: worker.token });
    expect(after.json<DocumentView>().currentVersion.number).toBe(1);
  });
});
