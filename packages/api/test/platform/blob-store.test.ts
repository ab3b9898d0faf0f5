import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/platform/config/config.js';
import {
  BlobNotFoundError,
  BlobRangeNotSatisfiableError,
  BlobTooLargeError,
  InvalidBlobKeyError,
} from '../../src/platform/storage/blob-errors.js';
import { contentRangeHeader, parseRangeHeader } from '../../src/platform/storage/blob-range.js';
import { BLOB_STORE, type BlobStore } from '../../src/platform/storage/blob-store.js';
import {
  allowedDocumentTypes,
  documentContentType,
  readHead,
  sniffContentType,
  SNIFF_BYTES,
} from '../../src/platform/storage/content-type.js';
import { LocalDiskBlobStore } from '../../src/platform/storage/local-disk-blob-store.js';
import { S3BlobStore } from '../../src/platform/storage/s3-blob-store.js';
import { openBlobStore } from '../../src/platform/storage/storage.module.js';
import { startS3TestServer, type S3TestServer } from '../support/s3-test-server.js';
import { startTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

const MiB = 1024 * 1024;
/** The smallest part S3 accepts; uploads above it go multipart. */
const PART_SIZE = 5 * MiB;

/** One store under test, and a way to see everything it holds, finished or not. */
interface Subject {
  store: BlobStore;
  /** Stored blobs by key, plus anything an upload left behind (temp files, pending multipart uploads). */
  contents(): Promise<string[]>;
  close(): Promise<void>;
}

const subjects: { name: string; open: () => Promise<Subject> }[] = [
  {
    name: 'LocalDiskBlobStore',
    open: async () => {
      const root = await mkdtemp(join(tmpdir(), 'ehrms-blobs-'));
      const store = new LocalDiskBlobStore(root);
      return {
        store,
        contents: async () => (await filesUnder(root)).map((f) => f.replace(/\.blob$/, '')),
        close: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3BlobStore on s3rver',
    open: async () => {
      const server = await startS3TestServer();
      const store = new S3BlobStore({ ...s3Options(server), partSize: PART_SIZE });
      const client = new S3Client({ ...s3Options(server) });
      return {
        store,
        contents: async () => {
          const objects = await client.send(new ListObjectsV2Command({ Bucket: server.bucket }));
          const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: server.bucket }));
          return [
            ...(objects.Contents ?? []).map((o) => o.Key ?? ''),
            ...(uploads.Uploads ?? []).map((u) => `pending upload of ${u.Key ?? ''}`),
          ];
        },
        close: async () => {
          store.destroy();
          client.destroy();
          await server.close();
        },
      };
    },
  },
];

