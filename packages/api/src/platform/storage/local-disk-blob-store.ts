import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { blobKeySegments } from './blob-key.js';
import { BlobMeter } from './blob-meter.js';
import { resolveRange } from './blob-range.js';
import type { BlobInfo, BlobRange, BlobRead, BlobStore, PutBlobOptions, StoredBlob } from './blob-store.js';
import { BlobNotFoundError } from './blob-errors.js';

/**
 * Blobs as files under one folder (DATA_DIR/blobs): key `documents/<id>/3` is the file
 * `documents/<id>/3.blob`. The suffix keeps files and folders apart (`a/b` and `a/b/c` can both
 * exist, as on S3), and a temporary upload, `.3.<random>.tmp` in the same folder, can never be
 * mistaken for a blob. Files are 0600 and folders 0700: the bytes are PHI.
 */
export class LocalDiskBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    try {
      return await this.write(key, source, options);
    } catch (err) {
      source.destroy();
      throw err;
    }
  }

  private async write(key: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const { dir, file, name } = this.locate(key);
    const meter = new BlobMeter(options.maxBytes);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      // `flush` syncs the file before closing it: durable before it becomes visible, so a crash
      // leaves the old blob or the whole new one. The stream closes the handle, also on error.
      await pipeline(source, meter, handle.createWriteStream({ flush: true }));
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncFolder(dir);
    return { key, size: meter.bytes, sha256: meter.sha256() };
  }

  async get(key: string, range?: BlobRange): Promise<BlobRead> {
    const { file } = this.locate(key);
    const handle = await open(file, 'r').catch((err: unknown) => {
      throw isMissing(err) ? new BlobNotFoundError(key) : err;
    });
    try {
      // Size and bytes from the same open file, even if the key is replaced meanwhile.
      const { size } = await handle.stat();
      const span = range ? resolveRange(range, size) : null;
      const stream = handle.createReadStream(span ? { start: span.start, end: span.end } : {});
      const contentLength = span ? span.end - span.start + 1 : size;
      return { key, stream, size, contentLength, range: span };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | null> {
    const { file } = this.locate(key);
    try {
      const info = await stat(file);
      return { key, size: info.size };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.locate(key).file, { force: true });
  }

  async checkHealth(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await access(this.root, constants.W_OK);
  }

  private locate(key: string): { dir: string; file: string; name: string } {
    const segments = blobKeySegments(key);
    const name = segments.pop() as string;
    const dir = join(this.root, ...segments);
    return { dir, file: join(dir, `${name}.blob`), name };
  }
}

/** Makes a rename in `dir` durable; some platforms cannot open a folder for that, and need not. */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
