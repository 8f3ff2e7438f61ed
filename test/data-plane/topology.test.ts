// The production topology of docker-compose.yml, started as plain processes on loopback: a throwaway
// PostgreSQL cluster, Redis, a standalone control plane on that Postgres and two standalone workers
// sharing that Redis. An API deployed once is served by both workers; a redeploy reaches both; each
// process names its endpoints when it starts, answers health and readiness, and counts what it did
// in its metrics; no credential reaches any log; SIGTERM drains a request in flight while new
// connections are refused, and stops every process cleanly. The processes run the compiled
// JavaScript of dist/ as `npm start` and the Docker image do (built first when out of date).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { compiled, ensureBuilt } from '../../scripts/build.mjs';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitUntil } from '../helpers/invoke.js';
import { metricValue, scrape } from '../helpers/metrics.js';
import { eventually, freePort, healthy, startProcess, type PorticoProcess } from '../helpers/processes.js';
import { startPostgres, type Postgres } from '../reliability/helpers/processes.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const SLOW_MS = 1500;
const API_KEY = `topology-api-key-${randomAccountId()}`;
const BEARER = `topology-bearer-token-${randomAccountId()}`;

/** Resolves with the error code of a new TCP connection to `url` (undefined when it connects). */
function connectError(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

/** The JSON log entry whose message starts with `msg`. */
function startupEntry(proc: PorticoProcess, msg: string): Record<string, unknown> {
  const line = proc.stdout.find((l) => l.startsWith('{') && (JSON.parse(l) as { msg?: string }).msg?.startsWith(msg));
  assert.ok(line, `start-up line "${msg}"`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('Postgres, Redis, a control plane and two workers as separate processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-topology-'));
  const secret = { PORTICO_CLUSTER_SECRET: 'topology-test-secret' };
  let postgres: Postgres | undefined;
  let redis: ChildProcess | undefined;
  let controlPlane: PorticoProcess;
  const workers: PorticoProcess[] = [];
  let controlUrl: string;
  const workerUrls: string[] = [];
  let client: APIGatewayClient;
  let restApiId: string;
  const apiName = `topology-${randomAccountId()}`;
  // A backend that answers after SLOW_MS, and tells when a request has arrived.
  let backend: Server;
  let arrived = 0;

  before(async () => {
    backend = createServer((_req, res) => {
      arrived++;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"slow": true}'), SLOW_MS);
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    await ensureBuilt();

    // Debian's PostgreSQL server when installed (as in CI); else DATABASE_URL, else the embedded one.
    postgres = await startPostgres();
    const databaseUrl = postgres?.url ?? process.env.DATABASE_URL;
    const redisEnv: Record<string, string> = {};
    if (existsSync(REDIS_SERVER)) {
      const port = await freePort();
      redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      redisEnv.PORTICO_REDIS_URL = `redis://127.0.0.1:${port}/0`;
    }

    const controlPort = await freePort();
    controlUrl = `http://127.0.0.1:${controlPort}`;
    controlPlane = startProcess(compiled('src/control-plane/main.ts'), {
      ...secret,
      // Debug: every line the control plane can write is checked for credentials.
      PORTICO_LOG_LEVEL: 'debug',
      PORTICO_CONTROL_PORT: String(controlPort),
      PORTICO_DATA_DIR: join(dir, 'control-plane'),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    // Start-up (migrations) is slow on a loaded machine.
    await healthy(`${controlUrl}/ready`, 240_000);
    for (const name of ['worker-1', 'worker-2']) {
      const port = await freePort();
      workerUrls.push(`http://127.0.0.1:${port}`);
      workers.push(startProcess(compiled('src/data-plane/main.ts'), {
        ...secret,
        ...redisEnv,
        PORTICO_LOG_LEVEL: name === 'worker-1' ? 'info' : 'debug',
        PORTICO_DATA_PORT: String(port),
        PORTICO_CONTROL_PLANE_URL: controlUrl,
        PORTICO_DATA_DIR: join(dir, name),
      }));
    }
    await Promise.all(workerUrls.map((url) => healthy(`${url}/_portico/ready`, 120_000)));
    client = new APIGatewayClient({ endpoint: controlUrl, region: 'us-east-1', credentials: { accessKeyId: randomAccountId(), secretAccessKey: 'x' }, maxAttempts: 1 });
  });

  after(async () => {
    for (const { child } of [controlPlane, ...workers]) if (child && child.exitCode === null) child.kill('SIGKILL');
    if (redis && redis.exitCode === null) {
      redis.kill('SIGTERM');
      await new Promise((resolve) => redis!.once('exit', resolve));
    }
    postgres?.destroy();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the control plane on the Postgres cluster', (t) => {
    if (!postgres) return t.skip('PostgreSQL server binaries are not installed');
    assert.equal(startupEntry(controlPlane, 'control plane listening').database, 'postgres');
  });

  it('names its endpoints when each process starts', () => {
    const control = startupEntry(controlPlane, 'control plane listening');
    const controlPublic = controlUrl.replace('127.0.0.1', 'localhost');
    assert.deepEqual([control.managementApi, control.health, control.ready, control.metrics], [controlPublic, `${controlPublic}/health`, `${controlPublic}/ready`, `${controlPublic}/metrics`]);
    const worker = startupEntry(workers[0]!, 'worker serving deployed APIs');
    const workerPublic = workerUrls[0]!.replace('127.0.0.1', 'localhost');
    const port = new URL(workerUrls[0]!).port;
    assert.deepEqual([worker.health, worker.ready, worker.metrics], [`${workerPublic}/_portico/health`, `${workerPublic}/_portico/ready`, `${workerPublic}/_portico/metrics`]);
    assert.deepEqual(worker.invokeUrls, [`http://{restApiId}.execute-api.localhost:${port}/{stage}/`, `${workerPublic}/restapis/{restApiId}/{stage}/_user_request_/`]);
  });

  it('answers health and readiness on every process', async () => {
    const control = await fetch(`${controlUrl}/health`);
    assert.equal(control.status, 200);
    const ready = await fetch(`${controlUrl}/ready`);
    assert.deepEqual([ready.status, await ready.json()], [200, { ready: true }]);
    for (const url of workerUrls) {
      const health = await fetch(`${url}/_portico/health`);
      const body = (await health.json()) as { status: string; version: number };
      assert.equal(health.status, 200);
      assert.equal(body.status, 'ok');
      assert.ok(body.version >= 0, 'serves a config version');
      const workerReady = await fetch(`${url}/_portico/ready`);
      assert.equal(workerReady.status, 200);
      assert.equal(((await workerReady.json()) as { ready: boolean }).ready, true);
    }
  });

  it('serves a deployment from both workers, and a redeploy reaches both', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: apiName }));
    restApiId = api.id!;
    const resourceId = api.rootResourceId!;
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    const slow = await client.send(new CreateResourceCommand({ restApiId, parentId: resourceId, pathPart: 'slow' }));
    await client.send(new PutMethodCommand({ restApiId, resourceId: slow.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({
      restApiId, resourceId: slow.id!, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET',
      uri: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/slow`,
    }));
    // A method that requires an API key, whose value must never reach a log.
    const keyed = await client.send(new CreateResourceCommand({ restApiId, parentId: resourceId, pathPart: 'keyed' }));
    const keyedIds = { restApiId, resourceId: keyed.id!, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...keyedIds, authorizationType: 'NONE', apiKeyRequired: true }));
    await client.send(new PutIntegrationCommand({ ...keyedIds, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ ...keyedIds, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ ...keyedIds, statusCode: '200', responseTemplates: { 'application/json': '{"keyed": true}' } }));
    const respond = (text: string) =>
      client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': `{"version": "${text}"}` } }));

    await respond('one');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const key = await client.send(new CreateApiKeyCommand({ name: 'topology', enabled: true, value: API_KEY }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'topology', apiStages: [{ apiId: restApiId, stage: 'prod' }] }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    for (const worker of workerUrls) {
      const { result } = await waitUntil(() => invoke(restApiId, 'prod', '/', {}, worker), (r) => r.status === 200, 5000);
      assert.equal(result.body, '{"version": "one"}');
    }

    await respond('two');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const times = await Promise.all(workerUrls.map((worker) => waitUntil(() => invoke(restApiId, 'prod', '/', {}, worker), (r) => r.body === '{"version": "two"}', 6000)));
    // The 1 s target is measured by `npm run bench`; on a loaded test machine, only a generous bound.
    for (const { ms } of times) assert.ok(ms < 5000, `redeploy live on a worker after ${ms} ms`);
  });

  it('counts the requests each worker served in its metrics, and the control plane its calls', async () => {
    for (const [i, worker] of workerUrls.entries()) {
      const count = async () => metricValue(await scrape(`${worker}/_portico/metrics`), 'apigateway_Count', { ApiName: apiName, Stage: 'prod' }) ?? 0;
      const before = await count();
      for (let n = 0; n <= i; n++) assert.equal((await invoke(restApiId, 'prod', '/', {}, worker)).status, 200);
      assert.equal((await count()) - before, i + 1, `worker-${i + 1}`);
      // Prometheus's default path answers too, on any host that is not an API's.
      assert.equal(metricValue(await scrape(`${worker}/metrics`), 'apigateway_Count', { ApiName: apiName, Stage: 'prod' }), before + i + 1);
    }
    const control = await scrape(`${controlUrl}/metrics`);
    assert.equal(metricValue(control, 'portico_management_requests_total', { operation: 'CreateDeployment', status: '201' }), 2);
  });

  it('keeps API keys and bearer tokens out of every log, data traces included', async () => {
    await client.send(new UpdateStageCommand({
      restApiId, stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }, { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' }],
    }));
    const headers = { 'x-api-key': API_KEY, authorization: `Bearer ${BEARER}`, cookie: `session=${BEARER}` };
    for (const [i, worker] of workerUrls.entries()) {
      // Keyed calls until the stage's new settings are live on the worker: an execution log entry with its data trace.
      const traced = (requestId: string) => workers[i]!.stdout.some((l) => l.includes(requestId) && l.includes('"log":"execution"') && l.includes('[redacted]'));
      await eventually(async () => {
        const r = await invoke(restApiId, 'prod', '/keyed', { headers }, worker);
        assert.equal(r.body, '{"keyed": true}');
        await new Promise((resolve) => setTimeout(resolve, 100));
        return traced(r.headers.get('x-amzn-requestid')!) ? true : undefined;
      }, `execution log with data trace on worker-${i + 1}`, 10_000);
    }
    for (const proc of [controlPlane, ...workers]) {
      assert.ok(!proc.stdout.some((l) => l.includes(API_KEY)), 'no API key value in the log');
      assert.ok(!proc.stdout.some((l) => l.includes(BEARER)), 'no bearer token in the log');
      assert.ok(!proc.stdout.some((l) => l.includes('topology-test-secret')), 'no cluster secret in the log');
    }
  });

  it('drains a request in flight on SIGTERM, refusing new connections, and exits 0', async () => {
    const worker = workerUrls[0]!;
    const arrivedBefore = arrived;
    const inFlight = invoke(restApiId, 'prod', '/slow', {}, worker);
    await eventually(() => (arrived > arrivedBefore ? true : undefined), 'slow request at the backend');
    const signalled = Date.now();
    workers[0]!.child.kill('SIGTERM');
    // It stops listening at once: new connections are refused while the request in flight runs on.
    await eventually(async () => ((await connectError(worker)) === 'ECONNREFUSED' ? true : undefined), 'new connections refused');
    assert.ok(Date.now() - signalled < SLOW_MS, 'refused before the request in flight finished');
    assert.equal(workers[0]!.child.exitCode, null, 'still running while the request is in flight');
    const result = await inFlight;
    assert.equal(result.status, 200);
    assert.equal(result.body, '{"slow": true}');
    assert.equal(await workers[0]!.exited, 0);
    // The other worker serves on.
    assert.equal((await invoke(restApiId, 'prod', '/', {}, workerUrls[1]!)).status, 200);
  });

  it('stops every process cleanly on SIGTERM', async () => {
    // Workers first, as an orchestrator drains them before the control plane.
    workers[1]!.child.kill('SIGTERM');
    assert.equal(await workers[1]!.exited, 0);
    controlPlane.child.kill('SIGTERM');
    assert.equal(await controlPlane.exited, 0);
  });
});
