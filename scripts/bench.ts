// `npm run bench`: what the gateway costs, on loopback and bounded (a few seconds per figure).
// Servers (the worker, the bare node:http server, the minimal proxy, the backend) run pinned to
// core 1 and the load generator to core 0 when taskset exists. Every case is measured beside its
// baselines in the same run, and the table prints each figure beside its target from issue 8.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { pinned, pinSelf, startPinned, stop } from './bench/processes.js';
import { API_KEY, deployBenchApi, openApiDocument } from './bench/setup.js';

process.env.PORTICO_LOG_LEVEL ??= 'error';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MEASURE_MS = SECONDS * 1000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

pinSelf();
const { startControlPlane } = await import('../src/control-plane/server.js');
const { buildRouteTree } = await import('../src/data-plane/compile/routes.js');

type Row = { what: string; figure: string; baseline: string; ratio: string; target: string; met: string };
const rows: Row[] = [];
const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}`;
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
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

const dir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
const clusterSecret = randomBytes(32).toString('hex');
const controlPlane = await startControlPlane({ port: 0, host: '127.0.0.1', clusterSecret });
const endpoint = `http://127.0.0.1:${controlPlane.port}`;
const client = new APIGatewayClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: '123456789012', secretAccessKey: 'bench' }, maxAttempts: 1 });

const bare = startPinned(here('./bench/bare-server.ts'), {});
const bareUrl = `http://127.0.0.1:${await bare.ready}`;
const proxy = startPinned(here('./bench/minimal-proxy.ts'), { BACKEND_URL: bareUrl });
const proxyUrl = `http://127.0.0.1:${await proxy.ready}`;
const workerPort = await freePort();
const workerUrl = `http://127.0.0.1:${workerPort}`;
const worker = startPinned(here('../src/data-plane/main.ts'), {
  PORTICO_DATA_PORT: String(workerPort),
  PORTICO_HOST: '127.0.0.1',
  PORTICO_CONTROL_PLANE_URL: endpoint,
  PORTICO_CLUSTER_SECRET: clusterSecret,
  PORTICO_DATA_DIR: join(dir, 'worker'),
  PORTICO_FUNCTIONS_DIR: here('./bench/functions'),
  PORTICO_LAMBDA_ENDPOINT: '',
  PORTICO_LOG_LEVEL: 'error',
});
const stopAll = async () => {
  await Promise.all([stop(worker.child), stop(bare.child), stop(proxy.child)]);
  await controlPlane.stop();
  rmSync(dir, { recursive: true, force: true });
};

