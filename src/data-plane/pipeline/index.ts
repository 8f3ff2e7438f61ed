// The request path of a deployed API, top to bottom. Each step may answer early; any GatewayError
// becomes the gateway response of its type.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { config as settings } from '../../config.js';
import { logger } from '../../logger.js';
import type { CompiledConfig } from '../compile/index.js';
import type { WorkerServices } from '../services.js';
import { decompressRequest } from '../payload/decompress-request.js';
import { closeAfterResponse, payloadTooLarge, readBody } from '../payload/limits.js';
import { apiKey } from './api-key.js';
import { authorize } from './authorize.js';
import { canary } from './canary.js';
import type { HeaderMap, InvocationContext, MethodResult, QueryMap, Step } from './context.js';
import { GatewayError } from './errors.js';
import { gatewayResponse } from './gateway-response.js';
import { iamAuthorize } from './iam-authorize.js';
import { integrate } from './integrate.js';
import { integrationRequest } from './integration-request.js';
import { integrationResponse } from './integration-response.js';
import { clientAddress } from './client-address.js';
import { applyLocation, Forbidden, locate } from './locate.js';
import { tlsClientOf } from '../tls/mutual-tls.js';
import { resourcePolicy } from './resource-policy.js';
import { route } from './route.js';
import { send } from './send.js';
import { stageCache, storeInStageCache } from './stage-cache.js';
import { throttle } from './throttle.js';
import { validateRequest } from './validate-request.js';

const steps: Step[] = [decompressRequest, canary, route, resourcePolicy, iamAuthorize, authorize, apiKey, throttle, validateRequest, stageCache, integrationRequest, integrate, integrationResponse];

function readHeaders(req: IncomingMessage): { headers: HeaderMap; rawHeaderNames: Record<string, string> } {
  const headers: HeaderMap = {};
  const rawHeaderNames: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    (headers[lower] ??= []).push(req.rawHeaders[i + 1]!);
    rawHeaderNames[lower] ??= name;
  }
  return { headers, rawHeaderNames };
}

export function readQuery(rawQuery: string): QueryMap {
  const query: QueryMap = {};
  if (!rawQuery) return query;
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    // Form encoding, as API Gateway reads query strings (AWS's recorded proxy events): `+` is a space.
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = decode(i < 0 ? pair : pair.slice(0, i));
    (query[key] ??= []).push(decode(i < 0 ? '' : pair.slice(i + 1)));
  }
  return query;
}

/** 16 hex digits of a fresh UUID's random part. */
function newExtendedRequestId(): string {
  const id = randomUUID();
  return id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18);
}

function newContext(
  req: IncomingMessage,
  { headers, rawHeaderNames }: ReturnType<typeof readHeaders>,
  remoteAddress: string | undefined,
  rawPath: string,
  rawQuery: string,
  body: Buffer,
  services: WorkerServices,
): InvocationContext {
  return {
    requestId: randomUUID(),
    extendedRequestId: newExtendedRequestId(),
    startedAt: Date.now(),
    startedPerf: performance.now(),
    httpMethod: req.method ?? 'GET',
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: clientAddress(remoteAddress, headers['x-forwarded-for'], settings.trustedProxyHops),
    domainName: (headers.host?.[0] ?? '').replace(/:\d+$/, ''),
    path: rawPath,
    segments: [],
    query: readQuery(rawQuery),
    headers,
    rawHeaderNames,
    body,
    received: { path: rawPath, query: rawQuery, body },
    pathParams: {},
    services,
  };
}

/** A step's failure as the client sees it: its gateway response, or a configuration error when unexpected. */
export function errorResponse(ctx: InvocationContext, err: unknown): MethodResult {
  if (err instanceof GatewayError) return gatewayResponse(ctx, err);
  logger.error({ err, requestId: ctx.requestId }, 'invocation failed');
  return gatewayResponse(ctx, new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500));
}

export async function handleInvocation(req: IncomingMessage, res: ServerResponse, config: CompiledConfig | undefined, services: WorkerServices): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  // Read before the body: a body cut short for its size detaches the request from its socket.
  const remoteAddress = req.socket.remoteAddress;
  // node:http's own req.headers is never read: it would build a second header object per request.
  const headers = readHeaders(req);
  const reading = readBody(req, headers.headers);
  const body = reading instanceof Promise ? await reading : reading;
  const ctx = newContext(req, headers, remoteAddress, rawPath, rawQuery, body ?? Buffer.alloc(0), services);
  try {
    if (!body) {
      closeAfterResponse(req, res);
      ctx.response = payloadTooLarge();
    } else {
      applyLocation(ctx, locate(config, headers.headers.host?.[0] ?? '', rawPath, services.executeApiDomain, tlsClientOf(req.socket)));
      for (const step of steps) {
        // Most steps are synchronous: awaiting only promises spares every request a dozen microtask turns.
        const pending = step(ctx);
        if (pending) await pending;
        if (ctx.response) break;
      }
      storeInStageCache(ctx);
    }
  } catch (err) {
    if (err instanceof Forbidden) {
      ctx.response = { statusCode: 403, headers: { 'content-type': ['application/json'], 'x-amzn-errortype': ['ForbiddenException'] }, body: Buffer.from('{"message":"Forbidden"}') };
    } else {
      ctx.response = errorResponse(ctx, err);
    }
  }
  const sending = send(ctx, res);
  if (sending) await sending;
  services.observability?.record(ctx, res.statusCode);
}
