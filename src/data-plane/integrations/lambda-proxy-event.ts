// The event of a Lambda proxy integration (REST API payload format 1.0), built from the method
// request as API Gateway builds it: the path as the client sent it (still URL-encoded), headers
// and query strings both single-valued (the last value) and multi-valued, null for absent maps,
// the body as text or, for binaryMediaTypes, base64.
import { contextVariables } from '../mapping/context-variables.js';
import { firstValue, type InvocationContext } from '../pipeline/context.js';
import { traceId } from './trace-id.js';

type StringMap = Record<string, string>;
type MultiMap = Record<string, string[]>;

export type ProxyEvent = {
  resource: string;
  path: string;
  httpMethod: string;
  headers: StringMap | null;
  multiValueHeaders: MultiMap | null;
  queryStringParameters: StringMap | null;
  multiValueQueryStringParameters: MultiMap | null;
  pathParameters: StringMap | null;
  stageVariables: StringMap | null;
  requestContext: Record<string, unknown>;
  body: string | null;
  isBase64Encoded: boolean;
};

/** The method request headers a function never sees: they describe the client's connection only. */
const NOT_PASSED = new Set(['content-length', 'connection']);

/** $context.identity.* as the proxy event carries them. */
const IDENTITY_KEYS = [
  'accessKey', 'accountId', 'caller', 'cognitoAuthenticationProvider', 'cognitoAuthenticationType', 'cognitoIdentityId',
  'cognitoIdentityPoolId', 'principalOrgId', 'sourceIp', 'user', 'userAgent', 'userArn',
];
/** With an API key (methods that require one), the event also carries the key and its id, in the same order. */
const IDENTITY_KEYS_WITH_API_KEY = [...IDENTITY_KEYS.slice(0, 2), 'apiKey', 'apiKeyId', ...IDENTITY_KEYS.slice(2)];

const orNull = <T extends object>(map: T): T | null => (Object.keys(map).length ? map : null);

/** The path after the stage as the client sent it: `/stage//a%2Bb/` → `//a%2Bb/`. */
export function pathAfterStage(ctx: InvocationContext): string {
  const raw = ctx.received.path;
  const prefix = raw.split('/').filter(Boolean).length - ctx.segments.length;
  // Skip `prefix` segments (each: any slashes, then a name) without building a pattern per request.
  let i = 0;
  for (let skipped = 0; skipped < prefix; skipped++) {
    while (raw[i] === '/') i++;
    if (i >= raw.length) return raw;
    while (i < raw.length && raw[i] !== '/') i++;
  }
  return raw.slice(i);
}

/**
 * The resource's path parameters read from the raw path, as the event carries them: not URL-decoded,
 * a greedy parameter keeps inner double slashes but not a trailing one.
 */
export function rawPathParameters(resourcePath: string, rawPath: string): StringMap {
  const params: StringMap = {};
  let rest = rawPath;
  for (const part of resourcePath.split('/').filter(Boolean)) {
    rest = rest.replace(/^\/+/, '');
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      params[greedy[1]!] = rest.replace(/\/+$/, '');
      break;
    }
    const slash = rest.indexOf('/');
    const segment = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const param = /^\{(.+)\}$/.exec(part);
    if (param) params[param[1]!] = segment;
  }
  return params;
}

/** The path as the client sent it (a custom domain's base path included), one leading slash. */
const fullPath = (ctx: InvocationContext) => `/${ctx.received.path.replace(/^\/+/, '')}`;

