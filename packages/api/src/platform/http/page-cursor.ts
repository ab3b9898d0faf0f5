import { z } from 'zod';
import { Problems } from '../errors/problem.js';

/** Cursors for lists ordered by a name then an id: the last row's sort key, as opaque base64url JSON. */
export interface NameCursor {
  name: string;
  id: string;
}

const Shape = z.tuple([z.string().max(300), z.uuid()]);

export function encodeNameCursor(c: NameCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id])).toString('base64url');
}

/** The cursor's sort key; a cursor this API did not hand out is a 400 on `query.cursor`. */
export function decodeNameCursor(text: string): NameCursor {
  try {
    const [name, id] = Shape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { name, id };
  } catch {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
}
