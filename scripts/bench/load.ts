// A small load generator over undici: keep-alive connections and either a fixed number of requests
// in flight (peak throughput) or a fixed request rate (latency at a given load).
import { Pool } from 'undici';

export type Target = { origin: string; path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string };
/** `failures`: non-200 answers by status, and requests that failed without one (`error`). */
export type LoadResult = { rps: number; p50: number; p99: number; errors: number; failures: Record<string, number>; requests: number; cpuMicrosPerRequest?: number };
/** the processes answering: their CPU time per request is reported */
export type CpuMeter = () => number;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drive(target: Target, durationMs: number, concurrency: number, rate: number | undefined, cpu?: CpuMeter): Promise<LoadResult> {
  // A request that never finishes fails after 30 s instead of holding up the run.
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  const failures: Record<string, number> = {};
  const failed = (why: string) => {
    errors++;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  let inFlight = 0;
  const cpuBefore = cpu?.();
  const started = performance.now();
  const end = started + durationMs;
  const one = async () => {
    inFlight++;
    const t0 = performance.now();
    try {
      const res = await pool.request({ method: target.method ?? 'GET', path: target.path, headers: target.headers, body: target.body });
      await res.body.dump();
      if (res.statusCode !== 200) failed(String(res.statusCode));
      else latencies.push(performance.now() - t0);
    } catch {
      failed('error');
    }
    inFlight--;
  };
  if (rate === undefined) {
    const worker = async () => {
      while (performance.now() < end) await one();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } else {
    // Paced: each millisecond tick sends what the rate owes so far, bounded by the connections.
    let sent = 0;
    const pending: Promise<void>[] = [];
    while (performance.now() < end) {
      const owed = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
      for (let i = 0; i < owed && inFlight < concurrency * 4; i++, sent++) pending.push(one());
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpuUsed = cpu && cpuBefore !== undefined ? cpu() - cpuBefore : undefined;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  return {
    rps: requests / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, failures, requests,
    ...(cpuUsed !== undefined && requests > 0 ? { cpuMicrosPerRequest: cpuUsed / (requests + errors) } : {}),
  };
}

/** Peak throughput with `concurrency` requests in flight, after a warm-up; `cpu` meters the servers. */
export async function peak(target: Target, durationMs: number, concurrency: number, cpu?: CpuMeter): Promise<LoadResult> {
  await drive(target, Math.min(1000, durationMs / 3), concurrency, undefined);
  return drive(target, durationMs, concurrency, undefined, cpu);
}

/** Latency at a fixed request rate. */
export function paced(target: Target, durationMs: number, concurrency: number, rate: number): Promise<LoadResult> {
  return drive(target, durationMs, concurrency, rate);
}
