// Tag rules: keys 1–128 characters not starting with `aws:`, values up to 256, at most 50 tags.
import { badRequest } from '../protocol/errors.js';

export function validateTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 50) throw badRequest('Too many tags. A resource can have at most 50 tags.');
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128) throw badRequest(`Tag key must be between 1 and 128 characters: ${key}`);
    if (key.toLowerCase().startsWith('aws:')) throw badRequest(`Tag keys starting with 'aws:' are reserved: ${key}`);
    if ((value ?? '').length > 256) throw badRequest(`Tag value must be at most 256 characters for key: ${key}`);
  }
}
