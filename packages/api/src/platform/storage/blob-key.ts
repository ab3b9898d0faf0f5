import { InvalidBlobKeyError } from './blob-errors.js';

/**
 * Keys are `/`-separated segments of letters, digits, `_` and `-` (no dots, so no `.`/`..`
 * segment, no hidden file, no file extension to trust), such as `documents/<uuid>/3`. The same
 * rule holds on every store, so a key that works on local disk works on S3 and back.
 */
const SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_SEGMENTS = 16;

/** Throws InvalidBlobKeyError unless `key` is a valid blob key; returns its segments. */
export function blobKeySegments(key: string): string[] {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidBlobKeyError('empty');
  const segments = key.split('/');
  if (segments.length > MAX_SEGMENTS) throw new InvalidBlobKeyError(`more than ${MAX_SEGMENTS} segments`);
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new InvalidBlobKeyError(
        'segments are 1-128 letters, digits, _ or -, separated by single slashes',
      );
    }
  }
  return segments;
}

export function assertBlobKey(key: string): void {
  blobKeySegments(key);
}