describe.each(subjects)('$name keeps the blob store contract', ({ open }) => {
  let subject: Subject;
  let store: BlobStore;
  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });
  afterAll(async () => {
    await subject.close();
  });

  it('stores a streamed upload and gives back the same bytes, size and SHA-256', async () => {
    const bytes = randomBytes(300_000);
    const stored = await store.put('documents/round-trip/1', chunked(bytes, 16_384), {
      maxBytes: 1 * MiB,
      contentType: 'application/pdf',
    });
    expect(stored).toEqual({ key: 'documents/round-trip/1', size: bytes.length, sha256: sha256(bytes) });
    expect(await store.head('documents/round-trip/1')).toEqual({
      key: 'documents/round-trip/1',
      size: bytes.length,
    });
    expect(await store.exists('documents/round-trip/1')).toBe(true);
    const read = await store.get('documents/round-trip/1');
    expect(read).toMatchObject({ size: bytes.length, contentLength: bytes.length, range: null });
    expect((await buffer(read.stream)).equals(bytes)).toBe(true);
  });

  it('stores an upload larger than one multipart part, and an empty one', async () => {
    const bytes = randomBytes(2 * PART_SIZE + 123_457);
    const stored = await store.put('documents/large/1', chunked(bytes, 64 * 1024), { maxBytes: 20 * MiB });
    expect(stored.sha256).toBe(sha256(bytes));
    expect((await buffer((await store.get('documents/large/1')).stream)).equals(bytes)).toBe(true);

    const empty = await store.put('documents/empty/1', Readable.from([]), { maxBytes: 10 });
    expect(empty).toEqual({ key: 'documents/empty/1', size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect((await store.get('documents/empty/1')).contentLength).toBe(0);
  });

  it('replaces a blob put again under the same key', async () => {
    await store.put('documents/replaced/1', Readable.from([Buffer.from('first version')]), { maxBytes: 100 });
    await store.put('documents/replaced/1', Readable.from([Buffer.from('second')]), { maxBytes: 100 });
    expect((await buffer((await store.get('documents/replaced/1')).stream)).toString()).toBe('second');
  });

  it('reads byte ranges as HTTP asks for them, and refuses one past the end with its size', async () => {
    const bytes = Buffer.from('0123456789abcdefghij'); // 20 bytes
    await store.put('documents/ranges/1', Readable.from([bytes]), { maxBytes: 100 });
    const cases = [
      { range: { start: 2, end: 5 }, span: { start: 2, end: 5 }, text: '2345' },
      { range: { start: 15 }, span: { start: 15, end: 19 }, text: 'fghij' },
      { range: { start: 18, end: 500 }, span: { start: 18, end: 19 }, text: 'ij' },
      { range: { suffix: 3 }, span: { start: 17, end: 19 }, text: 'hij' },
      { range: { suffix: 50 }, span: { start: 0, end: 19 }, text: bytes.toString() },
      { range: { start: 19, end: 19 }, span: { start: 19, end: 19 }, text: 'j' },
    ];
    for (const { range, span, text } of cases) {
      const read = await store.get('documents/ranges/1', range);
      expect(read, JSON.stringify(range)).toMatchObject({
        size: 20,
        contentLength: text.length,
        range: span,
      });
      expect((await buffer(read.stream)).toString(), JSON.stringify(range)).toBe(text);
    }

    for (const range of [{ start: 20 }, { start: 25, end: 30 }, { suffix: 0 }]) {
      const refused = await store.get('documents/ranges/1', range).catch((e: unknown) => e);
      expect(refused, JSON.stringify(range)).toBeInstanceOf(BlobRangeNotSatisfiableError);
      expect(refused).toMatchObject({ status: 416, size: 20, headers: { 'content-range': 'bytes */20' } });
    }
    await expect(store.get('documents/empty-ranged/1', { start: 0 })).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
  });

  it('refuses an upload over the size limit and leaves nothing behind', async () => {
    const before = await subject.contents();
    const exact = await store.put('documents/limit/1', chunked(randomBytes(1000), 100), { maxBytes: 1000 });
    expect(exact.size).toBe(1000);

    const overSmall = store.put('documents/limit/2', chunked(randomBytes(1001), 100), { maxBytes: 1000 });
    await expect(overSmall).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(overSmall).rejects.toMatchObject({ status: 413, limit: 1000 });

    // Past the limit after two multipart parts have been sent.
    const source = chunked(randomBytes(2 * PART_SIZE + MiB), 256 * 1024);
    const overLarge = store.put('documents/limit/3', source, { maxBytes: 2 * PART_SIZE + 10 });
    await expect(overLarge).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(source.destroyed).toBe(true);

    expect((await subject.contents()).sort()).toEqual([...before, 'documents/limit/1'].sort());
    expect(await store.exists('documents/limit/2')).toBe(false);
    expect(await store.exists('documents/limit/3')).toBe(false);
  });

  it('leaves nothing behind, and keeps the previous blob, when the upload stream fails midway', async () => {
    await store.put('documents/broken/1', Readable.from([Buffer.from('the signed original')]), {
      maxBytes: 100,
    });
    const before = await subject.contents();

    const early = store.put('documents/broken/1', failingAfter(50_000), { maxBytes: 20 * MiB });
    await expect(early).rejects.toThrow('client went away');
    const late = store.put('documents/broken/2', failingAfter(2 * PART_SIZE + 1000), { maxBytes: 20 * MiB });
    await expect(late).rejects.toThrow('client went away');

    expect((await subject.contents()).sort()).toEqual(before.sort());
    expect((await buffer((await store.get('documents/broken/1')).stream)).toString()).toBe(
      'the signed original',
    );
  });

  it('refuses keys that could leave the store or are not in the key alphabet', async () => {
    const before = await subject.contents();
    const bad = [
      '',
      '../escape',
      'documents/../../escape',
      '/etc/passwd',
      'documents//1',
      'documents/./1',
      'documents/1/',
      'documents\\1',
      'documents/.hidden',
      'report.pdf',
      'documents/a\u0000b',
      'x'.repeat(129),
      Array.from({ length: 17 }, () => 'a').join('/'),
    ];
    for (const key of bad) {
      await expect(
        store.put(key, Readable.from([Buffer.from('x')]), { maxBytes: 10 }),
        key,
      ).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.exists(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
    expect(await subject.contents()).toEqual(before);
  });

  it('deletes idempotently, and a deleted blob is not found', async () => {
    await store.put('documents/deleted/1', Readable.from([Buffer.from('bye')]), { maxBytes: 10 });
    await store.delete('documents/deleted/1');
    expect(await store.exists('documents/deleted/1')).toBe(false);
    expect(await store.head('documents/deleted/1')).toBeNull();
    await expect(store.get('documents/deleted/1')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.delete('documents/deleted/1')).resolves.toBeUndefined();
    await expect(store.delete('documents/never-there/1')).resolves.toBeUndefined();
  });

  it('keeps a key and a key below it apart (a/b and a/b/c)', async () => {
    await store.put('nested/a', Readable.from([Buffer.from('outer')]), { maxBytes: 10 });
    await store.put('nested/a/b', Readable.from([Buffer.from('inner')]), { maxBytes: 10 });
    expect((await buffer((await store.get('nested/a')).stream)).toString()).toBe('outer');
    expect((await buffer((await store.get('nested/a/b')).stream)).toString()).toBe('inner');
  });

  it('reports itself ready', async () => {
    await expect(store.checkHealth()).resolves.toBeUndefined();
  });
});

describe('LocalDiskBlobStore on disk', () => {
  it('keeps blob files readable by the service user only', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ehrms-blobs-'));
    try {
      await new LocalDiskBlobStore(root).put('documents/x/1', Readable.from([Buffer.from('phi')]), {
        maxBytes: 10,
      });
      expect((await stat(join(root, 'documents/x/1.blob'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(root, 'documents/x'))).mode & 0o777).toBe(0o700);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('is not ready when its folder cannot be created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ehrms-blobs-'));
    try {
      await writeFile(join(root, 'a-file'), 'x');
      await expect(new LocalDiskBlobStore(join(root, 'a-file', 'blobs')).checkHealth()).rejects.toThrow();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('S3BlobStore against s3rver', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3TestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is not ready when its bucket does not exist', async () => {
    const missing = new S3BlobStore({ ...s3Options(server), bucket: 'no-such-bucket' });
    try {
      await expect(missing.checkHealth()).rejects.toThrow();
    } finally {
      missing.destroy();
    }
  });

  it('the pending-upload listing the contract relies on does see an unfinished upload', async () => {
    // Guards the test server's stand-in for ListMultipartUploads: were it blind, the "nothing
    // left behind" checks above would pass vacuously.
    const client = new S3Client(s3Options(server));
    try {
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: server.bucket, Key: 'stray/1' }),
      );
      await client.send(
        new UploadPartCommand({
          Bucket: server.bucket,
          Key: 'stray/1',
          UploadId: created.UploadId,
          PartNumber: 1,
          Body: Buffer.from('part'),
        }),
      );
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: server.bucket }));
      expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['stray/1', created.UploadId]]);
    } finally {
      client.destroy();
    }
  });

  it('is what the app injects as BLOB_STORE when BLOB_STORE=s3, and readiness checks its bucket', async () => {
    const t = await startTestApp({
      BLOB_STORE: 's3',
      S3_ENDPOINT: server.endpoint,
      S3_BUCKET: server.bucket,
      S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    try {
      const store = t.app.get<BlobStore>(BLOB_STORE);
      expect(store).toBeInstanceOf(S3BlobStore);
      await store.put('documents/injected/1', Readable.from([Buffer.from('via Nest')]), { maxBytes: 100 });
      expect((await buffer((await store.get('documents/injected/1')).stream)).toString()).toBe('via Nest');
      const ready = await t.http.request({ method: 'GET', url: '/health/ready' });
      expect(ready.json()).toMatchObject({ checks: { blobStore: { status: 'up' } } });
    } finally {
      await t.close();
    }
  });
});

