// The snapshot handoff: a redeploy is live on the worker within 1 s of the management call; the
// worker keeps serving with the control plane down, and after its own restart from its disk cache.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { startControlPlane, type RunningControlPlane } from '../../src/control-plane/server.js';
import { startWorker, type RunningWorker } from '../../src/data-plane/worker.js';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage, waitUntil } from '../helpers/invoke.js';

const clusterSecret = 'lifecycle-test-cluster-secret';

describe('snapshot handoff', () => {
  let controlPlane: RunningControlPlane | undefined;
  let worker: RunningWorker | undefined;
  let client: APIGatewayClient;
  const cacheDir = mkdtempSync(join(tmpdir(), 'portico-lifecycle-'));
  const workerUrl = () => `http://127.0.0.1:${worker!.port}`;
  const startOwnWorker = async () =>
    startWorker({ port: 0, host: '127.0.0.1', controlPlaneUrl: `http://127.0.0.1:${controlPlane?.port ?? 1}`, clusterSecret, cacheDir, executeApiDomain: 'execute-api.localhost' });

  before(async () => {
    controlPlane = await startControlPlane({ port: 0, host: '127.0.0.1', databaseUrl: process.env.DATABASE_URL, clusterSecret });
    worker = await startOwnWorker();
    const accountId = randomAccountId();
    client = new APIGatewayClient({ endpoint: `http://127.0.0.1:${controlPlane.port}`, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  after(async () => {
    await worker?.stop();
    await controlPlane?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  async function mockApi(status: string) {
    const api = await client.send(new CreateRestApiCommand({ name: 'lifecycle' }));
    const restApiId = api.id!;
    const { id: resourceId } = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'ping' }));
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: status }));
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: status, selectionPattern: '' }));
    return { restApiId, resourceId };
  }

  it('serves a redeploy within 1 s of the management call', async () => {
    const { restApiId, resourceId } = await mockApi('200');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const first = await waitForStage(restApiId, 'prod', '/ping', 5000, workerUrl());
    assert.equal(first.status, 200);

    await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '202' }));
    // A pattern that matches MOCK's 200 wins over the default response.
    await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: 'GET', statusCode: '202', selectionPattern: '2\\d\\d' }));
    // Not deployed yet: the worker still serves the old snapshot.
    assert.equal((await invoke(restApiId, 'prod', '/ping', {}, workerUrl())).status, 200);
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const { ms } = await waitUntil(() => invoke(restApiId, 'prod', '/ping', {}, workerUrl()), (r) => r.status === 202, 3000);
    assert.ok(ms < 1000, `redeploy live after ${ms} ms`);
  });

  it('keeps serving with the control plane stopped, and after its own restart from the disk cache', async () => {
    const { restApiId } = await mockApi('200');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }));
    assert.equal((await waitForStage(restApiId, 'live', '/ping', 5000, workerUrl())).status, 200);
    await controlPlane!.stop();
    controlPlane = undefined;
    assert.equal((await invoke(restApiId, 'live', '/ping', {}, workerUrl())).status, 200);

    await worker!.stop();
    worker = await startOwnWorker();
    assert.equal((await invoke(restApiId, 'live', '/ping', {}, workerUrl())).status, 200);
    assert.equal((await invoke(restApiId, 'live', '/nothing', {}, workerUrl())).status, 403);
  });
});
