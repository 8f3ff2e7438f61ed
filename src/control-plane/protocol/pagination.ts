// limit/position paging for every list operation: position is an opaque token for the next offset.
import { badRequest } from './errors.js';

export type Page<T> = { items: T[]; position?: string };

export function paginate<T>(all: T[], limit: number | undefined, position: string | undefined): Page<T> {
  if (limit !== undefined && (limit < 1 || limit > 500)) throw badRequest('Invalid limit specified. Must be between 1 and 500.');
  const size = limit ?? 25;
  let offset = 0;
  if (position !== undefined) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(position) ? Number(Buffer.from(position, 'base64url').toString()) : NaN;
    if (!Number.isInteger(decoded) || decoded < 0) throw badRequest('Invalid position parameter');
    offset = decoded;
  }
  const items = all.slice(offset, offset + size);
  const next = offset + size < all.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
  return { items, position: next };
}
