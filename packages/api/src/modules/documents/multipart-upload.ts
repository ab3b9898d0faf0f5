import { Busboy, type BusboyFileStream, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ProblemError, Problems } from '../../platform/errors/problem.js';
import { BlobTooLargeError } from '../../platform/storage/blob-errors.js';

/**
 * `@RouteConfig(MULTIPART_UPLOAD)` marks a route that reads a `multipart/form-data` body itself,
 * as a stream (see `receiveUpload`); every other route still refuses multipart with 415.
 */
export const MULTIPART_UPLOAD = { multipartUpload: true } as const;

/**
 * Room for the form fields and part headers around the file, when judging a Content-Length (and
 * what a gateway's body limit must leave above DOCUMENT_MAX_BYTES: see deploy/kong/kong.yml).
 */
export const FORM_ALLOWANCE_BYTES = 256 * 1024;

/** One upload as it arrives: the form fields, then the file while it streams in. */
export interface IncomingUpload {
  fields: Record<string, string>;
  file: IncomingFile;
  /**
   * Settles once the whole body has been read; rejects when something follows the file (a
   * field, a second file), the body is malformed, or the request is cut off.
   */
  finished: Promise<void>;
  /** Gives up on the upload: stops the file and discards what is left of the request. */
  abandon(): void;
}

export interface IncomingFile {
  stream: Readable;
  /** The name the client gave, without any folder; PHI, so never part of a blob key or a log. */
  filename: string;
  /** What the client said the type is; only a hint (the bytes decide). */
  declaredType: string;
}

/**
 * Lets `multipart/form-data` through unread to routes marked MULTIPART_UPLOAD (Fastify's body
 * limit does not apply: the route meters the file itself), and answers 415 on every other route.
 */
export function acceptMultipartUploads(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser('multipart/form-data')) return;
  fastify.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    const config = req.routeOptions.config as { multipartUpload?: unknown } | undefined;
    if (config?.multipartUpload === true) done(null, payload);
    else done(Problems.unsupportedMediaType(), undefined);
  });
}

/**
 * Reads a multipart upload up to the start of its file: the fields (which must come first), then
 * the one part named `file`, handed over as a stream for the caller to store (nothing is
 * buffered beyond the fields). A body whose Content-Length already passes `maxFileBytes` (plus
 * room for the fields) is refused with 413 before any of it is read.
 */
export function receiveUpload(
  req: FastifyRequest,
  reply: FastifyReply,
  maxFileBytes: number,
): Promise<IncomingUpload> {
  const source = req.body;
  if (!(source instanceof Readable)) {
    return Promise.reject(
      new ProblemError({
        status: 415,
        type: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail:
          'Send the document as multipart/form-data: the fields first, then the file in a part named "file".',
      }),
    );
  }
  const declaredLength = Number(req.headers['content-length'] ?? Number.NaN);
  if (declaredLength > maxFileBytes + FORM_ALLOWANCE_BYTES) {
    closeAfterReply(reply);
    return Promise.reject(new BlobTooLargeError(maxFileBytes));
  }
  return readForm(source, req.headers as BusboyHeaders, maxFileBytes, () => closeAfterReply(reply));
}

function readForm(
  source: Readable,
  headers: BusboyHeaders,
  maxFileBytes: number,
  onAbandon: () => void,
): Promise<IncomingUpload> {
  return new Promise((resolve, reject) => {
    let form: BusboyInstance;
    try {
      form = Busboy({
        headers,
        limits: {
          fieldNameSize: 100,
          fieldSize: 4096,
          fields: 32,
          files: 1,
          parts: 40,
          headerPairs: 20,
          // One byte past the limit reaches the store's meter, which refuses it (413).
          fileSize: maxFileBytes + 1,
        },
      });
    } catch {
      reject(Problems.malformed('The multipart body has no boundary.'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: BusboyFileStream | null = null;
    let done = false;
    let settleFinished: (err?: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolveFinished, rejectFinished) => {
      settleFinished = (err) => (err === undefined ? resolveFinished() : rejectFinished(err));
    });
    // Rejections of `finished` are the caller's to see when it awaits; none is left unhandled.
    finished.catch(() => undefined);

    const abandon = () => {
      if (done) return;
      done = true;
      if (file && !file.readableEnded) file.destroy();
      source.unpipe(form);
      source.resume();
      onAbandon();
    };
    const fail = (err: ProblemError) => {
      if (done) return;
      if (!file) {
        abandon();
        reject(err);
        return;
      }
      if (!file.readableEnded && !file.destroyed) file.destroy(err);
      settleFinished(err);
      abandon();
    };

    form.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (file) return fail(Problems.malformed('Send the form fields before the file.'));
      if (nameTruncated || valueTruncated || Object.hasOwn(fields, name)) {
        return fail(
          Problems.validation([
            { field: `body.${name.slice(0, 100)}`, message: 'Send each field once, of at most 4096 bytes.' },
          ]),
        );
      }
      fields[name] = value;
    });
    form.on('file', (name, stream, filename, _encoding, mimeType) => {
      if (name !== 'file' || file) {
        stream.resume();
        return fail(
          Problems.validation([{ field: 'body.file', message: 'Send one file, in a part named "file".' }]),
        );
      }
      file = stream;
      // Whatever breaks the file (a body cut short, the size limit) fails the upload, even
      // before the caller has started reading it.
      stream.on('error', (err: unknown) => fail(err instanceof ProblemError ? err : uploadIncomplete()));
      stream.once('limit', () => stream.destroy(new BlobTooLargeError(maxFileBytes)));
      resolve({ fields, file: { stream, filename, declaredType: mimeType }, finished, abandon });
    });
    form.on('filesLimit', () =>
      fail(Problems.validation([{ field: 'body.file', message: 'Send one file per upload.' }])),
    );
    form.on('fieldsLimit', () => fail(Problems.malformed('The form has too many fields.')));
    form.on('partsLimit', () => fail(Problems.malformed('The form has too many parts.')));
    form.on('error', () => fail(Problems.malformed('The multipart body is not well formed.')));
    form.on('finish', () => {
      if (done) return;
      if (!file) {
        fail(
          Problems.validation([
            { field: 'body.file', message: 'Attach the file, in a part named "file" after the fields.' },
          ]),
        );
        return;
      }
      done = true;
      settleFinished();
    });
    // A request cut off midway (the client went away, the connection broke) fails the upload.
    source.once('error', () => fail(uploadIncomplete()));
    source.once('close', () => {
      if (!source.readableEnded) fail(uploadIncomplete());
    });
    source.pipe(form);
  });
}

/** After a refused upload the rest of the body is not wanted: the connection closes once answered. */
function closeAfterReply(reply: FastifyReply): void {
  if (!reply.sent) void reply.header('connection', 'close');
}

export function uploadIncomplete(): ProblemError {
  return new ProblemError({
    status: 400,
    type: 'upload-incomplete',
    title: 'Upload incomplete',
    detail: 'The request ended before the whole file had arrived; nothing was stored.',
  });
}
