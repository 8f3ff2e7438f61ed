// State survives a restart of the control plane: on the embedded database kept in a data
// directory, and on Postgres when DATABASE_URL is set. Migrations run again at each start and
// find nothing to do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { startControlPlane } from '../../src/control-plane/server.js';
import { randomAccountId } from '../helpers/client.js';

const dataDir = mkdtempSync(join(tmpdir(), 'portico-persistence-'));
const settings = { port: 0, host: '127.0.0.1', databaseUrl: process.env.DATABASE_URL, embeddedDataDir: dataDir, clusterSecret: 'persistence-test' };
const accountId = randomAccountId();
const clientFor = (port: number) =>
  new APIGatewayClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey: 'x' }, maxAttempts: 1 });

describe(`state across a control-plane restart (${process.env.DATABASE_URL ? 'Postgres' : 'embedded'})`, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps APIs, resources, methods and stages', async () => {
    let controlPlane = await startControlPlane(settings);
    let client = clientFor(controlPlane.port);
    const api = await client.send(new CreateRestApiCommand({ name: 'survivor', description: 'kept across restarts' }));
    const restApiId = api.id!;
    const pets = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
    await client.send(new PutMethodCommand({ restApiId, resourceId: pets.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: pets.id, httpMethod: 'GET', type: 'MOCK' }));
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', variables: { color: 'blue' } }));
    await controlPlane.stop();

    controlPlane = await startControlPlane(settings);
    client = clientFor(controlPlane.port);
    try {
      const again = await client.send(new GetRestApiCommand({ restApiId }));
      assert.deepEqual([again.name, again.description, again.rootResourceId], ['survivor', 'kept across restarts', api.rootResourceId]);
      const resources = await client.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
      const petsAgain = resources.items!.find((r) => r.path === '/pets');
      assert.equal(petsAgain?.resourceMethods?.GET?.methodIntegration?.type, 'MOCK');
      const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
      assert.deepEqual([stage.deploymentId, stage.variables], [deployment.id, { color: 'blue' }]);
    } finally {
      await controlPlane.stop();
    }
  });
});
