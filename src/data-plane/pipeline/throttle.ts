// Throttling and quotas: a token from each bucket the request is held to (usage plan per method or
// per key, stage method, account; usage/limits.ts), else 429 Too Many Requests; then, for a key in
// a plan with a quota, one request of the period's allowance, else 429 Limit Exceeded. Admitted
// requests of a key are counted for the usage plan's usage reports.
import { utcDay } from '../../shared/quota.js';
import { bucketsFor, quotaCheck } from '../usage/limits.js';
import { DEFAULT_ACCOUNT_THROTTLE } from '../usage/compile.js';
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

export async function throttle(ctx: InvocationContext): Promise<void> {
  const stage = ctx.stage;
  const usage = ctx.services.usage;
  if (!stage || !ctx.resource || !usage) return;
  const { accountId, restApiId } = stage.deployment.snapshot;
  const plan = ctx.apiKey?.usagePlan;
  const buckets = bucketsFor({
    accountId,
    restApiId,
    stageName: stage.config.stageName,
    resourcePath: ctx.resource.path,
    httpMethod: ctx.method?.httpMethod ?? ctx.httpMethod,
    methodSettings: stage.config.methodSettings,
    accountThrottle: stage.usage?.accountThrottles.get(accountId) ?? DEFAULT_ACCOUNT_THROTTLE,
    ...(plan ? { plan, keyId: ctx.apiKey!.id } : {}),
  });
  for (const bucket of buckets) {
    if (!(await usage.limiter.take(bucket.id, bucket.throttle))) throw new GatewayError('THROTTLED', 'Too Many Requests');
  }
  if (!plan) return;
  if (plan.quota && !(await usage.limiter.takeQuota(quotaCheck({ ...plan, quota: plan.quota }, ctx.apiKey!.id, new Date(ctx.startedAt))))) {
    throw new GatewayError('QUOTA_EXCEEDED', 'Limit Exceeded');
  }
  usage.reporter.count(plan.id, ctx.apiKey!.id, utcDay(new Date(ctx.startedAt)));
}
