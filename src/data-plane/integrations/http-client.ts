// The keep-alive connection pool every HTTP and HTTP_PROXY integration call goes through (only to
// addresses in PORTICO_INTEGRATION_ALLOWED_NETWORKS, when set), and how a
// failed call becomes API Gateway's error: 504 when the integration's timeout passes, 502 when the
// backend cannot be reached, resets the connection or answers something that is not HTTP.
import { Agent, request, type Dispatcher } from 'undici';
import { config } from '../../config.js';
import { logger } from '../../logger.js';
import type { HeaderMap } from '../pipeline/context.js';
import { GatewayError } from '../pipeline/errors.js';
import { checkDestination, guardedLookup, NetworkDenied } from './network-allowlist.js';

export type BackendRequest = {
  requestId: string;
  url: URL;
  method: string;
  headers: Record<string, string[]>;
  body: Buffer;
  timeoutMs: number;
  /** a pool of its own (client certificate, VPC link); the shared plain pool otherwise */
  dispatcher?: Dispatcher;
  /** through a VPC link: the connection goes to the operator's target address, not to the URI's host, so the allowed networks do not apply */
  viaVpcLink?: boolean;
};

export type BackendResponse = { statusCode: number; headers: HeaderMap; body: Buffer };

/** API Gateway's integration response payload limit, as for requests. */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

// One pool for the process: connections per backend origin are reused across requests. The
// integration's own timeout bounds every call, so undici's timeouts are set beyond its maximum.
const pool = new Agent({
  connections: 256,
  keepAliveTimeout: 30_000,
  headersTimeout: 0,
  bodyTimeout: 0,
  connect: { timeout: 60_000, ...(config.integrationAllowedNetworks ? { lookup: guardedLookup(config.integrationAllowedNetworks) } : {}) },
});

class ResponseTooLarge extends Error {}

/** The whole response body; read with events, which cost a backend call less than an async iterator. */
function readBody(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE_BYTES) return void chunks.push(chunk);
      body.destroy();
      reject(new ResponseTooLarge());
    });
    body.once('end', () => resolve(Buffer.concat(chunks)));
    body.once('error', reject);
  });
}

function headerMap(headers: Dispatcher.ResponseData['headers']): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    map[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  }
  return map;
}

function failure(err: unknown, timedOut: boolean): GatewayError {
  if (timedOut) return new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', 504);
  const code = (err as { code?: string }).code;
  // undici refuses a request it cannot express (e.g. a header value with control characters).
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') return new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  return new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 502);
}

export async function callBackend(call: BackendRequest): Promise<BackendResponse> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  const sendsBody = call.body.length > 0 && call.method !== 'GET' && call.method !== 'HEAD';
  try {
    if (config.integrationAllowedNetworks && !call.viaVpcLink) await checkDestination(config.integrationAllowedNetworks, call.url.hostname);
    const response = await request(call.url, {
      method: call.method as Dispatcher.HttpMethod,
      headers: call.headers,
      body: sendsBody ? call.body : undefined,
      dispatcher: call.dispatcher ?? pool,
      signal,
    });
    return { statusCode: response.statusCode, headers: headerMap(response.headers), body: await readBody(response.body) };
  } catch (err) {
    if (err instanceof NetworkDenied || (err as { code?: string }).code === 'PORTICO_NETWORK_DENIED') {
      const { host, address } = err as NetworkDenied;
      logger.warn({ requestId: call.requestId, url: call.url.origin, host, address }, 'HTTP integration endpoint refused: its address is outside PORTICO_INTEGRATION_ALLOWED_NETWORKS');
      throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 502);
    }
    const error = failure(err, signal.aborted);
    logger.warn({ requestId: call.requestId, url: call.url.origin, reason: (err as Error).message, responseType: error.type }, 'HTTP integration call failed');
    throw error;
  }
}
