// The keep-alive connection pool every HTTP and HTTP_PROXY integration call goes through (only to
// addresses in PORTICO_INTEGRATION_ALLOWED_NETWORKS, when set), and how a
// failed call becomes API Gateway's error: 504 when the integration's timeout passes, 502 when the
// backend cannot be reached, resets the connection or answers something that is not HTTP.
import { Agent, type Dispatcher } from 'undici';
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

class ResponseTooLarge extends Error {
  override message = 'response larger than 10 MB';
}
class TimedOut extends Error {
  override message = 'integration timeout';
}

/** The backend's response headers by lower-cased name, decoded as undici decodes them (latin1). */
function headerMap(raw: Buffer[]): HeaderMap {
  const map: HeaderMap = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const values = Object.hasOwn(map, name) ? map[name] : undefined;
    if (values) values.push(value);
    else if (name === '__proto__') Object.defineProperty(map, name, { value: [value], enumerable: true, configurable: true, writable: true });
    else map[name] = [value];
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

/**
 * One call through undici's dispatcher interface: the body is gathered straight into a Buffer and
 * the integration's timeout is one timer, without the stream, AbortSignal and listeners of
 * `undici.request` (the HTTP_PROXY benchmark's largest costs after the sockets themselves). The
 * timeout answers at once, even while the request still waits for a connection; the request is
 * aborted as soon as undici hands it a socket.
 */
function dispatch(call: BackendRequest): Promise<BackendResponse> {
  const sendsBody = call.body.length > 0 && call.method !== 'GET' && call.method !== 'HEAD';
  return new Promise((resolve, reject) => {
    let abort: ((err: Error) => void) | undefined;
    let settled = false;
    let timedOut = false;
    let statusCode = 0;
    let headers: HeaderMap = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      const err = new TimedOut();
      abort?.(err);
      fail(err);
    }, call.timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest: (err?: Error) => void) {
        abort = abortRequest;
        if (timedOut) abortRequest(new TimedOut());
      },
      onHeaders(status: number, raw: Buffer[]) {
        // 1xx informational answers precede the real one.
        if (status < 200) return true;
        statusCode = status;
        headers = headerMap(raw);
        return true;
      },
      onData(chunk: Buffer) {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          const err = new ResponseTooLarge();
          abort?.(err);
          fail(err);
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ statusCode, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
      },
      onError(err: Error) {
        fail(err);
      },
    };
    (call.dispatcher ?? pool).dispatch(
      {
        origin: call.url.origin,
        path: call.url.pathname + call.url.search,
        method: call.method as Dispatcher.HttpMethod,
        headers: call.headers,
        body: sendsBody ? call.body : null,
      },
      handler,
    );
  });
}

export async function callBackend(call: BackendRequest): Promise<BackendResponse> {
  try {
    if (config.integrationAllowedNetworks && !call.viaVpcLink) await checkDestination(config.integrationAllowedNetworks, call.url.hostname);
    return await dispatch(call);
  } catch (err) {
    if (err instanceof NetworkDenied || (err as { code?: string }).code === 'PORTICO_NETWORK_DENIED') {
      const { host, address } = err as NetworkDenied;
      logger.warn({ requestId: call.requestId, url: call.url.origin, host, address }, 'HTTP integration endpoint refused: its address is outside PORTICO_INTEGRATION_ALLOWED_NETWORKS');
      throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', 502);
    }
    const error = failure(err, err instanceof TimedOut);
    logger.warn({ requestId: call.requestId, url: call.url.origin, reason: (err as Error).message, responseType: error.type }, 'HTTP integration call failed');
    throw error;
  }
}
