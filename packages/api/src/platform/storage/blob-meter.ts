import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BlobTooLargeError } from './blob-errors.js';

/**
 * The stage every upload passes through: counts bytes, hashes them with SHA-256 and fails the
 * stream the moment it passes the limit, so neither store ever holds more than `maxBytes`.
 */
export class BlobMeter extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  constructor(private readonly maxBytes: number) {
    super();
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError('maxBytes must be a whole number ≥ 0');
    }
  }

  get bytes(): number {
    return this.count;
  }

  /** Hex SHA-256 of everything that passed; call once, after the stream has finished. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.maxBytes) {
      done(new BlobTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}
