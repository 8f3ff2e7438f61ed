// Throttling and quotas: a token from each bucket the request is held to (usage plan per method or
// per key, stage method, account; usage/limits.ts), else 429 Too Many Requests; then, for a key in
// a plan with a quota, one request of the period's allowance, else 429 Limit Exceeded. Admitted
// requests of a key are counted for the usage plan's usage reports. Without Redis every answer is
// synchronous, and the step returns no promise.
import type { Method } from '../../control-plane/protocol/shapes.js';
import type { Quota } from '../../shared/quota.js';
import type { UsagePlanConfig } from '../../shared/worker-config.js';
import type { CompiledStage } from '../compile/index.js';
import { DEFAULT_ACCOUNT_THROTTLE } from '../usage/compile.js';
import type { UsageServices } from '../usage/index.js';
import { bucketsFor, quotaCheck, utcDayOf, type Bucket } from '../usage/limits.js';
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

const throttled = () => new GatewayError('THROTTLED', 'Too Many Requests');
const limitExceeded = () => new GatewayError('QUOTA_EXCEEDED', 'Limit Exceeded');

/**
 * The buckets of a stage's method, per API key ('' without one): they depend only on the config,
 * which a new CompiledStage replaces, so they are worked out on a method's first request.
 */
const bucketsByStage = new WeakMap<CompiledStage, WeakMap<Method, Map<string, Bucket[]>>>();

function bucketsOf(ctx: InvocationContext, stage: CompiledStage): Bucket[] {
  const keyId = ctx.apiKey?.usagePlan ? ctx.apiKey.id : '';
  const cacheable = ctx.method !== undefined;
  let byMethod = cacheable ? bucketsByStage.get(stage) : undefined;
  let byKey = ctx.method && byMethod?.get(ctx.method);
  const known = byKey?.get(keyId);
  if (known) return known;
  const { accountId, restApiId } = stage.deployment.snapshot;
  const plan = ctx.apiKey?.usagePlan;
  const buckets = bucketsFor({
    accountId,
    restApiId,
    stageName: stage.config.stageName,
    resourcePath: ctx.resource!.path,
    httpMethod: ctx.method?.httpMethod ?? ctx.httpMethod,
    methodSettings: stage.config.methodSettings,
    accountThrottle: stage.usage?.accountThrottles.get(accountId) ?? DEFAULT_ACCOUNT_THROTTLE,
    ...(plan ? { plan, keyId: ctx.apiKey!.id } : {}),
  });
  if (!cacheable) return buckets;
  if (!byMethod) bucketsByStage.set(stage, (byMethod = new WeakMap()));
  if (!byKey) byMethod.set(ctx.method!, (byKey = new Map()));
  byKey.set(keyId, buckets);
  return buckets;
}

export function throttle(ctx: InvocationContext): void | Promise<void> {
  const stage = ctx.stage;
  const usage = ctx.services.usage;
  if (!stage || !ctx.resource || !usage) return;
  const buckets = bucketsOf(ctx, stage);
  for (let i = 0; i < buckets.length; i++) {
    const taken = usage.limiter.take(buckets[i]!.id, buckets[i]!.throttle);
    if (typeof taken !== 'boolean') return takeShared(ctx, usage, buckets, i, taken);
    if (!taken) throw throttled();
  }
  return countUsage(ctx, usage);
}

/** The rest of the buckets when they live in Redis. */
async function takeShared(ctx: InvocationContext, usage: UsageServices, buckets: Bucket[], from: number, first: Promise<boolean>): Promise<void> {
  if (!(await first)) throw throttled();
  for (let i = from + 1; i < buckets.length; i++) {
    if (!(await usage.limiter.take(buckets[i]!.id, buckets[i]!.throttle))) throw throttled();
  }
  await countUsage(ctx, usage);
}

/** One request of the key's quota, and of its usage. */
function countUsage(ctx: InvocationContext, usage: UsageServices): void | Promise<void> {
  const plan = ctx.apiKey?.usagePlan;
  if (!plan) return;
  if (plan.quota) {
    const taken = usage.limiter.takeQuota(quotaCheck(plan as UsagePlanConfig & { quota: Quota }, ctx.apiKey!.id, ctx.startedAt));
    if (typeof taken !== 'boolean') {
      return taken.then((admitted) => {
        if (!admitted) throw limitExceeded();
        report(ctx, usage, plan);
      });
    }
    if (!taken) throw limitExceeded();
  }
  report(ctx, usage, plan);
}

function report(ctx: InvocationContext, usage: UsageServices, plan: UsagePlanConfig): void {
  usage.reporter.count(plan.id, ctx.apiKey!.id, utcDayOf(ctx.startedAt));
}
