// Where throttle buckets and quota counters live: in Redis (PORTICO_REDIS_URL) so that every worker
// of a fleet shares them, through rate-limiter-flexible (buckets are its fixed windows, limits.ts;
// quota counters its counters with the period in their key), else in this process, where both are
// plain counts answered synchronously: the request path then waits for no promise.
//
// When Redis cannot be reached, a worker keeps serving: buckets fall back to the library's in-memory
// insurance limiter and quota counters to in-process counts (limits hold per worker, not per fleet,
// until Redis is back), with a warning in the log.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { logger } from '../../logger.js';
import type { ThrottleConfig } from '../../shared/worker-config.js';
import { bucketWindow, type BucketWindow, type QuotaCheck } from './limits.js';

const KEY_PREFIX = 'portico';
const WARN_EVERY_MS = 10_000;
/** How long a starting worker's first requests wait for Redis before falling back to this process. */
const FIRST_CONNECT_WAIT_MS = 3_000;
/** How often ended throttle windows of this process are forgotten. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed windows of this process, as rate-limiter-flexible's memory store keeps them: a window starts
 * with a bucket's first request and admits `points` requests until `seconds` have passed. Windows
 * that have ended are swept now and then rather than each given a timer.
 */
class ProcessWindows {
  private readonly windows = new Map<string, { endsAt: number; used: number }>();
  private nextSweep = 0;

  take(key: string, { points, seconds }: BucketWindow, now = Date.now()): boolean {
    if (now >= this.nextSweep) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now >= window.endsAt) this.windows.set(key, (window = { endsAt: now + seconds * 1000, used: 0 }));
    window.used++;
    return window.used <= points;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now >= window.endsAt) this.windows.delete(key);
    this.nextSweep = now + SWEEP_EVERY_MS;
  }
}

/** Quota counts of this process, one period per plan and key: the store without Redis, and the fallback with it. */
class ProcessQuotas {
  private readonly counts = new Map<string, { periodStart: string; used: number }>();

  take(check: QuotaCheck): boolean {
    let count = this.counts.get(check.counter);
    if (count?.periodStart !== check.periodStart) this.counts.set(check.counter, (count = { periodStart: check.periodStart, used: 0 }));
    if (count.used >= check.allowance) return false;
    count.used++;
    return true;
  }
}

export class Limiter {
  private readonly windows = new Map<string, RateLimiterAbstract>();
  private readonly processQuotas = new ProcessQuotas();
  private readonly processWindows = new ProcessWindows();
  private readonly quotaCounter?: RateLimiterRedis;
  private lastWarning = 0;
  /** Settles once Redis is first ready, or once a starting worker has waited long enough for it. */
  private firstConnect?: Promise<void>;

  constructor(private readonly redis?: Redis) {
    // A counter, not a limiter: the allowance differs per key and period, so consume never rejects and take() compares.
    if (redis) this.quotaCounter = new RateLimiterRedis({ storeClient: redis, keyPrefix: KEY_PREFIX, points: Number.MAX_SAFE_INTEGER, duration: 1, rejectIfRedisNotReady: true });
    if (redis && redis.status !== 'ready') {
      this.firstConnect = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
        timer.unref();
        redis.once('ready', () => (clearTimeout(timer), resolve()));
      }).then(() => (this.firstConnect = undefined));
    }
  }

  /**
   * A worker that has just started serves from its cached config at once, before its Redis
   * connection is up: its first requests wait for the connection (briefly), so that a restarted
   * worker finds the fleet's counts instead of starting its own from zero.
   */
  private async connected(): Promise<void> {
    if (this.firstConnect) await this.firstConnect;
  }

  /** Takes a token from a bucket: false when it is empty (or admits nothing). Without Redis, the answer is not a promise. */
  take(bucketId: string, throttle: ThrottleConfig): boolean | Promise<boolean> {
    const window = bucketWindow(throttle);
    if (!window) return false;
    // The window is in the key: a changed throttle starts a fresh bucket.
    if (!this.redis) return this.processWindows.take(`${bucketId}:${window.points}/${window.seconds}`, window);
    return this.takeShared(bucketId, window);
  }

  private async takeShared(bucketId: string, window: BucketWindow): Promise<boolean> {
    await this.connected();
    try {
      // The window is in the key: a changed throttle starts a fresh bucket.
      await this.windowLimiter(window).consume(`${bucketId}:${window.points}/${window.seconds}`);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      this.warn(err, 'throttle bucket unavailable; request admitted');
      return true;
    }
  }

  /** Counts a request against a key's quota: false, and not counted, when the allowance is used up. Without Redis, the answer is not a promise. */
  takeQuota(check: QuotaCheck): boolean | Promise<boolean> {
    if (!this.quotaCounter) return this.processQuotas.take(check);
    return this.takeSharedQuota(this.quotaCounter, check);
  }

  private async takeSharedQuota(quotaCounter: RateLimiterRedis, check: QuotaCheck): Promise<boolean> {
    await this.connected();
    // The period is in the key: a new period starts from zero on every worker at once.
    const key = `${check.counter}:${check.periodStart}`;
    const options = { customDuration: check.expiresInSeconds };
    try {
      const counted = await quotaCounter.consume(key, 1, options);
      if (counted.consumedPoints <= check.allowance) return true;
      // Refused requests do not count: an allowance raised by UpdateUsage admits exactly the difference.
      await quotaCounter.reward(key, 1, options);
      return false;
    } catch (err) {
      this.warn(err, 'Redis unreachable; quota counted in this worker only');
      return this.processQuotas.take(check);
    }
  }

  private windowLimiter({ points, seconds }: BucketWindow): RateLimiterAbstract {
    const id = `${points}/${seconds}`;
    let limiter = this.windows.get(id);
    if (!limiter) {
      const options = { keyPrefix: `${KEY_PREFIX}:throttle`, points, duration: seconds };
      limiter = new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
      this.windows.set(id, limiter);
    }
    return limiter;
  }

  private warn(err: unknown, message: string): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    logger.warn({ err: (err as Error).message }, message);
  }
}

/** A Redis connection that fails fast while Redis is down (commands are never queued), reconnecting in the background. */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: err.message }, 'Redis unreachable: throttles and quotas hold per worker until it is back');
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis reachable again: throttles and quotas hold for the fleet');
    down = false;
  });
  return redis;
}
