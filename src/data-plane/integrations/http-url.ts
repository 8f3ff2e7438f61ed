// The backend URL of an HTTP or HTTP_PROXY call: the integration URI with its stage variables
// and path parameters resolved, and the integration request's query string appended.
import type { QueryMap } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;
const PATH_PARAMETER = /\{([^{}]+?)\+?\}/g;

/**
 * A path parameter's value as URI path segments, each URL-encoded. A `.` or `..` segment (sent
 * as such, percent-encoded, or between encoded slashes) is refused: URL parsing would resolve it and
 * let the request climb out of the integration URI's path, to a resource the API never exposed.
 */
export function encodePathValue(value: string): string {
  const segments = value.split('/');
  if (segments.some((s) => s === '.' || s === '..')) throw new GatewayError('BAD_REQUEST_PARAMETERS', 'Invalid request path');
  return segments.map(encodeURIComponent).join('/');
}

export function backendUrl(uri: string, query: QueryMap, stageVariables: Record<string, string>, pathParams?: Record<string, string>): URL {
  let resolved = uri.replace(STAGE_VARIABLE, (_, name: string) => stageVariables[name] ?? '');
  if (pathParams) {
    resolved = resolved.replace(PATH_PARAMETER, (whole, name: string) => (Object.hasOwn(pathParams, name) ? encodePathValue(pathParams[name]!) : whole));
  }
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  const pairs = Object.entries(query).flatMap(([name, values]) => values.map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`));
  if (pairs.length) url.search = url.search ? `${url.search}&${pairs.join('&')}` : pairs.join('&');
  return url;
}
