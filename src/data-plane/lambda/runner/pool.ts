// The warm execution environments of one function: reused most recently used first, at most
// `limit` at once (further invocations wait their turn, up to a bounded queue), evicted when idle
// too long or when the function's code changes.
//
// An invocation that finds every environment busy gets a new one at once while there are fewer
// than the machine has cores; beyond that, only when waiting for a busy one would take longer than
// starting one (its queue, at the function's recent duration, outlasts a cold start), or when no
// environment has freed up for a cold start's time while it waits (one such start at a time).
// A quick function under load so keeps to a few warm processes instead of one per request in flight
// (each process costs a core its caches and context switches), while slow ones still run side by side.
import { availableParallelism } from 'node:os';
import { ExecutionEnvironment, type EnvironmentSpec, type Invocation, type Outcome } from './environment.js';

/** Invocations that may wait for a busy function before Lambda's throttling answer. */
const MAX_WAITING = 1000;

/** Environments started without weighing a wait: one per core. */
const EAGER = Math.max(1, availableParallelism());

/** A cold start's duration until one has been measured. */
const DEFAULT_COLD_START_MS = 100;

/** The weight of the latest sample in the running averages. */
const SMOOTHING = 0.2;

export class Throttled extends Error {}
export class PoolClosed extends Error {}

type Waiting = { spec: EnvironmentSpec; since: number; resolve: (env: ExecutionEnvironment) => void; reject: (err: Error) => void };

const average = (current: number | undefined, sample: number) => (current === undefined ? sample : current + SMOOTHING * (sample - current));

export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: Waiting[] = [];
  private version: string | undefined;
  private closed = false;
  /** the function's recent invocation duration (ms), once one has finished */
  private durationMs: number | undefined;
  /** the function's recent cold start duration (ms), once one has been measured */
  private measuredColdStartMs: number | undefined;
  /** when an environment last finished an invocation */
  private lastReleased = 0;
  /** starts an environment for an invocation that has waited a cold start's time */
  private scaleTimer: NodeJS.Timeout | undefined;
  /** environments whose init phase is under way */
  private starting = 0;

  constructor(private readonly limit: number) {}

  async run(spec: EnvironmentSpec, invocation: Invocation): Promise<Outcome> {
    const env = await this.acquire(spec);
    try {
      return await env.invoke(invocation);
    } finally {
      if (env.lastDurationMs !== undefined) this.durationMs = average(this.durationMs, env.lastDurationMs);
      this.release(env);
    }
  }

  /** Stops environments idle since before `cutoff`. */
  evictIdleSince(cutoff: number): void {
    for (const env of this.idle.filter((e) => e.lastUsed < cutoff || !e.usable)) this.remove(env);
  }

  get size(): number {
    return this.idle.length + this.busy.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.scaleTimer);
    for (const waiting of this.waiting.splice(0)) waiting.reject(new PoolClosed());
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((env) => env.stop()));
  }

  private acquire(spec: EnvironmentSpec): ExecutionEnvironment | Promise<ExecutionEnvironment> {
    if (this.closed) throw new PoolClosed();
    if (spec.version !== this.version) {
      this.version = spec.version;
      for (const env of this.idle.splice(0)) env.kill();
    }
    let env: ExecutionEnvironment | undefined;
    while ((env = this.idle.pop()) && !env.usable);
    if (!env && this.busy.size < this.limit && this.worthStarting()) env = this.start(spec);
    if (env) {
      this.busy.add(env);
      return env;
    }
    if (this.waiting.length >= MAX_WAITING) throw new Throttled();
    return new Promise((resolve, reject) => {
      this.waiting.push({ spec, since: Date.now(), resolve, reject });
      this.armScaleTimer();
    });
  }

  /** Whether a new environment is likely to serve an invocation sooner than a busy one frees up. */
  private worthStarting(): boolean {
    if (this.busy.size < EAGER) return true;
    // Until an invocation has finished, the function's duration is unknown: the scale timer decides.
    if (this.durationMs === undefined) return false;
    const expectedWaitMs = (this.durationMs * (this.waiting.length + 1)) / this.busy.size;
    return expectedWaitMs >= this.coldStartMs;
  }

  private start(spec: EnvironmentSpec): ExecutionEnvironment {
    const env = new ExecutionEnvironment(spec);
    this.starting++;
    void env.started.then((ms) => {
      this.starting--;
      if (ms !== undefined) this.measuredColdStartMs = average(this.measuredColdStartMs, ms);
      this.armScaleTimer();
    });
    return env;
  }

  private get coldStartMs(): number {
    return this.measuredColdStartMs ?? DEFAULT_COLD_START_MS;
  }

  /** Since when the first waiting invocation has seen no environment free up. */
  private get stalledSince(): number {
    return Math.max(this.waiting[0]!.since, this.lastReleased);
  }

  /** While an environment is starting, it is the one the next waiting invocation gets: no other starts. */
  private armScaleTimer(): void {
    if (this.scaleTimer || this.closed || this.starting || !this.waiting.length || this.busy.size >= this.limit) return;
    this.scaleTimer = setTimeout(() => {
      this.scaleTimer = undefined;
      this.scaleUp();
    }, Math.max(1, this.stalledSince + this.coldStartMs - Date.now()));
    this.scaleTimer.unref();
  }

  /**
   * When no environment has freed up for a cold start's time while an invocation waits (the function
   * is slow, or its duration still unknown), one more starts for it: one start at a time.
   */
  private scaleUp(): void {
    const head = this.waiting[0];
    if (head && !this.closed && !this.starting && this.busy.size < this.limit && Date.now() - this.stalledSince >= this.coldStartMs) {
      this.waiting.shift();
      const env = this.start(head.spec);
      this.busy.add(env);
      head.resolve(env);
    }
    this.armScaleTimer();
  }

  private release(env: ExecutionEnvironment): void {
    this.busy.delete(env);
    this.lastReleased = Date.now();
    const reusable = env.usable && env.spec.version === this.version && !this.closed;
    const next = this.waiting.shift();
    if (next) {
      const handed = reusable && next.spec.version === env.spec.version ? env : this.replace(env, next.spec);
      this.busy.add(handed);
      next.resolve(handed);
    } else if (reusable) {
      this.idle.push(env);
    } else {
      env.kill();
    }
  }

  private replace(env: ExecutionEnvironment, spec: EnvironmentSpec): ExecutionEnvironment {
    env.kill();
    return this.start(spec);
  }

  private remove(env: ExecutionEnvironment): void {
    const i = this.idle.indexOf(env);
    if (i >= 0) this.idle.splice(i, 1);
    env.kill();
  }
}
