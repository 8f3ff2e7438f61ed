// Faults around the planes: the database going away (management calls fail fast with AWS's 503 and
// recover by themselves; workers serve the last config throughout), a worker killed and restarted
// under load while the control plane is down (it serves again from its disk cache), and backends that
// hang, reset connections or answer garbage (only the requests routed to them suffer).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateDeploymentCommand, GetRestApisCommand, PutIntegrationResponseCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import { call, deployApi, mockRoute, waitFor, type Answer } from './helpers/apis.js';
import {
  clientFor,
  killAll,
  randomAccountId,
  SECRET_ACCESS_KEY,
  sleep,
  startControlPlaneProcess,
  startPostgres,
  startWorkerProcess,
  type Postgres,
} from './helpers/processes.js';

const CLUSTER_SECRET = 'faults-test-cluster-secret';

/** A signed management call over plain HTTP, timed, that never throws on a status. */
async function management(endpoint: string, accountId: string, method: string, path: string, body?: unknown) {
  const url = new URL(endpoint);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const signed = aws4.sign(
    { host: url.host, path, method, service: 'apigateway', region: 'us-east-1', body: payload, headers: payload ? { 'content-type': 'application/json' } : {} },
    { accessKeyId: accountId, secretAccessKey: SECRET_ACCESS_KEY },
  );
  const started = Date.now();
  const res = await fetch(`${endpoint}${path}`, { method, headers: signed.headers as Record<string, string>, body: payload, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: text, ms: Date.now() - started };
}

/** Calls `path` on the worker in a loop until stopped, keeping every answer (or failure). */
function load(worker: () => string, restApiId: string, path: string, concurrency = 4) {
  const answers: { status: number | string; body: string; at: number }[] = [];
  let running = true;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const a = await call(worker(), restApiId, 'live', path, { signal: AbortSignal.timeout(10_000) });
        answers.push({ status: a.status, body: a.body, at: Date.now() });
      } catch (err) {
        answers.push({ status: (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message, body: '', at: Date.now() });
        await sleep(20);
      }
    }
  });
  return { answers, stop: async () => { running = false; await Promise.all(loops); } };
}

