// The production topology of docker-compose.yml, started as plain processes: a standalone control
// plane and two standalone workers, each its own process talking over loopback. An API deployed
// once is served by both workers; a redeploy reaches both; SIGTERM stops every process cleanly.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitUntil } from '../helpers/invoke.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function healthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('control plane and two workers as separate processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-topology-'));
  const processes: ChildProcess[] = [];
  const exits: Promise<number | null>[] = [];
  let controlUrl: string;
  const workerUrls: string[] = [];

  function start(entry: string, env: Record<string, string>): void {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { ...process.env, PORTICO_LOG_LEVEL: 'warn', PORTICO_HOST: '127.0.0.1', PORTICO_CLUSTER_SECRET: 'topology-test-secret', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    processes.push(child);
    exits.push(new Promise((resolve) => child.on('exit', (code) => resolve(code))));
  }

  before(async () => {
    const controlPort = await freePort();
    controlUrl = `http://127.0.0.1:${controlPort}`;
    start('src/control-plane/main.ts', {
      PORTICO_CONTROL_PORT: String(controlPort),
      PORTICO_DATA_DIR: join(dir, 'control-plane'),
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    });
    await healthy(`${controlUrl}/health`);
    for (const name of ['worker-1', 'worker-2']) {
      const port = await freePort();
      workerUrls.push(`http://127.0.0.1:${port}`);
      start('src/data-plane/main.ts', { PORTICO_DATA_PORT: String(port), PORTICO_CONTROL_PLANE_URL: controlUrl, PORTICO_DATA_DIR: join(dir, name) });
    }
    await Promise.all(workerUrls.map((url) => healthy(`${url}/_portico/ready`)));
  });

  after(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a deployment from both workers, and a redeploy reaches both', async () => {
    const client = new APIGatewayClient({ endpoint: controlUrl, region: 'us-east-1', credentials: { accessKeyId: randomAccountId(), secretAccessKey: 'x' }, maxAttempts: 1 });
    const api = await client.send(new CreateRestApiCommand({ name: 'topology' }));
    const restApiId = api.id!;
    const resourceId = api.rootResourceId!;
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200' }));
    const respond = (text: string) =>
      client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': `{"version": "${text}"}` } }));

    await respond('one');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    for (const worker of workerUrls) {
      const { result } = await waitUntil(() => invoke(restApiId, 'prod', '/', {}, worker), (r) => r.status === 200, 5000);
      assert.equal(result.body, '{"version": "one"}');
    }

    await respond('two');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const times = await Promise.all(workerUrls.map((worker) => waitUntil(() => invoke(restApiId, 'prod', '/', {}, worker), (r) => r.body === '{"version": "two"}', 3000)));
    for (const { ms } of times) assert.ok(ms < 1000, `redeploy live on a worker after ${ms} ms`);
  });

  it('stops every process cleanly on SIGTERM', async () => {
    // Workers first, as an orchestrator drains them before the control plane.
    processes[1]!.kill('SIGTERM');
    processes[2]!.kill('SIGTERM');
    assert.deepEqual(await Promise.all([exits[1], exits[2]]), [0, 0]);
    processes[0]!.kill('SIGTERM');
    assert.equal(await exits[0], 0);
  });
});
