// Which limits a request is held to, as pure functions of the config: the token buckets (usage plan
// per method or per key, stage per method, account) in the order API Gateway applies them, the fixed
// window each bucket is kept as, and a key's quota allowance in the current period.
import type { MethodSetting } from '../../control-plane/protocol/shapes.js';
import { nextQuotaPeriodStart, quotaPeriodStart, type Quota } from '../../shared/quota.js';
import type { ThrottleConfig, UsagePlanConfig } from '../../shared/worker-config.js';

/** A token bucket: its fleet-wide identity and its rate (tokens per second) and burst (bucket size). */
export type Bucket = { id: string; throttle: ThrottleConfig };

/**
 * How a bucket is kept: `points` requests per fixed window of `seconds` (whole seconds, the
 * granularity of rate-limiter-flexible's Redis store). The window is about burst / rate long, so it
 * admits about `burst` requests at once and `rate` per second over time; see the README for the tolerance.
 */
export type BucketWindow = { points: number; seconds: number };

const MAX_WINDOW_SECONDS = 86_400;

/** The window of a throttle; none when its rate or burst is 0, which admits nothing (as in API Gateway). */
export function bucketWindow({ rateLimit, burstLimit }: ThrottleConfig): BucketWindow | undefined {
  if (!(rateLimit > 0) || !(burstLimit >= 1)) return undefined;
  const seconds = Math.min(MAX_WINDOW_SECONDS, Math.max(1, Math.round(burstLimit / rateLimit)));
  return { points: Math.max(1, Math.round(rateLimit * seconds)), seconds };
}

export type RequestLimits = {
  accountId: string;
  restApiId: string;
  stageName: string;
  /** the matched resource's path (`/pets/{id}`) and method (`GET`, `ANY`) */
  resourcePath: string;
  httpMethod: string;
  methodSettings: Record<string, MethodSetting>;
  accountThrottle: ThrottleConfig;
  /** the API key and the plan it is used under, when the method requires a key in a plan */
  keyId?: string;
  plan?: UsagePlanConfig;
};

/** A stage method's throttle: its own settings, else the stage's `*\/*` defaults, else none. */
function stageThrottle(settings: Record<string, MethodSetting>, resourcePath: string, httpMethod: string): ThrottleConfig | undefined {
  const setting = settings[`${resourcePath.replace(/^\//, '')}/${httpMethod}`] ?? settings['*/*'];
  if (setting?.throttlingRateLimit === undefined && setting?.throttlingBurstLimit === undefined) return undefined;
  return { rateLimit: setting.throttlingRateLimit ?? 10000, burstLimit: setting.throttlingBurstLimit ?? 5000 };
}

/**
 * The buckets a request takes a token from, in API Gateway's order: the usage plan's throttle for
 * this method (by `{resourcePath}/{httpMethod}`), else the plan's own, each per API key; then the
 * stage's for this method (shared by all callers); then the account's.
 */
export function bucketsFor(r: RequestLimits): Bucket[] {
  const buckets: Bucket[] = [];
  const methodKey = `${r.resourcePath}/${r.httpMethod}`;
  if (r.plan && r.keyId) {
    const apiStage = r.plan.apiStages.find((s) => s.restApiId === r.restApiId && s.stageName === r.stageName);
    const perMethod = apiStage?.methodThrottles[methodKey];
    if (perMethod) buckets.push({ id: `plan:${r.plan.id}:${r.keyId}:${r.restApiId}/${r.stageName}${methodKey}`, throttle: perMethod });
    else if (r.plan.throttle) buckets.push({ id: `plan:${r.plan.id}:${r.keyId}`, throttle: r.plan.throttle });
  }
  const stage = stageThrottle(r.methodSettings, r.resourcePath, r.httpMethod);
  if (stage) buckets.push({ id: `stage:${r.restApiId}/${r.stageName}${methodKey}`, throttle: stage });
  buckets.push({ id: `account:${r.accountId}`, throttle: r.accountThrottle });
  return buckets;
}

/** A key's quota in the period that holds now: the plan and key's counter, the period, its allowance, and when the count may go. */
export type QuotaCheck = { counter: string; periodStart: string; allowance: number; expiresInSeconds: number };

const DAY_MS = 86_400_000;
let today = { start: 0, day: '1970-01-01' };

/** The UTC day (`yyyy-mm-dd`) of an epoch time, formatted once per day rather than per request. */
export function utcDayOf(epochMs: number): string {
  if (epochMs < today.start || epochMs >= today.start + DAY_MS) {
    const start = epochMs - (((epochMs % DAY_MS) + DAY_MS) % DAY_MS);
    today = { start, day: new Date(start).toISOString().slice(0, 10) };
  }
  return today.day;
}

type QuotaPeriod = { day: string; periodStart: string; periodEnd: number };

/** The quota period of each plan on the day last asked about: it changes once a day at most. */
const periods = new WeakMap<UsagePlanConfig, QuotaPeriod>();

function quotaPeriod(plan: UsagePlanConfig & { quota: Quota }, day: string): QuotaPeriod {
  const known = periods.get(plan);
  if (known?.day === day) return known;
  const periodStart = quotaPeriodStart(plan.quota, day);
  const period = { day, periodStart, periodEnd: Date.parse(`${nextQuotaPeriodStart(plan.quota, periodStart)}T00:00:00Z`) };
  periods.set(plan, period);
  return period;
}

export function quotaCheck(plan: UsagePlanConfig & { quota: Quota }, keyId: string, now: Date | number): QuotaCheck {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const { periodStart, periodEnd } = quotaPeriod(plan, utcDayOf(nowMs));
  const adjustment = plan.quotaAdjustments[keyId];
  const allowance = plan.quota.limit + (adjustment?.periodStart === periodStart ? adjustment.delta : 0);
  // Kept a day past the period, so that a worker with a slow clock still finds it.
  const expiresInSeconds = Math.ceil((periodEnd - nowMs) / 1000) + 86_400;
  return { counter: `quota:${plan.id}:${keyId}`, periodStart, allowance, expiresInSeconds };
}
