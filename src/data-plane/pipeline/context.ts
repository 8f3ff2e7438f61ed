// The invocation context carried through the pipeline: each step reads what earlier steps found
// and may finish the request early by setting `response` (or throwing a GatewayError).
import type { Integration, Method } from '../../control-plane/protocol/shapes.js';
import type { SnapshotResource } from '../../shared/worker-config.js';
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

export type MethodResult = { statusCode: number; headers: HeaderMap; body: Buffer };

export type InvocationContext = {
  requestId: string;
  /** extendedRequestId / x-amz-apigw-id */
  extendedRequestId: string;
  startedAt: number;
  httpMethod: string;
  protocol: string;
  sourceIp: string;
  domainName: string;
  /** the request path after the stage, e.g. `/pets/1` (decoded segments joined) */
  path: string;
  segments: string[];
  query: QueryMap;
  headers: HeaderMap;
  /** header names as the client sent them, for proxy events and passthrough */
  rawHeaderNames: Record<string, string>;
  body: Buffer;

  stage?: CompiledStage;
  resource?: SnapshotResource;
  method?: Method;
  integration?: Integration;
  pathParams: Record<string, string>;
  /** the worker's long-lived clients and caches */
  services: WorkerServices;

  integrationRequest?: IntegrationRequest;
  integrationResult?: IntegrationResult;
  /** the integration's own latency, for $context.integrationLatency and logs */
  integrationLatencyMs?: number;
  /** set by any step to answer the client; later steps are skipped */
  response?: MethodResult;
};

export type Step = (ctx: InvocationContext) => void | Promise<void>;

export const firstValue = (map: HeaderMap | QueryMap, name: string): string | undefined => map[name]?.[0];
