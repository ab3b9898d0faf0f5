import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { DocumentsTables } from '../../src/modules/documents/documents.schema.js';
import type { TestApp } from '../support/test-app.js';

export const DOCUMENTS = '/api/v1/documents';

export interface DocumentVersion {
  number: number;
  sizeBytes: number;
  sha256: string;
  contentType: string;
  filename: string;
  uploadedBy: string;
}

export interface DocumentView {
  id: string;
  agencyId: string;
  title: string;
  category: string;
  clientId: string | null;
  caseId: string | null;
  providerId: string | null;
  part2: boolean;
  owningProgramId: string | null;
  documentDate: string;
  retentionClass: string;
  destroyAfter: string | null;
  legalHold: { reason: string; setBy: string | null; setAt: string } | null;
  status: 'active' | 'deleted';
  deletionReason: string | null;
  currentVersion: DocumentVersion;
  versions?: DocumentVersion[];
  access?: string;
  redisclosureNotice?: string | null;
  version: number;
}

export interface DocumentList {
  items: DocumentView[];
  nextCursor: string | null;
  withheld: number;
  redisclosureNotice: string | null;
}

export interface FilePart {
  bytes: Buffer;
  name?: string;
  type?: string;
}

/** A PDF of about `size` bytes (the magic number, then noise). */
export function pdf(size = 20_000): Buffer {
  const head = Buffer.from('%PDF-1.7\n');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

/** A Windows executable's first bytes: never an accepted document. */
export function executable(size = 4096): Buffer {
  return Buffer.concat([Buffer.from('MZ'), randomBytes(size - 2)]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Sends a multipart upload the way a browser's FormData does (streamed, chunked): the fields in
 * order, then the file part named `file`.
 */
export function upload(
  t: TestApp,
  token: string,
  fields: Record<string, string>,
  file: FilePart | null,
  options: { url?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) {
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/pdf' }),
      file.name ?? 'scan.pdf',
    );
  }
  return t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'POST',
      url: options.url ?? DOCUMENTS,
      headers: { authorization: `Bearer ${token}`, ...options.headers },
      payload: form,
    });
}

/** Uploads and expects 201; returns the document. */
export async function uploaded(
  t: TestApp,
  token: string,
  fields: Record<string, string>,
  file: FilePart = { bytes: pdf() },
): Promise<DocumentView> {
  const res = await upload(t, token, { title: 'Scanned form', category: 'assessment', ...fields }, file);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<DocumentView>();
}

/** The multipart body of an upload as one buffer (for raw HTTP and Content-Length tests). */
export function multipartBody(
  fields: Record<string, string>,
  file: FilePart,
): { boundary: string; head: Buffer; tail: Buffer; body: Buffer } {
  const boundary = `----ehrms-test-${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const head = Buffer.from(
    parts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name ?? 'scan.pdf'}"\r\n` +
      `Content-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { boundary, head, tail, body: Buffer.concat([head, file.bytes, tail]) };
}

export function documentsDb(t: TestApp) {
  return t.database.db.withTables<DocumentsTables>();
}

/** Document and version rows in the database. */
export async function rowCounts(t: TestApp): Promise<{ documents: number; versions: number }> {
  const db = documentsDb(t);
  const documents = await db
    .selectFrom('documents.documents')
    .select(db.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const versions = await db
    .selectFrom('documents.document_versions')
    .select(db.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { documents: Number(documents.n), versions: Number(versions.n) };
}

/** What a blob store holds: finished blobs, and anything an upload left behind. */
export interface BlobListing {
  contents(): Promise<string[]>;
}

/** Every file under DATA_DIR/blobs, temporary files included. */
export function localBlobs(dataDir: string): BlobListing {
  const root = join(dataDir, 'blobs');
  return {
    contents: async () => {
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(root, join(e.parentPath, e.name)))
        .sort();
    },
  };
}

/** Every object in the bucket, and every multipart upload still pending. */
export function s3Blobs(client: S3Client, bucket: string): BlobListing {
  return {
    contents: async () => {
      const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      return [
        ...(objects.Contents ?? []).map((o) => o.Key ?? ''),
        ...(uploads.Uploads ?? []).map((u) => `pending upload of ${u.Key ?? ''}`),
      ].sort();
    },
  };
}

export function problemType(res: { json(): unknown }): string {
  return (res.json() as { type: string }).type.replace('https://ehrms.dev/problems/', '');
}
