import { Readable } from 'node:stream';

/** The content types a document upload may have; anything else is refused (415). */
export const allowedDocumentTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/tiff',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/plain',
  'text/csv',
] as const;
export type DocumentContentType = (typeof allowedDocumentTypes)[number];

/** How many leading bytes sniffing looks at; pass at least this many when the file is longer. */
export const SNIFF_BYTES = 8192;

/**
 * What the leading bytes of a file are, judged by their content and never by the name or the
 * type the client declared: one of allowedDocumentTypes, or null when it is none of them
 * (including legacy .doc/.xls, other zip files, and empty input). Text is any valid UTF-8 without
 * NUL or other control characters besides tab, line breaks and form feed; the bytes cannot tell
 * CSV from plain text, so text is `text/plain` (see documentContentType for a declared CSV).
 */
export function sniffContentType(head: Buffer): DocumentContentType | null {
  for (const [type, magic] of MAGIC) {
    if (magic.some((m) => startsWith(head, m))) return type;
  }
  if (startsWith(head, ZIP_LOCAL_HEADER)) return officeTypeOf(head);
  return isText(head) ? 'text/plain' : null;
}

/**
 * The type to record for an upload: the sniffed one, except that text the client declared as
 * CSV stays CSV. Null means refuse the upload.
 */
export function documentContentType(head: Buffer, declared: string | undefined): DocumentContentType | null {
  const sniffed = sniffContentType(head);
  const declaredType = declared?.split(';')[0]?.trim().toLowerCase();
  return sniffed === 'text/plain' && declaredType === 'text/csv' ? 'text/csv' : sniffed;
}

/**
 * Reads the first `bytes` bytes of a stream (fewer if it ends sooner) for sniffing, and returns
 * them with a stream that yields the whole content again, head included, for storing.
 */
export async function readHead(
  source: Readable,
  bytes = SNIFF_BYTES,
): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  await new Promise<void>((resolve, reject) => {
    if (source.readableEnded) {
      resolve();
      return;
    }
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      length += buffer.length;
      if (length >= bytes) done();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const done = () => {
      cleanup();
      source.pause();
      resolve();
    };
    const cleanup = () => {
      source.off('data', onData).off('end', done).off('error', onError);
    };
    source.on('data', onData).once('end', done).once('error', onError);
  });
  const read = Buffer.concat(chunks, length);
  const rest = source.readableEnded ? null : source;
  const stream = Readable.from(
    (async function* () {
      yield read;
      if (rest) yield* rest;
    })(),
    { objectMode: false },
  );
  return { head: read.subarray(0, bytes), stream };
}

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const MAGIC: readonly (readonly [DocumentContentType, readonly Buffer[]])[] = [
  ['application/pdf', [Buffer.from('%PDF-')]],
  ['image/png', [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]],
  ['image/jpeg', [Buffer.from([0xff, 0xd8, 0xff])]],
  ['image/gif', [Buffer.from('GIF87a'), Buffer.from('GIF89a')]],
  ['image/tiff', [Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from([0x4d, 0x4d, 0x00, 0x2a])]],
];

/**
 * Word and Excel files are zip archives whose entries live under `word/` and `xl/`. The local
 * file headers are found by their signature (entries written with a data descriptor carry no
 * size up front), and the first one under either folder decides.
 */
function officeTypeOf(head: Buffer): DocumentContentType | null {
  for (let at = head.indexOf(ZIP_LOCAL_HEADER); at >= 0; at = head.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    if (at + 30 > head.length) break;
    const nameLength = head.readUInt16LE(at + 26);
    const name = head.subarray(at + 30, at + 30 + nameLength).toString('latin1');
    if (name.startsWith('word/'))
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (name.startsWith('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  return null;
}

function isText(head: Buffer): boolean {
  if (head.length === 0) return false;
  for (const byte of head) {
    // Tab, line feed, vertical tab, form feed and carriage return are text; other C0 controls
    // (NUL above all) and DEL mark binary data.
    if ((byte < 0x20 && (byte < 0x09 || byte > 0x0d)) || byte === 0x7f) return false;
  }
  try {
    // `stream` tolerates a character cut in two at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function startsWith(head: Buffer, magic: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}