try {
  await until(async () => ((await fetch(`${workerUrl}/_portico/ready`)).ok ? true : undefined), 120_000, 'worker ready');
  const api = await deployBenchApi(client, bareUrl);
  const at = (path: string): Target => ({ origin: workerUrl, path: `/restapis/${api.restApiId}/${api.stage}/_user_request_${path}` });
  const full: Target = {
    ...at('/full?name=rex'), method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ name: 'rex', age: 3 }),
  };
  for (const target of [at('/mock'), at('/proxy'), at('/lambda'), full]) {
    await until(async () => {
      const res = await fetch(target.origin + target.path, { method: target.method, headers: target.headers, body: target.body });
      await res.arrayBuffer();
      return res.status === 200 ? true : undefined;
    }, 30_000, `${target.path} served`);
  }

  // Throughput: each baseline once, each gateway case once, all in this run.
  const bareResult = await peak({ origin: bareUrl, path: '/' }, MEASURE_MS, CONCURRENCY);
  const proxyResult = await peak({ origin: proxyUrl, path: '/' }, MEASURE_MS, CONCURRENCY);
  const cases: { name: string; target: Target; baseline: 'bare' | 'proxy'; min: number }[] = [
    { name: 'MOCK', target: at('/mock'), baseline: 'bare', min: 0.5 },
    { name: 'HTTP_PROXY', target: at('/proxy'), baseline: 'proxy', min: 0.8 },
    { name: 'Lambda proxy (built-in runner)', target: at('/lambda'), baseline: 'bare', min: 0.12 },
    { name: 'HTTP + API key + usage plan + validation + mapping', target: full, baseline: 'proxy', min: 0.5 },
  ];
  rows.push({ what: 'bare node:http server', figure: fmt(bareResult), baseline: '', ratio: '', target: '', met: '' });
  rows.push({ what: 'minimal node:http + undici proxy', figure: fmt(proxyResult), baseline: '', ratio: '', target: '', met: '' });
  const halfLoad: { name: string; target: Target; baselineTarget: Target; rate: number }[] = [];
  for (const c of cases) {
    const result = await peak(c.target, MEASURE_MS, CONCURRENCY);
    const base = c.baseline === 'bare' ? bareResult : proxyResult;
    const ratio = result.rps / base.rps;
    rows.push({
      what: c.name, figure: fmt(result), baseline: c.baseline === 'bare' ? 'bare server' : 'minimal proxy',
      ratio: ratio.toFixed(2), target: `≥ ${c.min} × ${c.baseline === 'bare' ? 'bare' : 'proxy'}`, met: yes(ratio >= c.min),
    });
    halfLoad.push({ name: c.name, target: c.target, baselineTarget: c.baseline === 'bare' ? { origin: bareUrl, path: '/' } : { origin: proxyUrl, path: '/' }, rate: result.rps / 2 });
  }

  // Latency the gateway adds at half of its peak: its p99 minus the baseline's p99 at the same rate.
  for (const h of halfLoad) {
    const gateway = await paced(h.target, MEASURE_MS, CONCURRENCY, h.rate);
    const base = await paced(h.baselineTarget, MEASURE_MS, CONCURRENCY, h.rate);
    const added = gateway.p99 - base.p99;
    rows.push({
      what: `p99 added at ½ peak: ${h.name}`, figure: `${Math.round(h.rate).toLocaleString('en-US')} req/s: p99 ${gateway.p99.toFixed(2)} ms`,
      baseline: `p99 ${base.p99.toFixed(2)} ms`, ratio: `+${added.toFixed(2)} ms`, target: '≤ 2 ms', met: yes(added <= 2),
    });
  }

  // Routing: the route tree's match at 10, 1,000 and 10,000 resources (paths /res{i}/{id}).
  const routeCost = (resources: number) => {
    const list = [];
    for (let i = 0; i < resources / 2; i++) {
      list.push({ id: `a${i}`, path: `/res${i}`, methods: {} });
      list.push({ id: `b${i}`, path: `/res${i}/{id}`, methods: { GET: {} } });
    }
    const tree = buildRouteTree(list);
    const segments = [`res${resources / 2 - 1}`, '42'];
    for (let i = 0; i < 100_000; i++) tree.match(segments);
    const n = 1_000_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) tree.match(segments);
    return ((performance.now() - t0) * 1e6) / n;
  };
  const route10 = routeCost(10);
  for (const resources of [10, 1000, 10_000]) {
    const ns = resources === 10 ? route10 : routeCost(resources);
    const over = ns / route10 - 1;
    rows.push({
      what: `routing, ${resources.toLocaleString('en-US')} resources`, figure: `${ns.toFixed(0)} ns per match`, baseline: resources === 10 ? '' : '10 resources',
      ratio: resources === 10 ? '' : `${over >= 0 ? '+' : ''}${(over * 100).toFixed(0)}%`, target: resources === 10 ? '' : 'within 10% of 10', met: resources === 10 ? '' : yes(over <= 0.1),
    });
  }

  // Redeploy: from CreateDeployment returning to the worker answering with the new response.
  const redeploy = await client.send(new CreateRestApiCommand({ name: 'bench-redeploy' }));
  const ids = { restApiId: redeploy.id!, resourceId: redeploy.rootResourceId!, httpMethod: 'GET' };
  await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
  const redeployMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    await client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: '200', responseTemplates: { 'application/json': `{"deployment": ${i}}` } }));
    await client.send(new CreateDeploymentCommand({ restApiId: ids.restApiId, stageName: 'live' }));
    const t0 = performance.now();
    await until(async () => {
      const res = await fetch(`${workerUrl}/restapis/${ids.restApiId}/live/_user_request_/`);
      return (await res.text()) === `{"deployment": ${i}}` ? true : undefined;
    }, 10_000, `deployment ${i} live`);
    redeployMs.push(performance.now() - t0);
  }
  redeployMs.sort((a, b) => a - b);
  const redeployP99 = redeployMs[Math.min(19, Math.floor(0.99 * 20))]!;
  rows.push({
    what: 'redeploy live on the worker (20 redeploys)', figure: `p50 ${redeployMs[10]!.toFixed(0)} ms, p99 ${redeployP99.toFixed(0)} ms`,
    baseline: '', ratio: '', target: 'p99 ≤ 1 s', met: yes(redeployP99 <= 1000),
  });

  // Import of a 1,000-path OpenAPI document (2,000 resources).
  try {
    const t0 = performance.now();
    await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(openApiDocument(1000)), failOnWarnings: false }));
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ what: 'ImportRestApi, 1,000 paths', figure: `${seconds.toFixed(2)} s`, baseline: '', ratio: '', target: '≤ 5 s', met: yes(seconds <= 5) });
  } catch (err) {
    const name = (err as Error).name;
    rows.push({ what: 'ImportRestApi, 1,000 paths', figure: name === 'NotImplementedException' ? 'not built' : `failed: ${name}`, baseline: '', ratio: '', target: '≤ 5 s', met: '' });
  }

  // Worker memory with 1,000 deployed APIs (each one MOCK method, its own deployment and stage).
  const memory = async () => {
    const text = await (await fetch(`${workerUrl}/_portico/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_size_used_bytes') };
  };
  const memBefore = await memory();
  const created: string[] = [];
  const createOne = async (i: number) => {
    const a = await client.send(new CreateRestApiCommand({ name: `bench-memory-${i}` }));
    const m = { restApiId: a.id!, resourceId: a.rootResourceId!, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new CreateDeploymentCommand({ restApiId: a.id!, stageName: 'prod' }));
    created.push(a.id!);
  };
  const apiCount = Number(process.env.BENCH_APIS ?? 1000);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < apiCount) await createOne(next++);
  }));
  await until(async () => ((await fetch(`${workerUrl}/restapis/${created.at(-1)}/prod/_user_request_/`)).status === 200 ? true : undefined), 60_000, 'last API live');
  await new Promise((r) => setTimeout(r, 2000));
  const memAfter = await memory();
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  rows.push({
    what: `worker memory, ${apiCount.toLocaleString('en-US')} deployed APIs`, figure: `RSS ${mb(memAfter.rss)}, heap ${mb(memAfter.heap)}`,
    baseline: `before: RSS ${mb(memBefore.rss)}, heap ${mb(memBefore.heap)}`, ratio: `${((memAfter.heap - memBefore.heap) / apiCount / 1024).toFixed(1)} KB heap per API`, target: '', met: '',
  });
} finally {
  await stopAll();
}

const header = ['measurement', 'result', 'baseline (same run)', 'ratio / added', 'target', 'met'];
console.log(`\nPortico benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${SECONDS} s per figure, ${CONCURRENCY} connections, ${pinned ? 'load generator on core 0, servers on core 1' : 'no taskset: not pinned'}\n`);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${[r.what, r.figure, r.baseline, r.ratio, r.target, r.met].join(' | ')} |`);
process.exit(0);
