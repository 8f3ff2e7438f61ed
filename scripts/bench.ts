// `npm run bench`: what the gateway costs, on loopback and bounded (a few seconds per figure).
// Servers (the worker, the bare node:http server, the minimal proxy) run pinned to core 1 and the
// load generator (with the control plane) to core 0 when taskset exists. Every gateway case is
// measured beside its baselines in the same run, and the table prints each figure beside its
// target from issue 8. PORTICO_BENCH_SECONDS shortens it for a smoke run; PORTICO_BENCH_PROFILE
// writes the worker's CPU profile (.cpuprofile) into a directory. The worker, the baselines and the
// control plane run as compiled JavaScript from dist/ (built first when missing or out of date), as
// `npm start` and the Docker image run them; PORTICO_BENCH_RUNTIME=tsx runs the TypeScript sources
// under tsx instead, for comparison.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  ImportRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { paced, peak, type LoadResult, type Target } from './bench/load.js';
import { cpuMicros, pinned, pinSelf, startPinned, stop } from './bench/processes.js';
import { routeCost } from './bench/routing.js';
import { API_KEY, deployBenchApi, openApiDocument } from './bench/setup.js';
import { compiled, ensureBuilt } from './build.mjs';

process.env.PORTICO_LOG_LEVEL ??= 'error';
const env = process.env;
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const SECONDS = number('PORTICO_BENCH_SECONDS', 5);
/** throughput and latency are measured in this many interleaved rounds; the median is reported */
const ROUNDS = Math.max(1, number('PORTICO_BENCH_ROUNDS', 3));
const CONCURRENCY = number('PORTICO_BENCH_CONCURRENCY', 16);
const API_COUNT = number('PORTICO_BENCH_APIS', 1000);
const IMPORT_PATHS = number('PORTICO_BENCH_IMPORT_PATHS', 1000);
const PROFILE_DIR = env.PORTICO_BENCH_PROFILE ? resolve(env.PORTICO_BENCH_PROFILE) : undefined;
/** sections to run (all by default): throughput, latency, routing, redeploy, import, memory */
/** gateway cases to measure (all by default), by the start of their names: MOCK, HTTP_PROXY, Lambda, HTTP */
const CASES = env.PORTICO_BENCH_CASES?.split(',').map((s) => s.trim());
const SECTIONS = new Set((env.PORTICO_BENCH_SECTIONS ?? 'throughput,latency,routing,redeploy,import,memory').split(',').map((s) => s.trim()));
const MEASURE_MS = SECONDS * 1000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const FROM_SOURCE = env.PORTICO_BENCH_RUNTIME === 'tsx';
/** a TypeScript entry (path from the repository's root) as the bench runs it: compiled, or the source under tsx */
const entry = (source: string) => (FROM_SOURCE ? here(`../${source}`) : compiled(source));
const benchStarted = performance.now();
const progress = (what: string) => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${what}\n`);

pinSelf();
if (!FROM_SOURCE) await ensureBuilt();

type Row = { what: string; figure: string; baseline: string; ratio: string; target: string; met: string };
const rows: Row[] = [];
const row = (r: Partial<Row> & { what: string; figure: string }) => rows.push({ baseline: '', ratio: '', target: '', met: '', ...r });
const fmt = (r: LoadResult) =>
  `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms` +
  `${r.cpuMicrosPerRequest !== undefined ? `, ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU/req` : ''}${r.errors ? `, ${r.errors} errors (${Object.entries(r.failures).map(([why, n]) => `${why}×${n}`).join(', ')})` : ''}`;
const met = (ok: boolean) => (ok ? 'met' : 'missed');
const freePort = async () => {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
};
async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
/** Runs one section of the table; a failure becomes its row instead of ending the run. */
async function section(name: string, what: string, run: () => Promise<void>): Promise<void> {
  if (!SECTIONS.has(name)) return;
  progress(what);
  try {
    await run();
  } catch (err) {
    row({ what, figure: `failed: ${(err as Error).message}` });
  }
}

function printTable(): void {
  const header = ['measurement', 'result', 'baseline (same run)', 'ratio / added', 'target', 'met'];
  console.log(`\nPortico benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${SECONDS} s per figure, ${CONCURRENCY} connections, ${pinned ? 'load generator on core 0, servers on core 1' : 'no taskset: not pinned'}, ${FROM_SOURCE ? 'TypeScript under tsx' : 'compiled (dist/)'}\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const r of rows) console.log(`| ${[r.what, r.figure, r.baseline, r.ratio, r.target, r.met].join(' | ')} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
// Bounded whatever happens: past the limit, the figures so far are printed and every process stopped.
const LIMIT_MS = (20 * 60 + 60 * SECONDS) * 1000;
setTimeout(() => {
  progress(`time limit of ${LIMIT_MS / 1000} s reached`);
  printTable();
  for (const child of [worker.child, bare.child, proxy.child, controlPlane.child]) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}, LIMIT_MS).unref();
const clusterSecret = randomBytes(32).toString('hex');
// The control plane is a process of its own, as in production, on the load generator's core: its
// work (usage reports written to the database) never holds up the load generator's event loop nor
// takes the worker's core.
const controlPort = await freePort();
const controlPlane = startPinned(
  entry('src/control-plane/main.ts'),
  { PORTICO_CONTROL_PORT: String(controlPort), PORTICO_HOST: '127.0.0.1', PORTICO_CLUSTER_SECRET: clusterSecret, PORTICO_DATA_DIR: join(dir, 'control-plane'), PORTICO_LOG_LEVEL: 'error' },
  [],
  0,
);
const endpoint = `http://127.0.0.1:${controlPort}`;
await until(async () => ((await fetch(`${endpoint}/ready`)).ok ? true : undefined), 120_000, 'control plane ready');
const client = new APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'bench' }, maxAttempts: 1 });

