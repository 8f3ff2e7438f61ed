// Deployment: frozen snapshots of an API (apiSummary), listing, description updates, deletion rules,
// and CreateDeployment's stageName creating or moving a stage (or its canary).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateDeploymentCommand,
  UpdateMethodCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const ACTIVE_STAGES = 'Active stages pointing to this deployment must be moved or deleted';

/** An API whose root has a MOCK `GET`, ready to deploy. */
async function deployableApi(client: APIGatewayClient) {
  const api = await client.send(new CreateRestApiCommand({ name: 'deployments' }));
  const restApiId = api.id!;
  const rootId = api.rootResourceId!;
  await client.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', type: 'MOCK' }));
  return { restApiId, rootId };
}

const withoutMetadata = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  return rest;
};

describe('Deployment', () => {
  it('is refused for an API without methods, or with a method without integration', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'empty' }));
    const restApiId = api.id!;
    await expectError(client.send(new CreateDeploymentCommand({ restApiId })), 'BadRequestException', 400, "The REST API doesn't contain any methods");
    await client.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await expectError(client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' })), 'BadRequestException', 400, 'No integration defined for method');
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId }))).item, []);
    await expectError(client.send(new CreateDeploymentCommand({ restApiId: 'nope' })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:nope`);
  });

  it('is created with a six-character id and returned with its apiSummary on request', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const created = await client.send(new CreateDeploymentCommand({ restApiId, description: 'first' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.ok(created.createdDate instanceof Date);
    assert.deepEqual(Object.keys(withoutMetadata(created)).sort(), ['createdDate', 'description', 'id']);

    const plain = await client.send(new GetDeploymentCommand({ restApiId, deploymentId: created.id }));
    assert.deepEqual(withoutMetadata(plain), { id: created.id, description: 'first', createdDate: created.createdDate });
    const embedded = await client.send(new GetDeploymentCommand({ restApiId, deploymentId: created.id, embed: ['apisummary'] }));
    assert.deepEqual(embedded.apiSummary, { '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });

    await expectError(client.send(new GetDeploymentCommand({ restApiId, deploymentId: 'abc123' })), 'NotFoundException', 404, 'Invalid Deployment identifier specified');
    await expectError(client.send(new GetDeploymentCommand({ restApiId: 'nope', deploymentId: created.id })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:nope`);
  });

  it('is an immutable snapshot: later changes to the API show only in the next deployment', async () => {
    const client = newClient();
    const { restApiId, rootId } = await deployableApi(client);
    const first = await client.send(new CreateDeploymentCommand({ restApiId }));

    await client.send(new UpdateMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', patchOperations: [{ op: 'replace', path: '/apiKeyRequired', value: 'true' }] }));
    const { id: petsId } = await client.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: 'pets' }));
    await client.send(new PutMethodCommand({ restApiId, resourceId: petsId, httpMethod: 'POST', authorizationType: 'AWS_IAM' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: petsId, httpMethod: 'POST', type: 'MOCK' }));
    const second = await client.send(new CreateDeploymentCommand({ restApiId }));

    const summaryOf = async (deploymentId: string) =>
      (await client.send(new GetDeploymentCommand({ restApiId, deploymentId, embed: ['apisummary'] }))).apiSummary;
    assert.deepEqual(await summaryOf(first.id!), { '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });
    assert.deepEqual(await summaryOf(second.id!), {
      '/': { GET: { authorizationType: 'NONE', apiKeyRequired: true } },
      '/pets': { POST: { authorizationType: 'AWS_IAM', apiKeyRequired: false } },
    });
  });

  it('is listed in creation order, in pages, without its apiSummary', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.send(new CreateDeploymentCommand({ restApiId }))).id!);
    const all = await client.send(new GetDeploymentsCommand({ restApiId }));
    assert.deepEqual(all.items?.map((d) => d.id), ids);
    assert.ok(all.items?.every((d) => d.apiSummary === undefined && d.createdDate instanceof Date));
    const first = await client.send(new GetDeploymentsCommand({ restApiId, limit: 2 }));
    const rest = await client.send(new GetDeploymentsCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual([...first.items!, ...rest.items!].map((d) => d.id), ids);
    assert.equal(rest.position, undefined);
    await expectError(client.send(new GetDeploymentsCommand({ restApiId: 'nope' })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:nope`);
  });

  it('updates its description through /description only', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const { id: deploymentId } = await client.send(new CreateDeploymentCommand({ restApiId }));
    const updated = await client.send(new UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: 'replace', path: '/description', value: 'new-description' }] }));
    assert.equal(updated.description, 'new-description');
    assert.equal((await client.send(new GetDeploymentCommand({ restApiId, deploymentId }))).description, 'new-description');
    const cleared = await client.send(new UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: 'replace', path: '/description', value: '' }] }));
    assert.equal(cleared.description, undefined);

    await expectError(
      client.send(new UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })),
      'BadRequestException',
      400,
      "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description]",
    );
    await expectError(
      client.send(new UpdateDeploymentCommand({ restApiId, deploymentId, patchOperations: [{ op: 'add', path: '/description', value: 'x' }] })),
      'BadRequestException',
      400,
      "Invalid patch path  '/description' specified for op 'add'. Please choose supported operations",
    );
    await expectError(
      client.send(new UpdateDeploymentCommand({ restApiId, deploymentId: 'abc123', patchOperations: [] })),
      'NotFoundException',
      404,
      'Invalid Deployment identifier specified',
    );
  });

  it('cannot be deleted while a stage points at it', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const { id: first } = await client.send(new CreateDeploymentCommand({ restApiId }));
    await client.send(new CreateStageCommand({ restApiId, stageName: 's1', deploymentId: first }));
    await expectError(client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: first })), 'BadRequestException', 400, ACTIVE_STAGES);

    const { id: second } = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 's1' }));
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))).deploymentId, second);
    const deleted = await client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: first }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetDeploymentCommand({ restApiId, deploymentId: first })), 'NotFoundException', 404, 'Invalid Deployment identifier specified');
    await expectError(client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: first })), 'NotFoundException', 404, 'Invalid Deployment identifier specified');
    await expectError(client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: second })), 'BadRequestException', 400, ACTIVE_STAGES);

    await client.send(new DeleteStageCommand({ restApiId, stageName: 's1' }));
    await client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: second }));
    assert.deepEqual((await client.send(new GetDeploymentsCommand({ restApiId }))).items, []);
  });

  it('with stageName creates the stage, then moves it on the next deployment', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const first = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', stageDescription: 'dev stage', variables: { env: 'dev', url: 'http://example.com/a?b=c&d=e' } }));
    const created = await client.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    assert.deepEqual(withoutMetadata(created), {
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      createdDate: created.createdDate,
      deploymentId: first.id,
      description: 'dev stage',
      lastUpdatedDate: created.lastUpdatedDate,
      methodSettings: {},
      stageName: 'dev',
      tracingEnabled: false,
      variables: { env: 'dev', url: 'http://example.com/a?b=c&d=e' },
    });

    const second = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { extra: 'yes' }, tracingEnabled: true }));
    const moved = await client.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    assert.equal(moved.deploymentId, second.id);
    assert.equal(moved.description, 'dev stage');
    assert.deepEqual(moved.variables, { env: 'dev', url: 'http://example.com/a?b=c&d=e', extra: 'yes' });
    assert.equal(moved.tracingEnabled, true);
    assert.deepEqual(moved.createdDate, created.createdDate);
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId }))).item?.map((s) => s.stageName), ['dev']);

    const unstaged = await client.send(new CreateDeploymentCommand({ restApiId, stageName: '' }));
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'dev' }))).deploymentId, second.id);
    assert.ok(unstaged.id);
  });

  it('checks the stage name and variables it is given', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    await expectError(client.send(new CreateDeploymentCommand({ restApiId, stageName: 'bad.name' })), 'BadRequestException', 400, 'Stage name only allows a-zA-Z0-9_');
    await expectError(
      client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { 'owner:name': 'x' } })),
      'BadRequestException',
      400,
      'Invalid stage variable name: owner:name.  Please use names with only word characters.',
    );
    await expectError(
      client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { name: 'a+b' } })),
      'BadRequestException',
      400,
      "Invalid stage variable value: a+b.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.",
    );
    assert.deepEqual((await client.send(new GetDeploymentsCommand({ restApiId }))).items, []);
  });

  it('with canarySettings sets the canary of an existing stage and leaves its deployment', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    const noStage = 'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is ';
    await expectError(client.send(new CreateDeploymentCommand({ restApiId, canarySettings: { percentTraffic: 50 } })), 'BadRequestException', 400, `${noStage}null`);
    await expectError(client.send(new CreateDeploymentCommand({ restApiId, stageName: '', canarySettings: { percentTraffic: 50 } })), 'BadRequestException', 400, noStage);
    await expectError(
      client.send(new CreateDeploymentCommand({ restApiId, stageName: 'non-existing', canarySettings: { percentTraffic: 50 } })),
      'BadRequestException',
      400,
      'Invalid deployment content specified.Stage non-existing must already be created before making a canary release deployment',
    );

    const base = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables: { testVar: 'default' } }));
    const canary = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }));
    const stage = await client.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    assert.equal(stage.deploymentId, base.id);
    assert.deepEqual(stage.canarySettings, { deploymentId: canary.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
    await expectError(client.send(new DeleteDeploymentCommand({ restApiId, deploymentId: canary.id })), 'BadRequestException', 400, ACTIVE_STAGES);
  });

  it('goes with its API', async () => {
    const client = newClient();
    const { restApiId } = await deployableApi(client);
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    await client.send(new DeleteRestApiCommand({ restApiId }));
    await expectError(client.send(new GetDeploymentsCommand({ restApiId })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:${restApiId}`);
    await expectError(client.send(new GetStagesCommand({ restApiId })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:${restApiId}`);
  });
});
