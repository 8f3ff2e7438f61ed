// Stage: create with AWS's defaults, list (by deployment), update through every patch path AWS takes
// (variables, deployment switch, cache cluster, access logs, methodSettings), tags, delete.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
  type APIGatewayClient,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';
const ACCESS_LOG_PATHS = 'Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]';

/** AWS's settings of a method once any of them is set, as recorded. */
const DEFAULT_SETTING = {
  cacheDataEncrypted: false,
  cacheTtlInSeconds: 300,
  cachingEnabled: false,
  dataTraceEnabled: false,
  metricsEnabled: false,
  requireAuthorizationForCacheControl: true,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

/** A deployed API (root `GET`, MOCK) and a stage `s1` on its deployment. */
async function stagedApi(client: APIGatewayClient, stage: { description?: string; variables?: Record<string, string> } = {}) {
  const api = await client.send(new CreateRestApiCommand({ name: 'stages' }));
  const restApiId = api.id!;
  await client.send(new PutMethodCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  const { id: deploymentId } = await client.send(new CreateDeploymentCommand({ restApiId }));
  const created = await client.send(new CreateStageCommand({ restApiId, stageName: 's1', deploymentId, ...stage }));
  return { restApiId, deploymentId: deploymentId!, created };
}

const withoutMetadata = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  return rest;
};

const update = (client: APIGatewayClient, restApiId: string, ...patchOperations: PatchOperation[]) =>
  client.send(new UpdateStageCommand({ restApiId, stageName: 's1', patchOperations }));

describe('Stage', () => {
  it('is created with AWS defaults and read back as created', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'stages' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    const { id: deploymentId } = await client.send(new CreateDeploymentCommand({ restApiId: api.id }));
    const created = await client.send(new CreateStageCommand({ restApiId: api.id, stageName: 's1', deploymentId, description: 'my stage', documentationVersion: 'v123' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.ok(created.createdDate instanceof Date && created.lastUpdatedDate instanceof Date);
    assert.deepEqual(withoutMetadata(created), {
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      createdDate: created.createdDate,
      deploymentId,
      description: 'my stage',
      documentationVersion: 'v123',
      lastUpdatedDate: created.lastUpdatedDate,
      methodSettings: {},
      stageName: 's1',
      tracingEnabled: false,
    });
    assert.deepEqual(withoutMetadata(await client.send(new GetStageCommand({ restApiId: api.id, stageName: 's1' }))), withoutMetadata(created));
  });

  it('is refused with a name, deployment or variables AWS refuses, and only once per name', async () => {
    const client = newClient();
    const { restApiId, deploymentId } = await stagedApi(client);
    await expectError(client.send(new CreateStageCommand({ restApiId, stageName: 's1', deploymentId })), 'ConflictException', 409, 'Stage already exists');
    await expectError(client.send(new CreateStageCommand({ restApiId, stageName: 's2', deploymentId: 'nope12' })), 'BadRequestException', 400, 'Deployment id does not exist');
    await expectError(client.send(new CreateStageCommand({ restApiId, stageName: 'bad name', deploymentId })), 'BadRequestException', 400, 'Stage name only allows a-zA-Z0-9_');
    await expectError(client.send(new CreateStageCommand({ restApiId, stageName: 'x'.repeat(129), deploymentId })), 'BadRequestException', 400, 'Stage name only allows a-zA-Z0-9_');
    await expectError(
      client.send(new CreateStageCommand({ restApiId, stageName: 's2', deploymentId, variables: { 'my-var': 'x' } })),
      'BadRequestException',
      400,
      'Invalid stage variable name: my-var.  Please use names with only word characters.',
    );
    await expectError(
      client.send(new CreateStageCommand({ restApiId, stageName: 's2', deploymentId, variables: { v: '' } })),
      'BadRequestException',
      400,
      "Invalid stage variable value: .  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.",
    );
    await expectError(client.send(new CreateStageCommand({ restApiId: 'nope', stageName: 's2', deploymentId })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:nope`);
    const ok = await client.send(new CreateStageCommand({ restApiId, stageName: 'Prod_2-b', deploymentId, variables: { url_1: 'https://h.example.com:8080/p?q=1&r=s#f,~x' } }));
    assert.deepEqual(ok.variables, { url_1: 'https://h.example.com:8080/p?q=1&r=s#f,~x' });
  });

  it('is found by name, and listed all or by deployment', async () => {
    const client = newClient();
    const { restApiId, deploymentId: first } = await stagedApi(client);
    const { id: second } = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 's2' }));
    const all = await client.send(new GetStagesCommand({ restApiId }));
    assert.deepEqual(all.item?.map((s) => [s.stageName, s.deploymentId]), [['s1', first], ['s2', second]]);
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId, deploymentId: first }))).item?.map((s) => s.stageName), ['s1']);
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId, deploymentId: second }))).item?.map((s) => s.stageName), ['s2']);
    await expectError(client.send(new GetStageCommand({ restApiId, stageName: 'S1' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    await expectError(client.send(new GetStagesCommand({ restApiId: 'nope' })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:nope`);
  });

  it('updates description, variables, tracing and method settings as AWS records', async () => {
    const client = newClient();
    const { restApiId, deploymentId } = await stagedApi(client, { description: 'my stage' });
    const updated = await update(
      client,
      restApiId,
      { op: 'replace', path: '/description', value: 'stage new' },
      { op: 'replace', path: '/variables/var1', value: 'test' },
      { op: 'replace', path: '/variables/var2', value: 'test2' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '123' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
      { op: 'replace', path: '/test/GET/throttling/burstLimit', value: '124' },
    );
    const expected = {
      '*/*': { ...DEFAULT_SETTING, cachingEnabled: true, throttlingBurstLimit: 123 },
      'test/GET': { ...DEFAULT_SETTING, cachingEnabled: true, throttlingBurstLimit: 124 },
    };
    assert.deepEqual(withoutMetadata(updated), {
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      createdDate: updated.createdDate,
      deploymentId,
      description: 'stage new',
      lastUpdatedDate: updated.lastUpdatedDate,
      methodSettings: expected,
      stageName: 's1',
      tracingEnabled: true,
      variables: { var1: 'test', var2: 'test2' },
    });
    assert.deepEqual(withoutMetadata(await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))), withoutMetadata(updated));

    // `*/*` gives a method its starting values once; later changes to `*/*` leave the method alone.
    const overridden = await update(client, restApiId, { op: 'replace', path: '/*/*/throttling/burstLimit', value: '100' });
    assert.deepEqual(overridden.methodSettings, { ...expected, '*/*': { ...expected['*/*'], throttlingBurstLimit: 100 } });

    const removed = await update(client, restApiId, { op: 'remove', path: '/variables/var1' }, { op: 'replace', path: '/description', value: '' });
    assert.deepEqual(removed.variables, { var2: 'test2' });
    assert.equal(removed.description, undefined);
    const noVariables = await update(client, restApiId, { op: 'remove', path: '/variables/var2' });
    assert.equal(noVariables.variables, undefined);
  });

  it('sets every method setting, for a resource path given escaped or as segments', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const prefix = '/~1pets~1{petId}/GET';
    const stage = await update(
      client,
      restApiId,
      { op: 'replace', path: `${prefix}/metrics/enabled`, value: 'true' },
      { op: 'replace', path: `${prefix}/logging/dataTrace`, value: 'true' },
      { op: 'replace', path: `${prefix}/logging/loglevel`, value: 'INFO' },
      { op: 'replace', path: `${prefix}/throttling/burstLimit`, value: '10' },
      { op: 'replace', path: `${prefix}/throttling/rateLimit`, value: '2.5' },
      { op: 'replace', path: `${prefix}/caching/ttlInSeconds`, value: '60' },
      { op: 'replace', path: `${prefix}/caching/enabled`, value: 'true' },
      { op: 'replace', path: `${prefix}/caching/dataEncrypted`, value: 'true' },
      { op: 'replace', path: `${prefix}/caching/requireAuthorizationForCacheControl`, value: 'false' },
      { op: 'replace', path: `${prefix}/caching/unauthorizedCacheControlHeaderStrategy`, value: 'FAIL_WITH_403' },
      { op: 'add', path: '/pets/{petId}/POST/logging/loglevel', value: 'ERROR' },
      { op: 'replace', path: '/~1/GET/metrics/enabled', value: 'true' },
    );
    assert.deepEqual(stage.methodSettings, {
      'pets/{petId}/GET': {
        metricsEnabled: true,
        dataTraceEnabled: true,
        loggingLevel: 'INFO',
        throttlingBurstLimit: 10,
        throttlingRateLimit: 2.5,
        cacheTtlInSeconds: 60,
        cachingEnabled: true,
        cacheDataEncrypted: true,
        requireAuthorizationForCacheControl: false,
        unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      },
      'pets/{petId}/POST': { ...DEFAULT_SETTING, loggingLevel: 'ERROR' },
      '/GET': { ...DEFAULT_SETTING, metricsEnabled: true },
    });
    const removed = await update(client, restApiId, { op: 'remove', path: '/~1pets~1{petId}/POST' }, { op: 'remove', path: '/pets/{petId}/GET' });
    assert.deepEqual(Object.keys(removed.methodSettings!), ['/GET']);
  });

  it('refuses method setting values AWS refuses', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const cases: [string, string, string][] = [
      ['/*/*/metrics/enabled', 'yes', 'Invalid boolean value: yes'],
      ['/*/*/logging/loglevel', 'DEBUG', 'Invalid logging level: DEBUG. Must be one of: [OFF, ERROR, INFO]'],
      ['/*/*/throttling/burstLimit', '1.5', 'Invalid burst limit: 1.5. Must be a non-negative integer'],
      ['/*/*/throttling/burstLimit', '-1', 'Invalid burst limit: -1. Must be a non-negative integer'],
      ['/*/*/throttling/rateLimit', 'fast', 'Invalid rate limit: fast. Must be a non-negative number'],
      ['/*/*/caching/ttlInSeconds', '3601', 'Invalid cache ttl: 3601. Must be between 0 and 3600'],
      [
        '/*/*/caching/unauthorizedCacheControlHeaderStrategy',
        'IGNORE',
        'Invalid unauthorized cache control header strategy: IGNORE. Must be one of: [FAIL_WITH_403, SUCCEED_WITH_RESPONSE_HEADER, SUCCEED_WITHOUT_RESPONSE_HEADER]',
      ],
    ];
    for (const [path, value, message] of cases) {
      await expectError(update(client, restApiId, { op: 'replace', path, value }), 'BadRequestException', 400, message);
    }
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))).methodSettings, {});
  });

  it('removes */* only when it is there, resetting the stage', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    await expectError(
      update(client, restApiId, { op: 'remove', path: '/*/*' }),
      'BadRequestException',
      400,
      'Cannot remove method setting */* because there is no method setting for this method ',
    );
    const set = await update(client, restApiId, { op: 'replace', path: '/*/*/caching/enabled', value: 'true' });
    assert.deepEqual(set.methodSettings, { '*/*': { ...DEFAULT_SETTING, cachingEnabled: true } });
    const reset = await update(client, restApiId, { op: 'remove', path: '/*/*' });
    assert.deepEqual(reset.methodSettings, {});
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))).methodSettings, {});
  });

  it('refuses paths AWS does not take, with its messages', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    for (const path of ['/documentation_version', '/tags/tag1', '/canarySettings']) {
      await expectError(update(client, restApiId, { op: 'replace', path, value: '123' }), 'BadRequestException', 400, `Invalid method setting path: ${path}. Must be one of: ${STAGE_PATHS}`);
    }
    await expectError(update(client, restApiId, { op: 'remove', path: '/description' }), 'BadRequestException', 400, 'Invalid remove operation with path: /description');
    await expectError(update(client, restApiId, { op: 'replace', path: '/variables/a-b', value: 'x' }), 'BadRequestException', 400, 'Invalid stage variable name: a-b.  Please use names with only word characters.');
    await expectError(
      update(client, restApiId, { op: 'replace', path: '/variables/ok', value: 'a"b' }),
      'BadRequestException',
      400,
      "Invalid stage variable value: a\"b.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.",
    );
    await expectError(update(client, restApiId, { op: 'replace', path: '/tracingEnabled', value: 'on' }), 'BadRequestException', 400, 'Invalid boolean value: on');
    await expectError(client.send(new UpdateStageCommand({ restApiId, stageName: 'nope', patchOperations: [] })), 'NotFoundException', 404, 'Invalid stage identifier specified');
  });

  it('moves to another deployment of its API only', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const { id: second } = await client.send(new CreateDeploymentCommand({ restApiId }));
    const moved = await update(client, restApiId, { op: 'replace', path: '/deploymentId', value: second });
    assert.equal(moved.deploymentId, second);
    await expectError(update(client, restApiId, { op: 'replace', path: '/deploymentId', value: 'nope12' }), 'BadRequestException', 400, 'Deployment id does not exist');
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))).deploymentId, second);
  });

  it('switches the cache cluster and keeps the client certificate', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const enabled = await update(client, restApiId, { op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/clientCertificateId', value: 'abc123' });
    assert.equal(enabled.cacheClusterEnabled, true);
    assert.equal(enabled.cacheClusterStatus, 'AVAILABLE');
    assert.equal(enabled.cacheClusterSize, '0.5');
    assert.equal(enabled.clientCertificateId, 'abc123');
    const resized = await update(client, restApiId, { op: 'replace', path: '/cacheClusterSize', value: '6.1' });
    assert.equal(resized.cacheClusterSize, '6.1');
    const disabled = await update(client, restApiId, { op: 'replace', path: '/cacheClusterEnabled', value: 'false' }, { op: 'replace', path: '/clientCertificateId', value: '' });
    assert.equal(disabled.cacheClusterStatus, 'NOT_AVAILABLE');
    assert.equal(disabled.clientCertificateId, undefined);
    await expectError(
      update(client, restApiId, { op: 'replace', path: '/cacheClusterSize', value: '2' }),
      'BadRequestException',
      400,
      'Invalid cache cluster size: 2. Must be one of: [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237]',
    );
  });

  it('sets and removes access log settings, refusing other paths as AWS does', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const arn = 'arn:aws:logs:us-east-1:111111111111:log-group:portico';
    const added = await update(client, restApiId, { op: 'add', path: '/accessLogSettings/destinationArn', value: arn });
    assert.deepEqual(added.accessLogSettings, { destinationArn: arn });
    const replaced = await update(client, restApiId, { op: 'replace', path: '/accessLogSettings/destinationArn', value: `${arn}a` });
    assert.deepEqual(replaced.accessLogSettings, { destinationArn: `${arn}a` });
    const format = '$context.requestId $context.identity.sourceIp';
    const formatted = await update(client, restApiId, { op: 'add', path: '/accessLogSettings/format', value: format });
    assert.deepEqual(formatted.accessLogSettings, { destinationArn: `${arn}a`, format });

    for (const op of ['add', 'replace'] as const) {
      for (const path of ['/accessLogSettings/randomValue', '/accessLogSettings/*', '/accessLogSettings']) {
        await expectError(update(client, restApiId, { op, path, value: 'x' }), 'BadRequestException', 400, ACCESS_LOG_PATHS);
      }
    }
    for (const name of ['randomValue', '*', 'destinationArn']) {
      await expectError(
        update(client, restApiId, { op: 'remove', path: `/accessLogSettings/${name}` }),
        'BadRequestException',
        400,
        `Cannot remove method setting accessLogSettings/${name} because there is no method setting for this method `,
      );
    }
    for (const path of ['/accessLogSettings/destinationArn', '/accessLogSettings/format']) {
      await expectError(update(client, restApiId, { op: 'replace', path, value: '' }), 'BadRequestException', 400, 'Access Log value must not be empty');
    }

    const cleared = await update(client, restApiId, { op: 'remove', path: '/accessLogSettings' });
    assert.equal(cleared.accessLogSettings, undefined);
  });

  it('keeps canary settings given at creation, with AWS defaults', async () => {
    const client = newClient();
    const { restApiId, deploymentId } = await stagedApi(client);
    const { id: canaryId } = await client.send(new CreateDeploymentCommand({ restApiId }));
    const withCanary = await client.send(
      new CreateStageCommand({ restApiId, stageName: 'dev', deploymentId, variables: { testVar: 'default' }, canarySettings: { deploymentId: canaryId, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }),
    );
    assert.deepEqual(withCanary.canarySettings, { deploymentId: canaryId, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
    const ownDeployment = await client.send(new CreateStageCommand({ restApiId, stageName: 'dev1', deploymentId, canarySettings: { percentTraffic: 40 } }));
    assert.deepEqual(ownDeployment.canarySettings, { deploymentId, percentTraffic: 40, useStageCache: false });
    await expectError(
      client.send(new CreateStageCommand({ restApiId, stageName: 'dev2', deploymentId, canarySettings: { deploymentId: 'nope12' } })),
      'BadRequestException',
      400,
      'Deployment id does not exist',
    );
  });

  it('carries tags, set at creation or through its ARN', async () => {
    const client = newClient();
    const { restApiId, deploymentId } = await stagedApi(client);
    const tagged = await client.send(new CreateStageCommand({ restApiId, stageName: 'tagged', deploymentId, tags: { team: 'a' } }));
    assert.deepEqual(tagged.tags, { team: 'a' });
    const resourceArn = `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/s1`;
    await client.send(new TagResourceCommand({ resourceArn, tags: { env: 'prod', owner: 'me' } }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn }))).tags, { env: 'prod', owner: 'me' });
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId, stageName: 's1' }))).tags, { env: 'prod', owner: 'me' });
    await client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['owner'] }));
    const stages = await client.send(new GetStagesCommand({ restApiId }));
    assert.deepEqual(stages.item?.map((s) => s.tags), [{ env: 'prod' }, { team: 'a' }]);
    await expectError(
      client.send(new TagResourceCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/nope`, tags: { a: 'b' } })),
      'NotFoundException',
      404,
      'Invalid resource identifier specified',
    );

    // A stage created again under the same name starts without the old stage's tags.
    await client.send(new DeleteStageCommand({ restApiId, stageName: 's1' }));
    const again = await client.send(new CreateStageCommand({ restApiId, stageName: 's1', deploymentId }));
    assert.equal(again.tags, undefined);
  });

  it('is deleted by name', async () => {
    const client = newClient();
    const { restApiId } = await stagedApi(client);
    const deleted = await client.send(new DeleteStageCommand({ restApiId, stageName: 's1' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetStageCommand({ restApiId, stageName: 's1' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    await expectError(client.send(new DeleteStageCommand({ restApiId, stageName: 's1' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    assert.deepEqual((await client.send(new GetStagesCommand({ restApiId }))).item, []);
  });
});
