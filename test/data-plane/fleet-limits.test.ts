// Limits that hold for a fleet: two worker processes sharing one Redis (PORTICO_REDIS_URL) share a
// usage plan's rate and quota — with two workers a quota of N admits N requests, not 2N — the counts
// survive a worker's restart, GetUsage adds up both workers' reports, and a worker keeps serving when
// Redis goes away. The test starts its own redis-server on a free loopback port; skipped, visibly,
// where redis-server is not installed.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type CreateUsagePlanCommandInput,
} from '@aws-sdk/client-api-gateway';
import { endpoint, newClient } from '../helpers/client.js';
import { invoke, waitUntil, type Invocation } from '../helpers/invoke.js';
import { utcDay } from '../../src/shared/quota.js';

function redisInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const clusterSecret = process.env.PORTICO_TEST_CLUSTER_SECRET;
const skip = !redisInstalled() ? 'redis-server is not installed' : !clusterSecret ? 'needs the test control plane (npm test)' : false;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const redisAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.on('data', (d) => (socket.destroy(), resolve(d.toString().startsWith('+PONG'))));
    socket.on('error', () => resolve(false));
  });

describe('limits shared by two workers through Redis', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-fleet-'));
  let redis: ChildProcess | undefined;
  let redisUrl: string;
  const workers: { url: string; port: number; name: string; process?: ChildProcess }[] = [];

  async function startWorker(worker: (typeof workers)[number]): Promise<void> {
    worker.process = spawn(process.execPath, ['--import', 'tsx', 'src/data-plane/main.ts'], {
      env: {
        ...process.env,
        PORTICO_LOG_LEVEL: 'error',
        PORTICO_HOST: '127.0.0.1',
        PORTICO_DATA_PORT: String(worker.port),
        PORTICO_CONTROL_PLANE_URL: endpoint,
        PORTICO_CLUSTER_SECRET: clusterSecret!,
        PORTICO_DATA_DIR: join(dir, worker.name),
        PORTICO_REDIS_URL: redisUrl,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await until(async () => (await fetch(`${worker.url}/_portico/ready`)).ok, `${worker.name} ready`);
  }

  async function stopWorker(worker: (typeof workers)[number]): Promise<void> {
    const child = worker.process!;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  before(async () => {
    const redisPort = await freePort();
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(() => redisAnswers(redisPort), 'redis-server answering');
    for (const name of ['worker-1', 'worker-2']) {
      const port = await freePort();
      workers.push({ name, port, url: `http://127.0.0.1:${port}` });
    }
    await Promise.all(workers.map(startWorker));
  });

  after(async () => {
    await Promise.all(workers.filter((w) => w.process).map(stopWorker));
    if (redis?.exitCode === null) redis.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  /** An API whose GET /pets requires a key, and a key in a plan for its stage. */
  async function keyedApi(plan: Partial<CreateUsagePlanCommandInput>) {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'fleet' }));
    const restApiId = api.id!;
    const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }))).id!;
    for (const [id, apiKeyRequired] of [[resourceId, true], [api.rootResourceId!, false]] as const) {
      await client.send(new PutMethodCommand({ restApiId, resourceId: id, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired }));
      await client.send(new PutIntegrationCommand({ restApiId, resourceId: id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await client.send(new PutMethodResponseCommand({ restApiId, resourceId: id, httpMethod: 'GET', statusCode: '200' }));
      await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId: id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
    }
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const value = `fleet-test-${randomBytes(12).toString('hex')}`;
    const key = await client.send(new CreateApiKeyCommand({ name: 'fleet', value, enabled: true }));
    const usagePlan = await client.send(new CreateUsagePlanCommand({ name: 'fleet', apiStages: [{ apiId: restApiId, stage: 'prod' }], ...plan }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: usagePlan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    const call = (worker: (typeof workers)[number]) => invoke(restApiId, 'prod', '/pets', { headers: { 'x-api-key': value } }, worker.url);
    // Each worker admits the key once the plan reaches it: one request each.
    for (const worker of workers) await waitUntil(() => call(worker), (r) => r.status === 200, 10_000);
    return { client, restApiId, keyId: key.id!, usagePlanId: usagePlan.id!, call };
  }

  /** `n` requests spread over both workers, all at once; the statuses and bodies of the refusals. */
  async function burst(call: (w: (typeof workers)[number]) => Promise<Invocation>, n: number) {
    const results = await Promise.all(Array.from({ length: n }, (_, i) => call(workers[i % workers.length]!)));
    return { admitted: results.filter((r) => r.status === 200).length, refused: results.filter((r) => r.status === 429).map((r) => r.body) };
  }

  it('admits a quota of N across both workers, not 2N, and keeps the count across a restart', async () => {
    const { client, keyId, usagePlanId, call } = await keyedApi({ quota: { limit: 10, period: 'DAY' } });
    // Two of the ten went to waiting for the plan to arrive.
    const { admitted, refused } = await burst(call, 20);
    assert.equal(admitted, 8);
    assert.equal(refused.length, 12);
    assert.ok(refused.every((b) => b === '{"message":"Limit Exceeded"}'), refused[0]);

    await stopWorker(workers[0]!);
    await startWorker(workers[0]!);
    assert.equal((await call(workers[0]!)).body, '{"message":"Limit Exceeded"}');

    // GetUsage adds up what both workers admitted.
    const today = utcDay();
    await until(async () => {
      const usage = await client.send(new GetUsageCommand({ usagePlanId, keyId, startDate: today, endDate: today }));
      return JSON.stringify(usage.items?.[keyId]) === '[[10,0]]';
    }, 'GetUsage counting 10 calls', 15_000);
  });

  it('shares a plan rate between both workers', async () => {
    // Five requests per 50 s for the key, whichever worker they reach.
    const { call } = await keyedApi({ throttle: { rateLimit: 0.1, burstLimit: 5 } });
    const { admitted, refused } = await burst(call, 12);
    assert.equal(admitted, 3);
    assert.ok(refused.every((b) => b === '{"message":"Too Many Requests"}'), refused[0]);
  });

  it('holds a plan rate over time across both workers, within the tolerance the README states', async (t) => {
    // 10 requests per second, burst 10: one-second windows of 10. Over T seconds of demand above the
    // rate, the README promises between rate × T − 2 × 10 and rate × T + 2 × 10 admitted requests,
    // fleet-wide; two workers each holding their own buckets would admit about twice rate × T.
    const { call } = await keyedApi({ throttle: { rateLimit: 10, burstLimit: 10 } });
    const seconds = 4;
    const started = Date.now();
    let admitted = 0;
    let sent = 0;
    const bodies = new Set<string>();
    // Two clients per worker, each asking up to 50 times a second.
    await Promise.all([...workers, ...workers].map(async (worker) => {
      while (Date.now() - started < seconds * 1000) {
        const paced = new Promise((r) => setTimeout(r, 20));
        const result = await call(worker);
        sent++;
        if (result.status === 200) admitted++;
        else bodies.add(`${result.status} ${result.body}`);
        await paced;
      }
    }));
    const elapsed = (Date.now() - started) / 1000;
    t.diagnostic(`${admitted} of ${sent} requests admitted in ${elapsed} s`);
    assert.ok(sent > 2 * 10 * elapsed, `only ${sent} requests in ${elapsed} s: demand stayed below the rate`);
    assert.deepEqual([...bodies], ['429 {"message":"Too Many Requests"}']);
    assert.ok(admitted >= 10 * elapsed - 20 && admitted <= 10 * elapsed + 20, `${admitted} admitted in ${elapsed} s at 10 per second`);
  });

  it('keeps serving when Redis goes away', async () => {
    const { restApiId } = await keyedApi({ throttle: { rateLimit: 100, burstLimit: 100 } });
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGTERM');
    await exited;
    for (const worker of workers) assert.equal((await invoke(restApiId, 'prod', '/', {}, worker.url)).status, 200);
  });
});