describe('the database goes away, then a worker dies while the control plane is down', () => {
  let postgres: Postgres | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'portico-faults-'));
  after(async () => {
    await killAll();
    postgres?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails management calls fast with ServiceUnavailableException, recovers by itself, and workers keep serving', async (t) => {
    postgres = await startPostgres();
    if (!postgres) {
      t.skip('PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin)');
      return;
    }
    const controlPlane = await startControlPlaneProcess({ dataDir: join(dir, 'cp'), clusterSecret: CLUSTER_SECRET, databaseUrl: postgres.url });
    const worker = await startWorkerProcess({ controlUrl: controlPlane.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker') });
    const accountId = randomAccountId();
    const client = clientFor(controlPlane.url, accountId);
    const restApiId = await deployApi(client, 'db-outage', [mockRoute('/items', '{"v": 1}')]);
    await waitFor(worker.url, restApiId, 'live', '/items');
    const traffic = load(() => worker.url, restApiId, '/items');

    postgres.stop();
    const outageStarted = Date.now();
    // Reads and writes, repeatedly, over several seconds: each answers fast, AWS-shaped.
    const calls: [string, string, unknown?][] = [
      ['GET', '/restapis'],
      ['GET', `/restapis/${restApiId}`],
      ['POST', '/restapis', { name: 'during-outage' }],
      ['PATCH', `/restapis/${restApiId}`, { patchOperations: [{ op: 'replace', path: '/description', value: 'x' }] }],
      ['POST', `/restapis/${restApiId}/deployments`, { stageName: 'live' }],
      ['GET', '/apikeys'],
    ];
    const outage: Awaited<ReturnType<typeof management>>[] = [];
    while (Date.now() - outageStarted < 8000) {
      for (const [method, path, body] of calls) outage.push(await management(controlPlane.url, accountId, method, path, body));
    }
    for (const answer of outage) {
      assert.equal(answer.status, 503, `status during the outage: ${answer.body}`);
      assert.equal(answer.errorType, 'ServiceUnavailableException');
      assert.ok(JSON.parse(answer.body).message, 'a message');
      // Fast: well before the pool's 5 s connection timeout or a client's own timeout.
      assert.ok(answer.ms < 3000, `answered in ${answer.ms} ms`);
    }
    assert.equal(controlPlane.child.exitCode, null, 'the control plane is still running');

    postgres.start();
    const back = Date.now();
    let recovered: Awaited<ReturnType<typeof management>> | undefined;
    while (Date.now() - back < 30_000) {
      recovered = await management(controlPlane.url, accountId, 'GET', '/restapis');
      if (recovered.status === 200) break;
      await sleep(200);
    }
    assert.equal(recovered?.status, 200, 'management calls recover without a restart');
    const recoveryMs = Date.now() - back;
    // The config channel recovers too: a change made now reaches the worker.
    const resources = await client.send(new GetResourcesCommand({ restApiId }));
    const items = resources.items!.find((r) => r.path === '/items')!;
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId: items.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"v": 2}' } }));
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }));
    await waitFor(worker.url, restApiId, 'live', '/items', (a) => a.body === '{"v": 2}');
    await traffic.stop();

    const failures = traffic.answers.filter((a) => a.status !== 200 || (a.body !== '{"v": 1}' && a.body !== '{"v": 2}'));
    assert.equal(failures.length, 0, `worker answers during the outage: ${JSON.stringify(failures.slice(0, 5))}`);
    const times = outage.map((a) => a.ms).sort((a, b) => a - b);
    const slowest = times.at(-1)!;
    t.diagnostic(`${outage.length} management calls during an 8 s outage: all 503 ServiceUnavailableException, median ${times[Math.floor(times.length / 2)]} ms, slowest ${slowest} ms; recovered ${recoveryMs} ms after Postgres returned; worker answered ${traffic.answers.length} requests, all 200 with the last config`);

    // ---- then the control plane goes down, and the worker is killed under load -------------------
    await controlPlane.kill9();
    const workerPort = worker.port;
    let current = worker.url;
    const traffic2 = load(() => current, restApiId, '/items');
    await sleep(1000);
    await worker.kill9();
    const killedAt = Date.now();
    await sleep(500);
    const restarted = await startWorkerProcess({ controlUrl: controlPlane.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker'), port: workerPort });
    current = restarted.url;
    const ready = await fetch(`${restarted.url}/_portico/ready`);
    assert.equal(ready.status, 200, 'the restarted worker is ready from its disk cache');
    const restartedAt = Date.now();
    await sleep(2000);
    await traffic2.stop();
    const afterRestart = traffic2.answers.filter((a) => a.at > restartedAt);
    assert.ok(afterRestart.length > 20, `${afterRestart.length} requests after the restart`);
    for (const a of afterRestart) assert.deepEqual({ status: a.status, body: a.body }, { status: 200, body: '{"v": 2}' });
    // Between the kill and the restart, requests find nothing listening: refused, never a wrong answer.
    const wrong = traffic2.answers.filter((a) => typeof a.status === 'number' && (a.status !== 200 || a.body !== '{"v": 2}'));
    assert.deepEqual(wrong, [], 'no wrong answer at any time');
    t.diagnostic(`worker killed under load with the control plane down: back serving from its disk cache ${restartedAt - killedAt} ms after the kill (incl. 500 ms pause), ${afterRestart.length} requests after, all 200 with the last config`);
  });
});

// ---- Misbehaving backends -------------------------------------------------------------------------

/** A TCP server speaking HTTP on some paths and misbehaving on others. */
function badBackend(): Promise<{ server: Server; port: number; hung: Set<Socket> }> {
  const hung = new Set<Socket>();
  const server = createServer((socket) => {
    let head = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const path = head.split(' ')[1] ?? '/';
      head = '';
      if (path.startsWith('/hang')) {
        hung.add(socket);
      } else if (path.startsWith('/reset')) {
        socket.resetAndDestroy();
      } else if (path.startsWith('/garbage')) {
        socket.end('\u0000\u0001 this is not HTTP at all \r\n\r\n\u00ff\u00fe');
      } else if (path.startsWith('/half')) {
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nonly a part');
      } else {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, hung })));
}

/** the integrations' timeout: the hung calls' lifetime, during which healthy calls must be served */
const TIMEOUT_MS = 5000;

