// Which headers reach an HTTP backend and which come back: hop-by-hop headers never cross, API
// Gateway adds its own, and on HTTP_PROXY responses the headers it owns are kept under
// x-amzn-Remapped-{name}.
import type { HeaderMap } from '../pipeline/context.js';

/** Never sent to a backend, mapped or not: hop-by-hop headers and those the connection owns. */
const UNSENDABLE = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'via', 'content-length']);

/** Of the method request's headers, HTTP_PROXY forwards all but these (and the unsendable ones). */
const NOT_PROXIED = new Set(['host', 'content-encoding', 'content-md5', 'max-forwards', 'server', 'www-authenticate', 'x-amzn-trace-id', 'x-amzn-apigateway-api-id']);

/** Backend response headers API Gateway sets itself, passed on by HTTP_PROXY under another name. */
const REMAPPED = new Set([
  'authorization', 'connection', 'content-length', 'content-md5', 'date', 'expect', 'host', 'max-forwards',
  'proxy-authenticate', 'server', 'trailer', 'upgrade', 'user-agent', 'www-authenticate', 'x-amzn-requestid',
]);

/** Backend response headers that describe the backend's connection only. */
const DROPPED_FROM_RESPONSE = new Set(['transfer-encoding', 'keep-alive', 'proxy-connection']);

const unsendable = (name: string) => UNSENDABLE.has(name) || name.startsWith('proxy-');

export type ApiGatewayHeaders = { restApiId: string; traceId: string };

/** The headers of the call to the backend; `proxy` when they are the method request's own. */
export function backendRequestHeaders(headers: HeaderMap, own: ApiGatewayHeaders, proxy: boolean): Record<string, string[]> {
  const sent: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (unsendable(lower) || (proxy && NOT_PROXIED.has(lower))) continue;
    sent[lower] = values;
  }
  sent['accept'] ??= ['application/json'];
  sent['user-agent'] ??= [`AmazonAPIGateway_${own.restApiId}`];
  sent['x-amzn-apigateway-api-id'] = [own.restApiId];
  sent['x-amzn-trace-id'] = [own.traceId];
  return sent;
}

/** An HTTP_PROXY backend's headers as the client receives them. */
export function proxyResponseHeaders(headers: HeaderMap): HeaderMap {
  const returned: HeaderMap = {};
  for (const [name, values] of Object.entries(headers)) {
    if (DROPPED_FROM_RESPONSE.has(name)) continue;
    const target = REMAPPED.has(name) ? `x-amzn-remapped-${name}` : name;
    (returned[target] ??= []).push(...values);
  }
  return returned;
}