const bare = startPinned(entry('scripts/bench/bare-server.ts'), {});
const bareUrl = `http://127.0.0.1:${await bare.ready}`;
const proxy = startPinned(entry('scripts/bench/minimal-proxy.ts'), { BACKEND_URL: bareUrl });
const proxyUrl = `http://127.0.0.1:${await proxy.ready}`;
const workerPort = await freePort();
const workerUrl = `http://127.0.0.1:${workerPort}`;
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
const worker = startPinned(
  entry('src/data-plane/main.ts'),
  {
    PORTICO_DATA_PORT: String(workerPort),
    PORTICO_HOST: '127.0.0.1',
    PORTICO_CONTROL_PLANE_URL: endpoint,
    PORTICO_CLUSTER_SECRET: clusterSecret,
    PORTICO_DATA_DIR: join(dir, 'worker'),
    PORTICO_FUNCTIONS_DIR: here('./bench/functions'),
    PORTICO_LAMBDA_ENDPOINT: '',
    PORTICO_LOG_LEVEL: 'error',
  },
  PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
);
const stopAll = async () => {
  await Promise.all([stop(worker.child), stop(bare.child), stop(proxy.child)]);
  await stop(controlPlane.child);
  rmSync(dir, { recursive: true, force: true });
};

/** A MOCK API of one GET method, deployed to stage `prod`. */
async function mockApi(name: string): Promise<{ restApiId: string; resourceId: string }> {
  const api = await client.send(new CreateRestApiCommand({ name }));
  const ids = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
  return { restApiId: api.id!, resourceId: api.rootResourceId! };
}

