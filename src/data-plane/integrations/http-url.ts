// The backend URL of an HTTP or HTTP_PROXY call: the integration URI with its stage variables
// and path parameters resolved, and the integration request's query string appended.
import type { QueryMap } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';

const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;
const PATH_PARAMETER = /\{([^{}]+?)\+?\}/g;

const encodePath = (value: string) => value.split('/').map(encodeURIComponent).join('/');

export function backendUrl(uri: string, query: QueryMap, stageVariables: Record<string, string>, pathParams?: Record<string, string>): URL {
  let resolved = uri.replace(STAGE_VARIABLE, (_, name: string) => stageVariables[name] ?? '');
  if (pathParams) {
    resolved = resolved.replace(PATH_PARAMETER, (whole, name: string) => (Object.hasOwn(pathParams, name) ? encodePath(pathParams[name]!) : whole));
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
