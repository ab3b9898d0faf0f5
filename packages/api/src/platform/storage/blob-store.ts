import type { Readable } from 'node:stream';

/**
 * Where file bytes live (document uploads and anything else too big for a database row). The
 * metadata — owner, file name, content type, the SHA-256 returned by `put` — belongs in the
 * caller's own table; the store keeps bytes under a key the caller chose.
 *
 * Two implementations with one behaviour: LocalDiskBlobStore (files under DATA_DIR/blobs, the
 * default) and S3BlobStore (an S3-compatible bucket). Inject with `@Inject(BLOB_STORE)`.
 */
export interface BlobStore {
  /**
   * Streams `source` into the store under `key`, replacing any blob already there only once the
   * whole stream has arrived. If the stream errors or passes `maxBytes`, nothing is left behind
   * (no partial file, no pending multipart upload), the previous blob (if any) is untouched, the
   * source is destroyed, and the promise rejects — with BlobTooLargeError for the limit.
   */
  put(key: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob>;
  /**
   * Opens the blob for reading, whole or one byte range. Rejects with BlobNotFoundError, or
   * BlobRangeNotSatisfiableError when the range starts at or past the end. Consume or destroy
   * the returned stream.
   */
  get(key: string, range?: BlobRange): Promise<BlobRead>;
  /** The blob's size, or null when there is none. */
  head(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Resolves when the store can be written to (readiness); rejects otherwise. */
  checkHealth(): Promise<void>;
}

/** Nest injection token for the process's BlobStore. */
export const BLOB_STORE = Symbol('BLOB_STORE');

export interface PutBlobOptions {
  /** Largest blob accepted, in bytes; one byte more and `put` rejects with BlobTooLargeError. */
  maxBytes: number;
  /** Recorded as the object's Content-Type on S3 (for operators' tools); keep your own copy. */
  contentType?: string;
}

export interface StoredBlob {
  key: string;
  size: number;
  /** Lowercase hex SHA-256 of exactly the bytes stored. */
  sha256: string;
}

export interface BlobInfo {
  key: string;
  size: number;
}

/**
 * A byte range as HTTP's Range header gives one: `{ start, end }` (both inclusive; `end` omitted or
 * past the last byte means "to the end") or `{ suffix }` (the last `suffix` bytes).
 */
export type BlobRange = { start: number; end?: number } | { suffix: number };

/** Inclusive first and last byte offsets, as Content-Range states them. */
export interface ByteSpan {
  start: number;
  end: number;
}

export interface BlobRead {
  key: string;
  stream: Readable;
  /** The whole blob's size (for `Content-Range: bytes start-end/size`). */
  size: number;
  /** Bytes the stream will deliver (for `Content-Length`). */
  contentLength: number;
  /** The bytes delivered when a range was asked for; null for the whole blob. */
  range: ByteSpan | null;
}