try {
  await until(async () => ((await fetch(`${workerUrl}/_portico/ready`)).ok ? true : undefined), 120_000, 'worker ready');
  const api = await deployBenchApi(client, bareUrl);
  const at = (path: string, restApiId = api.restApiId, stage = api.stage): Target => ({ origin: workerUrl, path: `/restapis/${restApiId}/${stage}/_user_request_${path}` });
  const full: Target = {
    ...at('/full?name=rex'), method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ name: 'rex', age: 3 }),
  };
  const served = (target: Target) =>
    until(async () => {
      const res = await fetch(target.origin + target.path, { method: target.method, headers: target.headers, body: target.body });
      await res.arrayBuffer();
      return res.status === 200 ? true : undefined;
    }, 30_000, `${target.path} served`);
  for (const target of [at('/mock'), at('/proxy'), at('/lambda'), full]) await served(target);

  const cases: { name: string; target: Target; baseline: 'bare' | 'proxy'; min: number }[] = [
    { name: 'MOCK', target: at('/mock'), baseline: 'bare', min: 0.5 },
    { name: 'HTTP_PROXY', target: at('/proxy'), baseline: 'proxy', min: 0.8 },
    { name: 'Lambda proxy (built-in runner)', target: at('/lambda'), baseline: 'bare', min: 0.12 },
    { name: 'HTTP + API key + usage plan + validation + mapping', target: full, baseline: 'proxy', min: 0.5 },
  ];
  if (CASES) cases.splice(0, cases.length, ...cases.filter((c) => CASES.some((prefix) => c.name.startsWith(prefix))));
  const baselines = { bare: { origin: bareUrl, path: '/' } as Target, proxy: { origin: proxyUrl, path: '/' } as Target };
  const peaks = new Map<string, LoadResult>();
  const meter = { bare: () => cpuMicros(bare.child.pid!), proxy: () => cpuMicros(proxy.child.pid!), worker: () => cpuMicros(worker.child.pid!) };

  await section('throughput', 'peak throughput', async () => {
    // ROUNDS rounds, each measuring both baselines and then every case right after them, so that a
    // case and its baseline share the machine's mood of the moment (this VM's speed drifts by tens of
    // percent over minutes). Each row shows the round whose ratio is the median.
    type Round = { base: Record<'bare' | 'proxy', LoadResult>; results: Map<string, LoadResult> };
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      progress(`peak throughput: round ${r + 1} of ${ROUNDS}`);
      const base = { bare: await peak(baselines.bare, MEASURE_MS, CONCURRENCY, meter.bare), proxy: await peak(baselines.proxy, MEASURE_MS, CONCURRENCY, meter.proxy) };
      const results = new Map<string, LoadResult>();
      for (const c of cases) results.set(c.name, await peak(c.target, MEASURE_MS, CONCURRENCY, meter.worker));
      rounds.push({ base, results });
    }
    const medianRound = <T>(items: T[], key: (t: T) => number): T => [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
    row({ what: 'bare node:http server', figure: fmt(medianRound(rounds, (r) => r.base.bare.rps).base.bare) });
    row({ what: 'minimal node:http + undici proxy', figure: fmt(medianRound(rounds, (r) => r.base.proxy.rps).base.proxy) });
    for (const c of cases) {
      const ratioOf = (round: Round) => round.results.get(c.name)!.rps / round.base[c.baseline].rps;
      const round = medianRound(rounds, ratioOf);
      const result = round.results.get(c.name)!;
      peaks.set(c.name, result);
      const ratio = ratioOf(round);
      const baseName = c.baseline === 'bare' ? 'bare server' : 'minimal proxy';
      // CPU per request tells the same ratio without the load generator's share: what a busy machine cannot blur.
      const baseCpu = round.base[c.baseline].cpuMicrosPerRequest;
      const byCpu = baseCpu && result.cpuMicrosPerRequest ? ` (by CPU/req ${(baseCpu / result.cpuMicrosPerRequest).toFixed(2)} ×)` : '';
      const all = rounds.length > 1 ? `; rounds ${rounds.map((r) => ratioOf(r).toFixed(2)).join(', ')}` : '';
      row({ what: c.name, figure: `${fmt(result)} (${baseName} ${Math.round(round.base[c.baseline].rps).toLocaleString('en-US')} req/s)`, baseline: baseName, ratio: `${ratio.toFixed(2)} ×${byCpu}${all}`, target: `≥ ${c.min} × ${baseName}`, met: met(ratio >= c.min) });
    }
  });

  await section('latency', 'p99 at half of peak', async () => {
    // Latency the gateway adds at half of its peak: its p99 minus the baseline's p99 at the same rate,
    // measured back to back; the median of ROUNDS such pairs.
    for (const c of cases) {
      const rate = (peaks.get(c.name) ?? (await peak(c.target, MEASURE_MS, CONCURRENCY))).rps / 2;
      progress(`p99 at half of peak: ${c.name}`);
      const pairs: { gateway: LoadResult; base: LoadResult; added: number }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const gateway = await paced(c.target, MEASURE_MS, CONCURRENCY, rate);
        const base = await paced(baselines[c.baseline], MEASURE_MS, CONCURRENCY, rate);
        pairs.push({ gateway, base, added: gateway.p99 - base.p99 });
      }
      const { gateway, base, added } = [...pairs].sort((a, b) => a.added - b.added)[Math.floor(pairs.length / 2)]!;
      const all = pairs.length > 1 ? `; rounds ${pairs.map((p) => `${p.added >= 0 ? '+' : ''}${p.added.toFixed(2)}`).join(', ')}` : '';
      row({
        what: `p99 added at ½ peak: ${c.name}`, figure: `${Math.round(rate).toLocaleString('en-US')} req/s: p99 ${gateway.p99.toFixed(2)} ms`,
        baseline: `${c.baseline === 'bare' ? 'bare server' : 'minimal proxy'}: p99 ${base.p99.toFixed(2)} ms`, ratio: `${added >= 0 ? '+' : ''}${added.toFixed(2)} ms${all}`, target: '≤ 2 ms', met: met(added <= 2),
      });
    }
  });

  await section('routing', 'routing cost', async () => {
    // The route tree's match at 10, 1,000 and 10,000 resources (paths /res{i}/{id}), in this process:
    // the sizes take turns for five rounds and each keeps its best, so a busy moment skews none.
    const sizes = [10, 1000, 10_000];
    const best = new Map(sizes.map((n) => [n, Infinity]));
    for (let round = 0; round < 5; round++) for (const n of sizes) best.set(n, Math.min(best.get(n)!, routeCost(n)));
    const base = best.get(10)!;
    for (const resources of sizes) {
      const ns = best.get(resources)!;
      const over = ns / base - 1;
      row({
        what: `routing, ${resources.toLocaleString('en-US')} resources`, figure: `${ns.toFixed(0)} ns per match`,
        ...(resources === 10 ? {} : { baseline: '10 resources', ratio: `${over >= 0 ? '+' : ''}${(over * 100).toFixed(0)}%`, target: 'within 10% of 10', met: met(over <= 0.1) }),
      });
    }
  });

  let imported: string | undefined;
  await section('import', `ImportRestApi, ${IMPORT_PATHS.toLocaleString('en-US')} paths`, async () => {
    const t0 = performance.now();
    const result = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(openApiDocument(IMPORT_PATHS)), failOnWarnings: false }));
    const seconds = (performance.now() - t0) / 1000;
    imported = result.id;
    row({ what: `ImportRestApi, ${IMPORT_PATHS.toLocaleString('en-US')} paths (${(2 * IMPORT_PATHS + 1).toLocaleString('en-US')} resources)`, figure: `${seconds.toFixed(2)} s`, target: '≤ 5 s', met: met(seconds <= 5) });
  });

  if (imported && SECTIONS.has('routing') && SECTIONS.has('throughput')) {
    await section('routing', 'MOCK on the imported API', async () => {
      // End to end: a MOCK method among 2,001 resources against the bench API's MOCK among 5.
      await client.send(new CreateDeploymentCommand({ restApiId: imported!, stageName: 'prod' }));
      const deep = at(`/res${IMPORT_PATHS - 1}/42`, imported, 'prod');
      await served(deep);
      const few = await peak(at('/mock'), MEASURE_MS, CONCURRENCY);
      const many = await peak(deep, MEASURE_MS, CONCURRENCY);
      const ratio = many.rps / few.rps;
      row({
        what: `MOCK among ${(2 * IMPORT_PATHS + 1).toLocaleString('en-US')} resources`, figure: fmt(many), baseline: `MOCK among 5 resources: ${Math.round(few.rps).toLocaleString('en-US')} req/s`,
        ratio: `${ratio.toFixed(2)} ×`, target: '≥ 0.9 ×', met: met(ratio >= 0.9),
      });
    });
  }

  await section('redeploy', 'redeploys', async () => {
    // From CreateDeployment returning to the worker answering with the new response.
    const { restApiId, resourceId } = await mockApi('bench-redeploy');
    const ids = { restApiId, resourceId, httpMethod: 'GET' };
    const times: number[] = [];
    const count = 20;
    for (let i = 0; i < count; i++) {
      await client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: '200', responseTemplates: { 'application/json': `{"deployment": ${i}}` } }));
      await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }));
      const t0 = performance.now();
      await until(async () => {
        const res = await fetch(`${workerUrl}/restapis/${restApiId}/live/_user_request_/`);
        return (await res.text()) === `{"deployment": ${i}}` ? true : undefined;
      }, 10_000, `deployment ${i} live`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p99 = times[Math.min(count - 1, Math.ceil(0.99 * count) - 1)]!;
    row({ what: `redeploy live on the worker (${count} redeploys)`, figure: `p50 ${times[Math.floor(count / 2)]!.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`, target: 'p99 ≤ 1 s', met: met(p99 <= 1000) });
  });

  await section('memory', `worker memory with ${API_COUNT.toLocaleString('en-US')} APIs`, async () => {
    // Each API one MOCK method, its own deployment and stage.
    const memory = async () => {
      const text = await (await fetch(`${workerUrl}/_portico/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_size_used_bytes') };
    };
    const memBefore = await memory();
    const created: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < API_COUNT) {
        const { restApiId } = await mockApi(`bench-memory-${next++}`);
        await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
        created.push(restApiId);
        if (created.length % 100 === 0) progress(`${created.length} APIs deployed`);
      }
    }));
    await until(async () => ((await fetch(`${workerUrl}/restapis/${created.at(-1)}/prod/_user_request_/`)).status === 200 ? true : undefined), 120_000, 'last API live');
    await new Promise((r) => setTimeout(r, 2000));
    const memAfter = await memory();
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    row({
      what: `worker memory, ${API_COUNT.toLocaleString('en-US')} deployed APIs`, figure: `RSS ${mb(memAfter.rss)}, heap ${mb(memAfter.heap)}`,
      baseline: `before: RSS ${mb(memBefore.rss)}, heap ${mb(memBefore.heap)}`, ratio: `${((memAfter.heap - memBefore.heap) / API_COUNT / 1024).toFixed(1)} KB heap per API`,
    });
  });
} finally {
  progress('stopping');
  await stopAll();
}

printTable();
if (PROFILE_DIR) console.log(`\nworker CPU profile written to ${PROFILE_DIR}`);
process.exit(0);
