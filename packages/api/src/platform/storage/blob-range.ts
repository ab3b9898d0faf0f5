import type { BlobRange, ByteSpan } from './blob-store.js';
import { BlobRangeNotSatisfiableError } from './blob-errors.js';

/**
 * The bytes a range selects from a blob of `size` bytes, with HTTP's rules (RFC 9110 §14.1.2): an
 * end past the last byte is clamped, a suffix longer than the blob means the whole blob, and a
 * range that starts at or past the end (or any range of an empty blob) is not satisfiable.
 */
export function resolveRange(range: BlobRange, size: number): ByteSpan {
  if ('suffix' in range) {
    assertOffset(range.suffix, 'suffix');
    if (range.suffix === 0 || size === 0) throw new BlobRangeNotSatisfiableError(size);
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  assertOffset(range.start, 'start');
  if (range.end !== undefined) {
    assertOffset(range.end, 'end');
    if (range.end < range.start) throw new RangeError('range end is before its start');
  }
  if (range.start >= size) throw new BlobRangeNotSatisfiableError(size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/**
 * Reads an HTTP Range header. Returns undefined when there is none or it should be ignored (another
 * unit, bad syntax, several ranges — RFC 9110 lets a server answer those with the whole content).
 */
export function parseRangeHeader(header: string | undefined): BlobRange | undefined {
  const match = header === undefined ? null : /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') return last === '' ? undefined : { suffix: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  return end < start ? undefined : { start, end };
}

/** The Content-Range header value for a ranged read. */
export function contentRangeHeader(span: ByteSpan, size: number): string {
  return `bytes ${span.start}-${span.end}/${size}`;
}

function assertOffset(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`range ${name} must be a whole number ≥ 0`);
}
