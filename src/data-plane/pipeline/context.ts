// The invocation context carried through the pipeline: each step reads what earlier steps found
// and may finish the request early by setting `response` (or throwing a GatewayError).
import type { Integration, Method } from '../../control-plane/protocol/shapes.js';
import type { ClientCertIdentity } from '../tls/mutual-tls.js';
import type { SnapshotResource, UsagePlanConfig } from '../../shared/worker-config.js';
import type { CachePartition } from '../cache/stage-cache.js';
import type { CompiledStage } from '../compile/index.js';
import type { WorkerServices } from '../services.js';

/** Header names lower-cased, every value kept (multi-value headers). */
export type HeaderMap = Record<string, string[]>;
export type QueryMap = Record<string, string[]>;

/** What the integration step sends to the backend (or to MOCK). */
export type IntegrationRequest = {
  uri: string;
  httpMethod: string;
  headers: HeaderMap;
  query: QueryMap;
  body: Buffer;
};

/** What the backend answered, before integration response mapping. */
export type IntegrationResult = {
  statusCode: number;
  headers: HeaderMap;
  body: Buffer;
  /** Lambda's errorMessage (custom Lambda integrations); selection patterns match on it */
  errorMessage?: string;
};

export type MethodResult = {
  statusCode: number;
  headers: HeaderMap;
  body: Buffer;
  /** header names as the backend wrote them (Lambda proxy responses), by lower-cased name; others go out lower-cased */
  headerNames?: Record<string, string>;
};

/** A message to or from the integration's endpoint, as a test invocation's execution log reports it. */
export type TracedMessage = { headers: HeaderMap; body: Buffer; at: number };

/**
 * What TestInvokeMethod's execution log says beyond the context: the call to the endpoint and why
 * execution failed, in API Gateway's words. Steps record into it only when it is present.
 */
export type InvocationTrace = {
  endpointRequest?: TracedMessage & { uri: string };
  endpointResponse?: TracedMessage & { statusCode: number };
  /** e.g. `Execution failed due to configuration error: Invalid endpoint address` */
  failure?: string[];
};

/** A Lambda authorizer's principalId, context and usageIdentifierKey, or a user pool token's claims. */
export type AuthorizerIdentity = {
  principalId?: string;
  /** context values as strings, as API Gateway passes them on */
  context?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  usageIdentifierKey?: string;
  /** the authorizer function's latency in ms (0 when answered from the cache) */
  integrationLatency?: number;
};

/** The caller of an AWS_IAM method, as SigV4 established it: $context.identity.* */
export type IamCaller = { accessKeyId: string; accountId: string; arn: string; principalId: string; userName?: string };

export type InvocationContext = {
  requestId: string;
  /** extendedRequestId / x-amz-apigw-id */
  extendedRequestId: string;
  startedAt: number;
  /** performance.now() when the request arrived: the Latency metric's sub-millisecond start */
  startedPerf?: number;
  httpMethod: string;
  protocol: string;
  sourceIp: string;
  domainName: string;
  /** the request path after the stage, e.g. `/pets/1` (decoded segments joined) */
  path: string;
  /** reached through a custom domain name: what precedes `path` (the base path, and the stage when the path names it) */
  basePath?: string;
  /** the client certificate a custom domain name with mutual TLS verified: $context.identity.clientCert */
  clientCert?: ClientCertIdentity;
  segments: string[];
  query: QueryMap;
  headers: HeaderMap;
  /** header names as the client sent them, for proxy events and passthrough */
  rawHeaderNames: Record<string, string>;
  body: Buffer;
  /** the request target and body exactly as received (before locating and decoding): what SigV4 signed */
  received: { path: string; query: string; body: Buffer };

  stage?: CompiledStage;
  resource?: SnapshotResource;
  method?: Method;
  integration?: Integration;
  pathParams: Record<string, string>;
  /** the worker's long-lived clients and caches */
  services: WorkerServices;
  /** what the method's authorizer established: $context.authorizer.* and the proxy event's requestContext.authorizer */
  authorizer?: AuthorizerIdentity;
  /** who signed the request of an AWS_IAM method */
  iamCaller?: IamCaller;
  /** the API key of a method that requires one, and the usage plan it is used under (none for a legacy stage key) */
  apiKey?: { id: string; value: string; usagePlan?: UsagePlanConfig };

  integrationRequest?: IntegrationRequest;
  integrationResult?: IntegrationResult;
  /** the integration's own latency, for $context.integrationLatency and logs */
  integrationLatencyMs?: number;
  /** why request validation failed: $context.error.validationErrorString */
  validationErrorString?: string;
  /** set by any step to answer the client; later steps are skipped */
  response?: MethodResult;
  /** the gateway response's error, when the request ended with one: $context.error.* in access logs */
  gatewayError?: { message: string | null; responseType: string };
  /** set by the stage cache step: true on a hit, false on a miss (CacheHitCount / CacheMissCount) */
  cacheHit?: boolean;
  /** where the integration's answer goes in the stage cache, set by the stage cache step on a miss */
  cacheEntry?: PendingCacheEntry;
  /** the bytes sent to the client (after compression): $context.responseLength */
  responseLength?: number;
  /** present only in test invocations (TestInvokeMethod) */
  trace?: InvocationTrace;
};

/** A stage cache entry to store once the method response is known, and whether to warn that Cache-Control was ignored. */
export type PendingCacheEntry = { partition: CachePartition; key: string; ttlSeconds: number; warn: boolean };

export type Step = (ctx: InvocationContext) => void | Promise<void>;

export const firstValue = (map: HeaderMap | QueryMap, name: string): string | undefined => map[name]?.[0];

/** Records why execution failed, in API Gateway's words, when the invocation is traced (a test invocation). */
export function traceFailure(ctx: InvocationContext, ...lines: string[]): void {
  if (ctx.trace) ctx.trace.failure = lines;
}
