// The warm execution environments of one function: reused most recently used first, at most
// `limit` at once (further invocations wait their turn, up to a bounded queue), evicted when idle
// too long or when the function's code changes.
import { ExecutionEnvironment, type EnvironmentSpec, type Invocation, type Outcome } from './environment.js';

/** Invocations that may wait for a busy function before Lambda's throttling answer. */
const MAX_WAITING = 1000;

export class Throttled extends Error {}
export class PoolClosed extends Error {}

type Waiting = { spec: EnvironmentSpec; resolve: (env: ExecutionEnvironment) => void; reject: (err: Error) => void };

export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: Waiting[] = [];
  private version: string | undefined;
  private closed = false;

  constructor(private readonly limit: number) {}

  async run(spec: EnvironmentSpec, invocation: Invocation): Promise<Outcome> {
    const env = await this.acquire(spec);
    try {
      return await env.invoke(invocation);
    } finally {
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
    if (!env && this.busy.size < this.limit) env = new ExecutionEnvironment(spec);
    if (env) {
      this.busy.add(env);
      return env;
    }
    if (this.waiting.length >= MAX_WAITING) throw new Throttled();
    return new Promise((resolve, reject) => this.waiting.push({ spec, resolve, reject }));
  }

  private release(env: ExecutionEnvironment): void {
    this.busy.delete(env);
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
    return new ExecutionEnvironment(spec);
  }

  private remove(env: ExecutionEnvironment): void {
    const i = this.idle.indexOf(env);
    if (i >= 0) this.idle.splice(i, 1);
    env.kill();
  }
}
