/** The part of s3rver (a fake S3 server, CommonJS, untyped) the tests use. */
declare module 's3rver' {
  import type { RequestListener } from 'node:http';

  interface S3rverOptions {
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string }[];
    allowMismatchedSignatures?: boolean;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    configureBuckets(): Promise<void>;
    callback(): RequestListener;
    logger: { close(): void };
  }
}
