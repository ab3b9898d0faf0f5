import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { ProblemError } from '../../platform/errors/problem.js';
import { LOGGER } from '../../platform/logging/logger.js';
import { BlobNotFoundError } from '../../platform/storage/blob-errors.js';
import {
  BLOB_STORE,
  type BlobRange,
  type BlobRead,
  type BlobStore,
} from '../../platform/storage/blob-store.js';
import { documentContentType, readHead } from '../../platform/storage/content-type.js';
import { uploadIncomplete, type IncomingFile } from './multipart-upload.js';

/** A file safely in the blob store, with the facts its version row records. */
export interface StoredFile {
  key: string;
  sizeBytes: number;
  sha256: string;
  contentType: string;
  filename: string;
}

/**
 * The bytes of documents. An upload is stored first, under a fresh key nothing else uses, and
 * only then recorded: if recording fails, the bytes are removed again (`keep`), and if storing
 * fails nothing is recorded, so neither a row without bytes nor bytes without a row is left.
 * (A process killed between the two leaves an unreferenced blob, never a broken row.)
 */
@Injectable()
export class DocumentFiles {
  constructor(
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get maxBytes(): number {
    return this.config.DOCUMENT_MAX_BYTES;
  }

  /**
   * Streams the file into the store, judging its type by its first bytes: a type that is not
   * allowed is refused (415) and one byte past DOCUMENT_MAX_BYTES too (413), with nothing stored.
   */
  async store(documentId: string, file: IncomingFile): Promise<StoredFile> {
    // A file already broken (a body cut short while the fields were being checked) fails here.
    if (file.stream.destroyed) throw file.stream.errored ?? uploadIncomplete();
    const { head, stream } = await readHead(file.stream);
    const contentType = documentContentType(head, file.declaredType);
    if (contentType === null) {
      stream.destroy();
      throw unsupportedContent(head);
    }
    const key = `documents/${documentId}/${randomUUID().replaceAll('-', '')}`;
    const stored = await this.blobs.put(key, stream, { maxBytes: this.maxBytes, contentType });
    return {
      key,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      contentType,
      filename: cleanFilename(file.filename),
    };
  }

  /** Records a stored file with `record`; when that fails, the file is removed before the error goes on. */
  async keep<T>(file: StoredFile, record: () => Promise<T>): Promise<T> {
    try {
      return await record();
    } catch (err) {
      await this.discard(file.key);
      throw err;
    }
  }

  /** Opens a version's bytes, whole or a range (416 when the range starts past the end). */
  async open(key: string, range: BlobRange | undefined): Promise<BlobRead> {
    try {
      return await this.blobs.get(key, range);
    } catch (err) {
      // A row whose bytes are gone is our failure, not the caller's 404.
      if (err instanceof BlobNotFoundError) this.logger.error({ key }, 'a document version has no blob');
      throw err;
    }
  }

  private async discard(key: string): Promise<void> {
    try {
      await this.blobs.delete(key);
    } catch (err) {
      this.logger.error({ err, key }, 'could not remove the blob of an upload that was not recorded');
    }
  }
}

/**
 * The file name as kept (it is shown back and offered on download): no folders, no control
 * characters, at most 255 characters with the extension kept; "document" when nothing is left.
 */
export function cleanFilename(name: string): string {
  const base = withoutControlCharacters((name.split(/[\\/]/).pop() ?? '').normalize('NFC'))
    .replace(/\s+/g, ' ')
    .trim();
  if (base === '' || base === '.' || base === '..') return 'document';
  if (base.length <= 255) return base;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
  return base.slice(0, 255 - extension.length) + extension;
}

function withoutControlCharacters(text: string): string {
  return Array.from(text)
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0x20 && (code < 0x7f || code > 0x9f);
    })
    .join('');
}

/** Extensions a downloaded file may keep for its type; any other gets the first one added. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/gif': ['.gif'],
  'image/tiff': ['.tif', '.tiff'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'text/plain': ['.txt'],
  'text/csv': ['.csv'],
};

/** Types a browser may show in place (`disposition=inline`); anything else is always downloaded. */
const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif']);

/**
 * The Content-Disposition of a download: the stored name, with the extension of what the bytes
 * really are (a PDF uploaded as `letter.exe` downloads as `letter.exe.pdf`), as an ASCII
 * fallback and as RFC 8187 UTF-8.
 */
export function contentDisposition(
  filename: string,
  contentType: string,
  wanted: 'attachment' | 'inline',
): string {
  const extensions = EXTENSIONS[contentType] ?? [];
  const lower = filename.toLowerCase();
  const name =
    extensions.length === 0 || extensions.some((e) => lower.endsWith(e))
      ? filename
      : filename + extensions[0];
  const type = wanted === 'inline' && INLINE_TYPES.has(contentType) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The Content-Type a download is served with (text gets its charset). */
export function servedContentType(contentType: string): string {
  return contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType;
}

/** 415 for a file whose content is not an accepted type, naming what it looks like. */
function unsupportedContent(head: Buffer): ProblemError {
  const detected = describeContent(head);
  return new ProblemError({
    status: 415,
    type: 'unsupported-document-type',
    title: 'Unsupported document type',
    detail: `The file's content is ${detected}. Accepted: PDF, PNG, JPEG, GIF, TIFF, Word (.docx), Excel (.xlsx), plain text and CSV.`,
    extensions: { detectedType: detected },
  });
}

const SIGNATURES: readonly (readonly [string, Buffer])[] = [
  ['application/zip', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
  ['application/x-ole-storage', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
  ['application/vnd.microsoft.portable-executable', Buffer.from('MZ')],
  ['application/x-elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46])],
  ['application/x-rar-compressed', Buffer.from('Rar!')],
  ['application/gzip', Buffer.from([0x1f, 0x8b])],
  ['application/x-7z-compressed', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['image/webp', Buffer.from('RIFF')],
];

/** What a refused file appears to be, by its leading bytes (for the 415's message). */
export function describeContent(head: Buffer): string {
  if (head.length === 0) return 'empty';
  for (const [type, magic] of SIGNATURES) {
    if (head.length >= magic.length && head.subarray(0, magic.length).equals(magic)) return type;
  }
  return 'application/octet-stream';
}