describe('blob store configuration', () => {
  it('is local disk under DATA_DIR/blobs by default', () => {
    const config = testConfig({ DATA_DIR: '/var/lib/ehrms' });
    expect(config.BLOB_STORE).toBe('local');
    const store = openBlobStore(config);
    expect(store).toBeInstanceOf(LocalDiskBlobStore);
    expect((store as LocalDiskBlobStore).root).toBe('/var/lib/ehrms/blobs');
  });

  it('refuses S3 without a bucket, with half a key pair, and in production without keys, in one line', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        testConfig({ BLOB_STORE: 's3', ...env });
      } catch (err) {
        if (err instanceof ConfigError) return err.message;
        throw err;
      }
      return 'accepted';
    };
    expect(refusal({})).toBe('Configuration error: S3_BUCKET: required when BLOB_STORE=s3');
    expect(refusal({ S3_BUCKET: 'ehrms-docs', S3_ACCESS_KEY_ID: 'AKIA' })).toBe(
      'Configuration error: S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID',
    );
    expect(refusal({ S3_BUCKET: 'ehrms-docs', S3_SECRET_ACCESS_KEY: 'shh' })).toBe(
      'Configuration error: S3_ACCESS_KEY_ID: required with S3_SECRET_ACCESS_KEY',
    );
    expect(refusal({ S3_BUCKET: 'Not_A_Bucket' })).toMatch(
      /^Configuration error: S3_BUCKET: must be a bucket name/,
    );
    expect(refusal({ S3_BUCKET: 'ehrms-docs', S3_ENDPOINT: 'ftp://x' })).toMatch(
      /^Configuration error: S3_ENDPOINT:/,
    );
    expect(refusal({ S3_BUCKET: 'ehrms-docs' })).toBe('accepted');
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/ehrms',
      JWT_SIGNING_KEYS: 'k:x',
      FIELD_ENCRYPTION_KEYS: `v1:${randomBytes(32).toString('base64')}`,
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      S3_BUCKET: 'ehrms-docs',
    };
    expect(refusal(production)).toBe(
      'Configuration error: S3_ACCESS_KEY_ID: required in production when BLOB_STORE=s3 (also missing: S3_SECRET_ACCESS_KEY)',
    );
    expect(refusal({ ...production, S3_ACCESS_KEY_ID: 'AKIA', S3_SECRET_ACCESS_KEY: 'shh' })).toBe(
      'accepted',
    );
  });
});

