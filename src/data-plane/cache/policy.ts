// Which methods of a stage the stage cache serves, and how, compiled once per config from the
// stage's cache cluster and methodSettings, as the Developer Guide's "Cache settings for REST APIs"
// says: a cluster must be enabled; a method's own settings (`{resourcePath}/{httpMethod}`) or else
// the stage's (`*/*`) must enable caching with a TTL above 0 (default 300, at most 3600); the
// stage-wide settings cache GET requests only, a method's own settings whatever the method serves.
// Entries are keyed by the integration's cacheNamespace (the resource id unless set), the request's
// HTTP method and the values of the integration's cacheKeyParameters.
import type { Integration, Method, MethodSetting } from '../../control-plane/protocol/shapes.js';
import type { SnapshotResource, StageConfig } from '../../shared/worker-config.js';
import type { InvocationContext } from '../pipeline/context.js';
import type { CachePartition } from './stage-cache.js';

const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;
const GIB = 1024 ** 3;

export type UnauthorizedCacheControlStrategy = 'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';

/** Reads one cache key parameter's value from the request. */
type KeyPart = (ctx: InvocationContext) => string;

export type MethodCachePolicy = {
  /** true when only the stage-wide `*\/*` settings enable caching: then GET requests only */
  getOnly: boolean;
  ttlSeconds: number;
  namespace: string;
  keyParts: KeyPart[];
  /** `Cache-Control: max-age=0` needs execute-api:InvalidateCache */
  requireAuthorization: boolean;
  unauthorizedStrategy: UnauthorizedCacheControlStrategy;
};

export type StageCachePolicy = { partition: CachePartition; methods: Map<Method, MethodCachePolicy> };

const joined = (values: string[] | undefined) => (values ?? []).join(',');

/** `method.request.{path|querystring|multivaluequerystring|header|multivalueheader}.{name}` as a key part. */
function methodRequestPart(location: string, name: string): KeyPart | undefined {
  switch (location) {
    case 'path':
      return (ctx) => ctx.pathParams[name] ?? '';
    case 'querystring':
    case 'multivaluequerystring':
      return (ctx) => joined(ctx.query[name]);
    case 'header':
    case 'multivalueheader': {
      const lower = name.toLowerCase();
      return (ctx) => joined(ctx.headers[lower]);
    }
    default:
      return undefined;
  }
}

/**
 * A cache key parameter: a method request parameter, or an integration request parameter standing
 * for what the integration maps into it (a method request parameter, or a fixed 'value').
 */
function keyPart(parameter: string, integration: Integration): KeyPart | undefined {
  const direct = /^method\.request\.([a-z]+)\.(.+)$/.exec(parameter);
  if (direct) return methodRequestPart(direct[1]!, direct[2]!);
  const source = integration.requestParameters?.[parameter];
  if (source === undefined) return undefined;
  const mapped = /^method\.request\.([a-z]+)\.(.+)$/.exec(source);
  if (mapped) return methodRequestPart(mapped[1]!, mapped[2]!);
  const literal = /^'(.*)'$/s.exec(source)?.[1] ?? source;
  return () => literal;
}

/** The methodSettings key of a method, as UpdateStage writes it: the resource path without its leading slash. */
const settingKey = (resourcePath: string, httpMethod: string) => `${resourcePath.replace(/^\//, '')}/${httpMethod}`;

function methodPolicy(stage: StageConfig, resource: SnapshotResource, httpMethod: string, method: Method): MethodCachePolicy | undefined {
  const own: MethodSetting | undefined = stage.methodSettings[settingKey(resource.path, httpMethod)];
  const setting = own ?? stage.methodSettings['*/*'];
  if (!setting?.cachingEnabled) return undefined;
  const ttlSeconds = Math.min(setting.cacheTtlInSeconds ?? DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS);
  if (ttlSeconds <= 0) return undefined;
  const integration = method.methodIntegration ?? {};
  return {
    getOnly: own === undefined,
    ttlSeconds,
    namespace: integration.cacheNamespace || resource.id,
    keyParts: (integration.cacheKeyParameters ?? []).flatMap((p) => keyPart(p, integration) ?? []),
    requireAuthorization: setting.requireAuthorizationForCacheControl ?? true,
    unauthorizedStrategy: (setting.unauthorizedCacheControlHeaderStrategy as UnauthorizedCacheControlStrategy | undefined) ?? 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

/** The stage's cache, or undefined when its cluster is off or no method caches. */
export function compileStageCache(stage: StageConfig, resources: SnapshotResource[]): StageCachePolicy | undefined {
  if (!stage.cacheClusterEnabled) return undefined;
  const methods = new Map<Method, MethodCachePolicy>();
  for (const resource of resources) {
    for (const [httpMethod, method] of Object.entries(resource.methods)) {
      const policy = methodPolicy(stage, resource, httpMethod, method);
      if (policy) methods.set(method, policy);
    }
  }
  if (!methods.size) return undefined;
  const size = stage.cacheClusterSize ?? '0.5';
  return {
    partition: { id: `${stage.restApiId}/${stage.stageName}`, generation: `${stage.cacheEpoch ?? 0}:${size}`, capacityBytes: Number(size) * GIB },
    methods,
  };
}

/** The entry's key within the stage's cache. */
export function cacheKey(policy: MethodCachePolicy, ctx: InvocationContext): string {
  return JSON.stringify([policy.namespace, ctx.httpMethod, ...policy.keyParts.map((part) => part(ctx))]);
}
