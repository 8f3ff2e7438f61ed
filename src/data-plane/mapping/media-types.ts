// Which mapping template applies: request templates by the request's Content-Type, response
// templates by the client's Accept header.
import type { CompiledTemplate } from './vtl.js';

/** A template with the media type it is keyed by (lower-cased, without parameters). */
export type MediaTemplate = { mediaType: string; template: CompiledTemplate };

/** `Text/HTML; charset=utf-8` → `text/html`. */
export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** The template for the request's Content-Type; API Gateway takes a request without one as JSON. */
export function requestTemplateFor(templates: MediaTemplate[], contentType: string | undefined): MediaTemplate | undefined {
  const type = contentType ? mediaTypeOf(contentType) : 'application/json';
  return templates.find((t) => t.mediaType === type);
}

function matches(range: string, mediaType: string): boolean {
  if (range === '*/*') return true;
  if (range.endsWith('/*')) return mediaType.startsWith(range.slice(0, -1));
  return range === mediaType;
}

/**
 * The template for the first media range of Accept that one matches (a wildcard range
 * preferring application/json); failing that the application/json template, failing that the
 * first one defined.
 */
export function responseTemplateFor(templates: MediaTemplate[], accept: string | undefined): MediaTemplate | undefined {
  const json = templates.find((t) => t.mediaType === 'application/json');
  for (const range of (accept ?? '').split(',').map(mediaTypeOf).filter(Boolean)) {
    // A wildcard range takes JSON when there is a JSON template: stored maps keep no order.
    if (json && matches(range, 'application/json') && range.includes('*')) return json;
    const found = templates.find((t) => matches(range, t.mediaType));
    if (found) return found;
  }
  return json ?? templates[0];
}
