import { z } from 'zod';
import { Problems } from '../../../platform/errors/problem.js';

/** Opaque page cursors for the user list: the sort key of the last row, base64url JSON. */
export interface UserCursor {
  displayName: string;
  id: string;
}

const Shape = z.tuple([z.string().max(300), z.uuid()]);

export function encodeCursor(c: UserCursor): string {
  return Buffer.from(JSON.stringify([c.displayName, c.id])).toString('base64url');
}

export function decodeCursor(text: string): UserCursor {
  try {
    const [displayName, id] = Shape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { displayName, id };
  } catch {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
}
