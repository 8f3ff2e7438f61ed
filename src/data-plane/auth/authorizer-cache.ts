// The worker's cache of authorizer results: per stage and authorizer, keyed by the identity source
// values, each entry kept for the authorizer's TTL. Memory is bounded by an entry count and an
// estimate of bytes, least recently used first out. FlushStageAuthorizersCache bumps the stage's
// epoch in the worker config; an entry stored under another epoch is dropped when next looked up.

type Entry<V> = { value: V; expiresAt: number; epoch: number; bytes: number };

export type AuthorizerCacheLimits = { maxEntries: number; maxBytes: number };

const DEFAULT_LIMITS: AuthorizerCacheLimits = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };

/** What a cached result belongs to: the stage (and its deployment) and the authorizer. */
export type CacheScope = { restApiId: string; stageName: string; deploymentId: string; authorizerId: string; epoch: number };

export class AuthorizerCache<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;

  constructor(
    private readonly limits: AuthorizerCacheLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  static key(scope: CacheScope, identity: string[]): string {
    return JSON.stringify([scope.restApiId, scope.stageName, scope.deploymentId, scope.authorizerId, identity]);
  }

  get size(): number {
    return this.entries.size;
  }

  get(scope: CacheScope, identity: string[]): V | undefined {
    const key = AuthorizerCache.key(scope, identity);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.delete(key, entry);
    if (entry.expiresAt <= this.now() || entry.epoch !== scope.epoch) return undefined;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    return entry.value;
  }

  /** Keeps `value` for `ttlSeconds`; `bytes` estimates what it holds, for the memory bound. */
  set(scope: CacheScope, identity: string[], value: V, ttlSeconds: number, bytes: number): void {
    if (ttlSeconds <= 0) return;
    const key = AuthorizerCache.key(scope, identity);
    const size = bytes + key.length * 2;
    if (size > this.limits.maxBytes) return;
    const existing = this.entries.get(key);
    if (existing) this.delete(key, existing);
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000, epoch: scope.epoch, bytes: size });
    this.bytes += size;
    this.evict();
  }

  private delete(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(key, entry);
    }
  }
}
