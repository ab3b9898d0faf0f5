import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/**
 * A real S3-protocol server for tests: s3rver on a free local port, storing in a temporary folder,
 * with one empty bucket. s3rver checks SigV4 signatures and implements objects, ranges and
 * multipart uploads, but not AbortMultipartUpload or ListMultipartUploads; those two are answered
 * here, from s3rver's own upload folder, so that tests can see that a failed upload left no parts.
 */
export async function startS3TestServer(bucket = 'ehrms-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'ehrms-s3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const s3 = s3rver.callback();
  // s3rver's folder of multipart uploads in progress: one sub-folder per upload id.
  const uploadsOf = (name: string) => join(directory, name, '._S3rver_uploads');

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, name = '', ...rest] = url.pathname.split('/');
    const key = rest.join('/');
    const uploadId = url.searchParams.get('uploadId');
    const failed = (err: unknown) =>
      sendXml(
        res,
        500,
        `<Error><Code>InternalError</Code><Message>${escapeXml(String(err))}</Message></Error>`,
      );
    if (req.method === 'DELETE' && uploadId !== null && key !== '') {
      abortUpload(uploadsOf(name), uploadId, res).catch(failed);
    } else if (req.method === 'GET' && url.searchParams.has('uploads') && key === '') {
      listUploads(uploadsOf(name), name, res).catch(failed);
    } else {
      s3(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('s3rver is not listening');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function abortUpload(uploads: string, uploadId: string, res: ServerResponse<IncomingMessage>) {
  const known =
    /^[0-9a-f]{32}$/.test(uploadId) && (await readdir(uploads).catch((): string[] => [])).includes(uploadId);
  if (!known) {
    sendXml(
      res,
      404,
      '<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>',
    );
    return;
  }
  await rm(join(uploads, uploadId), { recursive: true, force: true });
  res.writeHead(204).end();
}

async function listUploads(uploads: string, bucket: string, res: ServerResponse<IncomingMessage>) {
  const ids = await readdir(uploads).catch((): string[] => []);
  const entries = await Promise.all(
    ids.map(async (id) => {
      const key = await readFile(join(uploads, id, 'key'), 'utf8');
      return `<Upload><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></Upload>`;
    }),
  );
  sendXml(
    res,
    200,
    `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${escapeXml(bucket)}</Bucket>` +
      `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${entries.join('')}</ListMultipartUploadsResult>`,
  );
}

function sendXml(res: ServerResponse<IncomingMessage>, status: number, body: string): void {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
