// Stage cache: before the integration request, answers from the stage cache when the method is
// cached and an entry is there (the integration is skipped); after the method response is known,
// stores it. `Cache-Control: max-age=0` skips the lookup and replaces the entry when the caller may
// invalidate it (cache/invalidation.ts); otherwise the method's unauthorizedCacheControlHeaderStrategy
// decides: FAIL_WITH_403, or ignore the header with (SUCCEED_WITH_RESPONSE_HEADER) or without a warning.
import { asksForFresh, invalidationDenied, mayInvalidate } from '../cache/invalidation.js';
import { cacheKey, type MethodCachePolicy } from '../cache/policy.js';
import type { InvocationContext, MethodResult } from './context.js';

const IGNORED_WARNING = '199 Cache-control headers were ignored because the caller was unauthorized.';

const withWarning = (response: MethodResult): MethodResult => ({ ...response, headers: { ...response.headers, warning: [IGNORED_WARNING] } });

/** Whether the request may read the cache (false: fetch a fresh answer), and whether to warn; or throws the 403. */
function cacheControl(ctx: InvocationContext, policy: MethodCachePolicy): { read: boolean; warn: boolean } {
  if (!asksForFresh(ctx)) return { read: true, warn: false };
  if (!policy.requireAuthorization || mayInvalidate(ctx)) return { read: false, warn: false };
  switch (policy.unauthorizedStrategy) {
    case 'FAIL_WITH_403':
      throw invalidationDenied(ctx);
    case 'SUCCEED_WITHOUT_RESPONSE_HEADER':
      return { read: true, warn: false };
    default:
      return { read: true, warn: true };
  }
}

export function stageCache(ctx: InvocationContext): void {
  const cache = ctx.stage!.cache;
  const policy = cache?.methods.get(ctx.method!);
  const store = ctx.services.stageCache;
  if (!cache || !policy || !store || (policy.getOnly && ctx.httpMethod !== 'GET')) return;
  const { read, warn } = cacheControl(ctx, policy);
  const key = cacheKey(policy, ctx);
  const hit = read ? store.get(cache.partition, key) : undefined;
  ctx.cacheHit = hit !== undefined;
  if (hit) {
    ctx.response = warn ? withWarning(hit) : hit;
    return;
  }
  ctx.cacheEntry = { partition: cache.partition, key, ttlSeconds: policy.ttlSeconds, warn };
}

/** After the integration answered without a gateway error: keeps its method response for the TTL. */
export function storeInStageCache(ctx: InvocationContext): void {
  const entry = ctx.cacheEntry;
  if (!entry || !ctx.response) return;
  ctx.services.stageCache?.set(entry.partition, entry.key, ctx.response, entry.ttlSeconds);
  if (entry.warn) ctx.response = withWarning(ctx.response);
}
