// The worker's stage cache: method responses per stage (a partition), each entry kept for its
// method's TTL. AWS runs one cache cluster per stage; here every worker holds its own, in memory.
// Memory is bounded twice: each stage by its cacheClusterSize, the whole worker by
// PORTICO_STAGE_CACHE_MAX_MB; the least recently used entries go first. A partition whose
// generation changes (FlushStageCache bumps the epoch; a new cluster size is a new cluster, as in
// AWS) is emptied at once.
import type { MethodResult } from '../pipeline/context.js';

/** Which stage cache a request uses, as compiled from the stage config. */
export type CachePartition = {
  /** `{restApiId}/{stageName}` */
  id: string;
  /** changes when the stage's cache must start empty: the flush epoch and the cluster size */
  generation: string;
  /** the cluster size in bytes */
  capacityBytes: number;
};

/** AWS caches responses up to this size only. */
export const MAX_ENTRY_BYTES = 1_048_576;
/** What an entry costs beyond its key, headers and body (the Map slot, the objects). */
const ENTRY_OVERHEAD_BYTES = 128;

type Entry = { response: MethodResult; expiresAt: number; bytes: number; lastUsed: number };

type Partition = { generation: string; capacityBytes: number; entries: Map<string, Entry>; bytes: number };

function responseBytes(response: MethodResult): number {
  let bytes = response.body.length;
  for (const [name, values] of Object.entries(response.headers)) for (const value of values) bytes += name.length + value.length;
  return bytes;
}

export class StageCache {
  private readonly partitions = new Map<string, Partition>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes held, over all stages. */
  get size(): number {
    return this.bytes;
  }

  get(where: CachePartition, key: string): MethodResult | undefined {
    const partition = this.partition(where, false);
    const entry = partition?.entries.get(key);
    if (!partition || !entry) return undefined;
    partition.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.release(partition, entry);
      return undefined;
    }
    // Re-inserting keeps each partition's Map in least-recently-used-first order.
    entry.lastUsed = this.now();
    partition.entries.set(key, entry);
    return entry.response;
  }

  /** Keeps `response` for `ttlSeconds`, unless it is larger than AWS caches or than the stage may hold. */
  set(where: CachePartition, key: string, response: MethodResult, ttlSeconds: number): void {
    const size = responseBytes(response);
    if (ttlSeconds <= 0 || size > MAX_ENTRY_BYTES) return;
    const bytes = size + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    const partition = this.partition(where, true)!;
    if (bytes > Math.min(partition.capacityBytes, this.maxBytes)) return;
    const existing = partition.entries.get(key);
    if (existing) {
      partition.entries.delete(key);
      this.release(partition, existing);
    }
    const now = this.now();
    partition.entries.set(key, { response, expiresAt: now + ttlSeconds * 1000, bytes, lastUsed: now });
    partition.bytes += bytes;
    this.bytes += bytes;
    this.evict(partition);
  }

  /** Forgets one entry (a client's authorized `Cache-Control: max-age=0` replaces it). */
  delete(where: CachePartition, key: string): void {
    const partition = this.partition(where, false);
    const entry = partition?.entries.get(key);
    if (!partition || !entry) return;
    partition.entries.delete(key);
    this.release(partition, entry);
  }

  /** The stage's partition, emptied when its generation moved on; created on demand when `create`. */
  private partition(where: CachePartition, create: boolean): Partition | undefined {
    let partition = this.partitions.get(where.id);
    if (partition && partition.generation !== where.generation) {
      this.bytes -= partition.bytes;
      this.partitions.delete(where.id);
      partition = undefined;
    }
    if (!partition && create) {
      partition = { generation: where.generation, capacityBytes: where.capacityBytes, entries: new Map(), bytes: 0 };
      this.partitions.set(where.id, partition);
    }
    return partition;
  }

  private release(partition: Partition, entry: Entry): void {
    partition.bytes -= entry.bytes;
    this.bytes -= entry.bytes;
  }

  private evict(written: Partition): void {
    while (written.bytes > written.capacityBytes) this.evictOldest(written);
    while (this.bytes > this.maxBytes) {
      // The worker-wide bound takes the least recently used entry of any stage.
      let oldest: Partition | undefined;
      let oldestUse = Infinity;
      for (const partition of this.partitions.values()) {
        const head = partition.entries.values().next().value;
        if (head && head.lastUsed < oldestUse) {
          oldest = partition;
          oldestUse = head.lastUsed;
        }
      }
      if (!oldest) break;
      this.evictOldest(oldest);
    }
  }

  private evictOldest(partition: Partition): void {
    const first = partition.entries.entries().next().value;
    if (!first) return;
    partition.entries.delete(first[0]);
    this.release(partition, first[1]);
  }
}