describe('backends that hang, reset or answer garbage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-backends-'));
  let backend: Awaited<ReturnType<typeof badBackend>>;
  after(async () => {
    await killAll();
    for (const s of backend?.hung ?? []) s.destroy();
    backend?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let worker: string;
  let restApiId: string;
  before(async () => {
    backend = await badBackend();
    const controlPlane = await startControlPlaneProcess({ dataDir: join(dir, 'cp'), clusterSecret: CLUSTER_SECRET });
    worker = (await startWorkerProcess({ controlUrl: controlPlane.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker') })).url;
    const base = `http://127.0.0.1:${backend.port}`;
    const http = (path: string, type: 'HTTP' | 'HTTP_PROXY') => ({
      path,
      integration: { type, integrationHttpMethod: 'GET', uri: `${base}${path}`, timeoutInMillis: TIMEOUT_MS, requestTemplates: type === 'HTTP' ? { 'application/json': '{}' } : undefined },
      answer: type === 'HTTP' ? '$input.body' : undefined,
    });
    restApiId = await deployApi(clientFor(controlPlane.url, randomAccountId()), 'bad-backends', [
      http('/ok', 'HTTP_PROXY'),
      http('/hang', 'HTTP'),
      http('/reset', 'HTTP_PROXY'),
      http('/garbage', 'HTTP_PROXY'),
      http('/half', 'HTTP_PROXY'),
      http('/hang2', 'HTTP_PROXY'),
      mockRoute('/mock', '{"mock": true}'),
    ]);
    await waitFor(worker, restApiId, 'live', '/mock');
  });

  it('costs only the requests routed to them; hung calls get 504 after the integration timeout', async (t) => {
    const bad = (path: string, n: number) => Array.from({ length: n }, () => call(worker, restApiId, 'live', path));
    const hung = [...bad('/hang', 20), ...bad('/hang2', 20)];
    const broken = [...bad('/reset', 20), ...bad('/garbage', 20), ...bad('/half', 20)];
    // Once the 40 hung calls hold their connections to the backend, and until the first of them is
    // released by the integration timeout, the healthy methods of the same worker answer: they are
    // not queued behind the hung ones.
    const deadline = Date.now() + 30_000;
    while (backend.hung.size < 40 && Date.now() < deadline) await sleep(20);
    assert.equal(backend.hung.size, 40, 'the hung calls reached the backend');
    let released = false;
    void Promise.race(hung).then(() => (released = true));
    const healthy: (Answer & { beforeRelease: boolean })[] = [];
    while (!released) {
      const [ok, mock] = await Promise.all([call(worker, restApiId, 'live', '/ok'), call(worker, restApiId, 'live', '/mock')]);
      healthy.push({ ...ok, beforeRelease: !released }, { ...mock, beforeRelease: !released });
    }
    const hungAnswers = await Promise.all(hung);
    const brokenAnswers = await Promise.all(broken);
    for (const a of healthy) assert.equal(a.status, 200, a.body);
    const whileHung = healthy.filter((a) => a.beforeRelease);
    assert.ok(whileHung.length >= 4, `${whileHung.length} healthy calls answered while 40 hung`);
    const slowestHealthy = Math.max(...whileHung.map((a) => a.ms));
    for (const a of hungAnswers) {
      assert.equal(a.status, 504);
      assert.deepEqual(JSON.parse(a.body), { message: 'Endpoint request timed out' });
      assert.equal(a.headers.get('x-amzn-errortype'), 'IntegrationTimeoutException');
      assert.ok(a.ms >= TIMEOUT_MS - 100, `timed out after ${a.ms} ms, not before the integration timeout`);
    }
    for (const a of brokenAnswers) {
      assert.equal(a.status, 502, a.body);
      assert.deepEqual(JSON.parse(a.body), { message: 'Internal server error' });
    }
    // And afterwards the worker is as good as new.
    assert.equal((await call(worker, restApiId, 'live', '/ok')).status, 200);
    assert.equal((await fetch(`${worker}/_portico/health`)).status, 200);
    t.diagnostic(`${whileHung.length} healthy calls all 200 (slowest ${slowestHealthy} ms) while 40 hung (504 after ${Math.min(...hungAnswers.map((a) => a.ms))}–${Math.max(...hungAnswers.map((a) => a.ms))} ms) and 60 reset/garbage/truncated (502)`);
  });
});