/** The method request's headers under the names the client used, with those API Gateway adds. */
function eventHeaders(ctx: InvocationContext): MultiMap {
  const headers: MultiMap = {};
  for (const [lower, values] of Object.entries(ctx.headers)) {
    if (!NOT_PASSED.has(lower)) headers[ctx.rawHeaderNames[lower] ?? lower] = [...values];
  }
  const has = (name: string) => ctx.headers[name.toLowerCase()] !== undefined;
  // The client's address is appended, unless a trusted proxy's entry already named it.
  const forwardedFor = firstValue(ctx.headers, 'x-forwarded-for');
  const named = forwardedFor?.split(',').pop()?.trim() === ctx.sourceIp;
  headers[ctx.rawHeaderNames['x-forwarded-for'] ?? 'X-Forwarded-For'] = [forwardedFor ? (named ? forwardedFor : `${forwardedFor}, ${ctx.sourceIp}`) : ctx.sourceIp];
  if (!has('X-Forwarded-Port')) headers['X-Forwarded-Port'] = [/:(\d+)$/.exec(firstValue(ctx.headers, 'host') ?? '')?.[1] ?? '80'];
  if (!has('X-Forwarded-Proto')) headers['X-Forwarded-Proto'] = ['http'];
  if (!has('X-Amzn-Trace-Id')) headers['X-Amzn-Trace-Id'] = [traceId()];
  return headers;
}

const lastValues = (map: MultiMap): StringMap => Object.fromEntries(Object.entries(map).map(([name, values]) => [name, values[values.length - 1] ?? '']));

/** requestContext.authorizer: a Lambda authorizer's context flattened beside principalId, or a user pool's claims. */
function authorizerOf(ctx: InvocationContext): Record<string, unknown> | undefined {
  const authorizer = ctx.authorizer;
  if (!authorizer) return undefined;
  if (authorizer.claims) return { claims: authorizer.claims };
  return {
    ...authorizer.context,
    ...(authorizer.principalId !== undefined ? { principalId: authorizer.principalId } : {}),
    ...(authorizer.integrationLatency !== undefined ? { integrationLatency: authorizer.integrationLatency } : {}),
  };
}

function requestContext(ctx: InvocationContext, rawPath: string): Record<string, unknown> {
  const context = contextVariables(ctx);
  const identity = context.identity as Record<string, unknown>;
  const authorizer = authorizerOf(ctx);
  return {
    accountId: context.accountId,
    apiId: context.apiId,
    ...(authorizer ? { authorizer } : {}),
    deploymentId: context.deploymentId,
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
    extendedRequestId: context.extendedRequestId,
    httpMethod: context.httpMethod,
    identity: {
      ...Object.fromEntries((ctx.apiKey ? IDENTITY_KEYS_WITH_API_KEY : IDENTITY_KEYS).map((key) => [key, identity[key] ?? null])),
      // On a custom domain name with mutual TLS, the client's certificate.
      ...(ctx.clientCert ? { clientCert: ctx.clientCert } : {}),
    },
    path: ctx.basePath !== undefined ? fullPath(ctx) : `/${context.stage}${rawPath || '/'}`,
    protocol: context.protocol,
    requestId: context.requestId,
    requestTime: context.requestTime,
    requestTimeEpoch: context.requestTimeEpoch,
    resourceId: context.resourceId,
    resourcePath: context.resourcePath,
    stage: context.stage,
  };
}

export function proxyEvent(ctx: InvocationContext): ProxyEvent {
  const rawPath = pathAfterStage(ctx);
  const multiValueHeaders = eventHeaders(ctx);
  const binary = ctx.stage!.deployment.binaryMediaTypes.isBinary(firstValue(ctx.headers, 'content-type'));
  const resource = ctx.resource!.path ?? '/';
  return {
    resource,
    // On a custom domain, the whole path, base path included; `resource` is the API's own.
    path: ctx.basePath !== undefined ? fullPath(ctx) : `/${rawPath.replace(/^\/+/, '')}`,
    httpMethod: ctx.httpMethod,
    headers: orNull(lastValues(multiValueHeaders)),
    multiValueHeaders: orNull(multiValueHeaders),
    queryStringParameters: orNull(lastValues(ctx.query)),
    multiValueQueryStringParameters: orNull({ ...ctx.query }),
    pathParameters: orNull(rawPathParameters(resource, rawPath)),
    stageVariables: orNull({ ...ctx.stage!.config.variables }),
    requestContext: requestContext(ctx, rawPath),
    body: ctx.body.length ? ctx.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: binary && ctx.body.length > 0,
  };
}
