// The signing keys of user pools, fetched from their JWKS URIs and cached per worker. A token signed
// with a key id the cache does not know triggers a refetch (at most one per URI every
// `minRefreshMs`, so forged key ids cannot make the worker hammer the issuer); key sets are
// refetched after `maxAgeMs`, and a set that cannot be refetched keeps serving. Bounded: at most
// `maxSets` URIs, `maxKeys` keys per set, `maxBytes` per document.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import { logger } from '../../logger.js';

export type JwksLimits = {
  timeoutMs: number;
  /** the least time between two fetches of one set after a success */
  minRefreshMs: number;
  /** after a failed fetch */
  retryMs: number;
  maxAgeMs: number;
  maxSets: number;
  maxKeys: number;
  maxBytes: number;
};

const DEFAULT_LIMITS: JwksLimits = { timeoutMs: 5000, minRefreshMs: 30_000, retryMs: 1000, maxAgeMs: 3_600_000, maxSets: 100, maxKeys: 50, maxBytes: 1024 * 1024 };

type KeySet = { keys: Map<string, KeyObject>; fetchedAt: number; nextFetchAt: number; pending?: Promise<void> };

/** The issuer's keys could not be fetched and none are cached. */
export class JwksUnavailable extends Error {}

export class JwksClient {
  private readonly sets = new Map<string, KeySet>();
  private readonly limits: JwksLimits;

  constructor(limits: Partial<JwksLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** The RSA public key `kid` of the set at `uri`; undefined when the set has no such key. */
  async key(uri: string, kid: string): Promise<KeyObject | undefined> {
    const set = this.sets.get(uri) ?? this.remember(uri, { keys: new Map(), fetchedAt: -Infinity, nextFetchAt: 0 });
    const fresh = this.now() - set.fetchedAt < this.limits.maxAgeMs;
    if (!(set.keys.has(kid) && fresh) && (set.pending || this.now() >= set.nextFetchAt)) await this.refresh(uri, set);
    if (!set.keys.size) throw new JwksUnavailable(uri);
    return set.keys.get(kid);
  }

  /** One fetch at a time per set; a failure keeps the keys already known. */
  private refresh(uri: string, set: KeySet): Promise<void> {
    set.pending ??= this.fetch(uri)
      .then(
        (keys) => {
          set.keys = keys;
          set.fetchedAt = this.now();
          set.nextFetchAt = this.now() + this.limits.minRefreshMs;
        },
        (err: Error) => {
          logger.warn({ jwksUri: uri, err: err.message }, 'could not fetch the user pool signing keys');
          set.nextFetchAt = this.now() + this.limits.retryMs;
        },
      )
      .finally(() => {
        set.pending = undefined;
      });
    return set.pending;
  }

  private remember(uri: string, set: KeySet): KeySet {
    this.sets.set(uri, set);
    for (const oldest of this.sets.keys()) {
      if (this.sets.size <= this.limits.maxSets) break;
      this.sets.delete(oldest);
    }
    return set;
  }

  private async fetch(uri: string): Promise<Map<string, KeyObject>> {
    const res = await request(uri, { headersTimeout: this.limits.timeoutMs, bodyTimeout: this.limits.timeoutMs, headers: { accept: 'application/json' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.limits.maxBytes) {
        res.body.destroy();
        throw new Error(`JWKS document larger than ${this.limits.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    if (res.statusCode !== 200) throw new Error(`JWKS URI answered ${res.statusCode}`);
    const document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { keys?: unknown };
    if (!Array.isArray(document.keys)) throw new Error('JWKS document has no "keys" list');
    const keys = new Map<string, KeyObject>();
    for (const jwk of document.keys as (JsonWebKey & { kid?: unknown; use?: unknown })[]) {
      if (keys.size >= this.limits.maxKeys) break;
      if (typeof jwk?.kid !== 'string' || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        logger.warn({ jwksUri: uri, kid: jwk.kid }, 'skipping a JWKS key that does not load');
      }
    }
    return keys;
  }
}
