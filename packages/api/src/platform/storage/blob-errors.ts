import { ProblemError } from '../errors/problem.js';

/**
 * What the blob store refuses. The two a client causes are ProblemErrors, so left uncaught they
 * answer 413 and 416; the other two are the caller's to map (a missing blob behind an existing
 * record is a fault on our side, not the client's 404).
 */
export class BlobTooLargeError extends ProblemError {
  constructor(readonly limit: number) {
    super({
      status: 413,
      type: 'payload-too-large',
      title: 'Request body too large',
      detail: `The limit is ${limit} bytes.`,
    });
    this.name = 'BlobTooLargeError';
  }
}

export class BlobRangeNotSatisfiableError extends ProblemError {
  constructor(readonly size: number) {
    super({
      status: 416,
      type: 'range-not-satisfiable',
      title: 'Range not satisfiable',
      detail: `The content is ${size} bytes long.`,
      headers: { 'content-range': `bytes */${size}` },
    });
    this.name = 'BlobRangeNotSatisfiableError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No blob under key ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/** A key that could escape the store's folder or is not in the key alphabet: a programming error. */
export class InvalidBlobKeyError extends Error {
  constructor(reason: string) {
    super(`Invalid blob key: ${reason}`);
    this.name = 'InvalidBlobKeyError';
  }
}
