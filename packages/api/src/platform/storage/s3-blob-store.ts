import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { assertBlobKey } from './blob-key.js';
import { BlobMeter } from './blob-meter.js';
import { resolveRange } from './blob-range.js';
import type { BlobInfo, BlobRange, BlobRead, BlobStore, PutBlobOptions, StoredBlob } from './blob-store.js';
import { BlobNotFoundError } from './blob-errors.js';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, Ceph, s3rver); omitted for AWS S3 itself. */
  endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, s3rver). */
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (environment, web identity, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bytes per multipart part (S3 needs at least 5 MiB); a blob under one part is a single PUT. */
  partSize?: number;
  logger?: Logger;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Blobs as objects in one bucket, the object key being the blob key. Uploads are streamed: a
 * blob smaller than one part is buffered and sent as one PUT (nothing reaches S3 unless it is
 * complete), a larger one goes as a multipart upload of one part at a time (memory stays at one
 * part) that is aborted if anything fails. An abort that itself fails is logged; a bucket
 * lifecycle rule for incomplete multipart uploads (docs/operations.md) is the backstop.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly logger: Logger | undefined;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.logger = options.logger;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // The SDK's default CRC trailers (aws-chunked bodies) are not understood by every
      // S3-compatible store; bodies are buffers, so SigV4 already covers their SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    let upload: PartedUpload | undefined;
    try {
      assertBlobKey(key);
      const meter = new BlobMeter(options.maxBytes);
      const started = new PartedUpload(this.client, this.bucket, key, options.contentType, this.partSize);
      upload = started;
      await pipeline(source, meter, async (chunks: AsyncIterable<Buffer>) => {
        for await (const chunk of chunks) await started.write(chunk);
        await started.finish();
      });
      return { key, size: meter.bytes, sha256: meter.sha256() };
    } catch (err) {
      source.destroy();
      await upload?.abort(this.logger);
      throw err;
    }
  }

  async get(key: string, range?: BlobRange): Promise<BlobRead> {
    assertBlobKey(key);
    if (!range) {
      const res = await this.getObject(key);
      const size = res.ContentLength ?? 0;
      return { key, stream: bodyOf(res.Body), size, contentLength: size, range: null };
    }
    // The size first: the range is resolved here, the same way for every store (and every
    // S3-compatible server), and If-Match makes sure the bytes are of the object measured.
    const head = await this.headObject(key);
    if (!head) throw new BlobNotFoundError(key);
    const span = resolveRange(range, head.size);
    const res = await this.getObject(key, `bytes=${span.start}-${span.end}`, head.etag);
    const stream = bodyOf(res.Body);
    const contentLength = span.end - span.start + 1;
    if (res.ContentLength !== contentLength) {
      stream.destroy();
      throw new Error(
        `The object store answered ${res.ContentLength} bytes for a ${contentLength}-byte range`,
      );
    }
    return { key, stream, size: head.size, contentLength, range: span };
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    const head = await this.headObject(key);
    return head ? { key, size: head.size } : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async checkHealth(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Closes the client's sockets (at shutdown). */
  destroy(): void {
    this.client.destroy();
  }

  private async headObject(key: string): Promise<{ size: number; etag: string | undefined } | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: res.ContentLength ?? 0, etag: res.ETag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private async getObject(key: string, range?: string, etag?: string) {
    try {
      return await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: range } : {}),
          ...(etag ? { IfMatch: etag } : {}),
        }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
  }
}

/**
 * One upload: buffered until a part is full, then multipart, one request in flight at a time.
 * `abort` waits for that request before discarding the upload, so no part can land after it.
 */
class PartedUpload {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private aborted = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly contentType: string | undefined,
    private readonly partSize: number,
  ) {}

  write(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    return this.pendingBytes >= this.partSize ? this.track(this.sendPart()) : Promise.resolve();
  }

  finish(): Promise<void> {
    return this.track(this.complete());
  }

  /** Discards the parts sent so far; after a successful `finish` there is nothing to discard. */
  async abort(logger: Logger | undefined): Promise<void> {
    this.aborted = true;
    await this.inFlight?.catch(() => undefined);
    const uploadId = this.uploadId;
    if (uploadId === undefined) return;
    this.uploadId = undefined;
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId }),
      );
    } catch (err) {
      logger?.warn({ err, bucket: this.bucket }, 'could not abort a failed multipart upload');
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight = work;
    return work;
  }

  private async complete(): Promise<void> {
    this.assertLive();
    if (this.uploadId === undefined) {
      const body = this.takePending();
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: body,
          ContentLength: body.length,
          ...(this.contentType ? { ContentType: this.contentType } : {}),
        }),
      );
      return;
    }
    if (this.pendingBytes > 0) await this.sendPart();
    this.assertLive();
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
    this.uploadId = undefined;
  }

  private async sendPart(): Promise<void> {
    this.assertLive();
    if (this.uploadId === undefined) {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          ...(this.contentType ? { ContentType: this.contentType } : {}),
        }),
      );
      if (!created.UploadId) throw new Error('The object store returned no multipart upload id');
      this.uploadId = created.UploadId;
      this.assertLive();
    }
    const body = this.takePending();
    const partNumber = this.parts.length + 1;
    const res = await this.client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    this.parts.push({ PartNumber: partNumber, ETag: res.ETag });
  }

  private assertLive(): void {
    if (this.aborted) throw new Error('The upload was aborted');
  }

  private takePending(): Buffer {
    const body = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return body;
  }
}

function bodyOf(body: unknown): Readable {
  // On Node the SDK's body is the HTTP response itself.
  if (body instanceof Readable) return body;
  throw new Error('The object store returned no body stream');
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404;
}
