import { z } from 'zod';
import { Problems } from '../../platform/errors/problem.js';

/** Opaque page cursors for the provider list: the sort key of the last row, base64url JSON. */
export interface ProviderCursor {
  name: string;
  id: string;
}

const Shape = z.tuple([z.string().max(300), z.uuid()]);

export function encodeCursor(c: ProviderCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id])).toString('base64url');
}

export function decodeCursor(text: string): ProviderCursor {
  try {
    const [name, id] = Shape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { name, id };
  } catch {
    throw Problems.validation([
      { field: 'query.cursor', message: 'The cursor is not valid; start from the first page.' },
    ]);
  }
}