describe('HTTP ranges', () => {
  it('reads one byte range from a Range header and ignores what a server may ignore', () => {
    expect(parseRangeHeader('bytes=0-99')).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader('bytes=100-')).toEqual({ start: 100 });
    expect(parseRangeHeader('bytes=-500')).toEqual({ suffix: 500 });
    for (const ignored of [
      undefined,
      '',
      'bytes=-',
      'bytes=5-3',
      'bytes=0-1,5-6',
      'items=0-1',
      'bytes=a-b',
    ]) {
      expect(parseRangeHeader(ignored), String(ignored)).toBeUndefined();
    }
    expect(contentRangeHeader({ start: 2, end: 5 }, 20)).toBe('bytes 2-5/20');
  });
});

describe('content-type sniffing', () => {
  const sample = {
    pdf: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj', 'latin1'),
    png: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    jpeg: Buffer.from('ffd8ffe000104a464946', 'hex'),
    gif: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
    tiffLittle: Buffer.from('49492a0008000000', 'hex'),
    tiffBig: Buffer.from('4d4d002a00000008', 'hex'),
    docx: zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']),
    // LibreOffice writes the content-types entry last; the folder names still tell.
    xlsx: zipOf(['_rels/.rels', 'docProps/app.xml', 'xl/workbook.xml', '[Content_Types].xml']),
  };

  it('recognises each allowed binary type by its leading bytes', () => {
    expect(sniffContentType(sample.pdf)).toBe('application/pdf');
    expect(sniffContentType(sample.png)).toBe('image/png');
    expect(sniffContentType(sample.jpeg)).toBe('image/jpeg');
    expect(sniffContentType(sample.gif)).toBe('image/gif');
    expect(sniffContentType(sample.tiffLittle)).toBe('image/tiff');
    expect(sniffContentType(sample.tiffBig)).toBe('image/tiff');
    expect(sniffContentType(sample.docx)).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(sniffContentType(sample.xlsx)).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    for (const type of Object.values(sample).map(sniffContentType))
      expect(allowedDocumentTypes).toContain(type);
  });

  it('takes UTF-8 without control characters as text, CSV only when declared so', () => {
    const csv = Buffer.from('client_id,visit_date,notes\r\n1,2024-01-05,"Größe ok"\r\n');
    expect(sniffContentType(csv)).toBe('text/plain');
    expect(documentContentType(csv, 'text/csv; charset=utf-8')).toBe('text/csv');
    expect(documentContentType(csv, 'application/pdf')).toBe('text/plain');
    // A PDF declared as text is still a PDF.
    expect(documentContentType(sample.pdf, 'text/csv')).toBe('application/pdf');
    // A multi-byte character cut off at the end of the sample is still text.
    const cut = Buffer.from('note: naïve café — ok', 'utf8');
    expect(sniffContentType(cut.subarray(0, cut.length - 2))).toBe('text/plain');
  });

  it('refuses everything else: other zips, legacy Office, binary, broken UTF-8, empty input', () => {
    expect(sniffContentType(zipOf(['META-INF/MANIFEST.MF', 'com/example/App.class']))).toBeNull();
    expect(sniffContentType(Buffer.from('d0cf11e0a1b11ae1', 'hex'))).toBeNull();
    expect(sniffContentType(Buffer.from('MZ\x90\x00\x03\x00', 'latin1'))).toBeNull();
    expect(sniffContentType(Buffer.from('plain text with a NUL\u0000 inside'))).toBeNull();
    expect(sniffContentType(Buffer.from([0x61, 0x62, 0xff, 0xfe, 0x63]))).toBeNull();
    expect(sniffContentType(Buffer.alloc(0))).toBeNull();
  });

  it('reads the head of an upload stream and still stores every byte', async () => {
    const bytes = Buffer.concat([sample.pdf, randomBytes(30_000)]);
    const { head, stream } = await readHead(chunked(bytes, 1000));
    expect(head.length).toBe(SNIFF_BYTES);
    expect(sniffContentType(head)).toBe('application/pdf');
    expect((await buffer(stream)).equals(bytes)).toBe(true);

    const short = await readHead(Readable.from([Buffer.from('a,b\n1,2\n')]));
    expect(short.head.toString()).toBe('a,b\n1,2\n');
    expect((await buffer(short.stream)).toString()).toBe('a,b\n1,2\n');
  });
});

function s3Options(server: S3TestServer) {
  return {
    bucket: server.bucket,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `bytes` as a stream of `size`-byte chunks, as an HTTP upload arrives. */
function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    })(),
  );
}

/** An upload whose client disconnects after `bytes` bytes. */
function failingAfter(bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) {
        this.destroy(new Error('client went away'));
        return;
      }
      const chunk = randomBytes(Math.min(64 * 1024, bytes - sent));
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

/** Every file under `root` (hidden ones too), relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The leading bytes of a zip archive with these (stored, tiny) entries. */
function zipOf(names: string[]): Buffer {
  return Buffer.concat(
    names.map((name) => {
      const data = Buffer.from(`<contents of ${name}/>`);
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4); // version needed
      header.writeUInt32LE(data.length, 18); // compressed size
      header.writeUInt32LE(data.length, 22); // uncompressed size
      header.writeUInt16LE(Buffer.byteLength(name), 26);
      return Buffer.concat([header, Buffer.from(name), data]);
    }),
  );
}
