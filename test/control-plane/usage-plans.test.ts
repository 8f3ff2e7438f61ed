// Usage plans as in "Create and use usage plans": plans on existing API stages with throttles and
// quotas, every patch path (method throttles included), the plan's API keys and the rule that a
// key meets a stage in one plan only, usage reported by workers read back with GetUsage, remaining
// quota changed with UpdateUsage, the worker config they make, and accounts kept apart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetTagsCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateApiKeyCommand,
  UpdateUsageCommand,
  UpdateUsagePlanCommand,
  type APIGatewayClient,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import jwt from 'jsonwebtoken';
import { endpoint, expectError, newClient } from '../helpers/client.js';
import type { UsageReport, WorkerConfig } from '../../src/shared/worker-config.js';

const REMOVE_PATHS =
  '[/apiStages, /quota, /throttle, /productCode, /apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, /apiStages/<apidId:stageName>/throttle]';

const token = jwt.sign({ sub: 'test-worker' }, process.env.PORTICO_TEST_CLUSTER_SECRET!, { algorithm: 'HS256', audience: 'portico-control-plane', expiresIn: '5m' });

/** Posts a batch of usage reports as a worker does. */
async function report(reports: unknown, auth = `Bearer ${token}`): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${endpoint}/_portico/usage`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: typeof reports === 'string' ? reports : JSON.stringify({ reports }),
  });
  return { status: res.status, body: await res.json() };
}

async function workerConfig(): Promise<WorkerConfig> {
  const res = await fetch(`${endpoint}/_portico/config?after=-1`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as WorkerConfig;
}

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const update = (client: APIGatewayClient, usagePlanId: string, ...patchOperations: PatchOperation[]) =>
  client.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations }));

/** A deployed API (root GET, MOCK) with the given stages. */
async function stagedApi(client: APIGatewayClient, ...stages: string[]): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name: 'plans' }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  for (const stageName of stages.length ? stages : ['dev']) await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
  return api.id!;
}

const withoutMetadata = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  return rest;
};

describe('UsagePlan', () => {
  it('is created on existing API stages with throttle, quota and tags, shaped as recorded', async () => {
    const client = newClient();
    const apiId = await stagedApi(client);
    const created = await client.send(
      new CreateUsagePlanCommand({
        name: 'plan',
        description: 'Test Usage Plan for API key',
        quota: { limit: 10, period: 'DAY', offset: 0 },
        throttle: { rateLimit: 2, burstLimit: 1 },
        apiStages: [{ apiId, stage: 'dev' }],
        tags: { tag_key: 'tag_value' },
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(withoutMetadata(created), {
      id: created.id,
      name: 'plan',
      description: 'Test Usage Plan for API key',
      apiStages: [{ apiId, stage: 'dev' }],
      quota: { limit: 10, offset: 0, period: 'DAY' },
      throttle: { burstLimit: 1, rateLimit: 2 },
      tags: { tag_key: 'tag_value' },
    });
    const bare = await client.send(new CreateUsagePlanCommand({ name: 'bare' }));
    assert.deepEqual(withoutMetadata(bare), { id: bare.id, name: 'bare', apiStages: [] });
    // Burst above rate is allowed, as recorded.
    const burst = await client.send(new CreateUsagePlanCommand({ name: 'burst', throttle: { rateLimit: 10, burstLimit: 20 } }));
    assert.deepEqual(burst.throttle, { burstLimit: 20, rateLimit: 10 });

    const read = await client.send(new GetUsagePlanCommand({ usagePlanId: bare.id }));
    assert.deepEqual(withoutMetadata(read), { id: bare.id, name: 'bare', apiStages: [], tags: {} });
    assert.deepEqual(
      (await client.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/usageplans/${created.id}` }))).tags,
      { tag_key: 'tag_value' },
    );
  });

  it('needs its API stages to exist, and checks its quota', async () => {
    const client = newClient();
    const apiId = await stagedApi(client);
    await expectError(
      client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'nope' }] })),
      'BadRequestException',
      400,
      `API Stage not found: ${apiId}:nope`,
    );
    await expectError(
      client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: '', stage: 'dev' }] })),
      'BadRequestException',
      400,
      'Invalid API Stage {api: %s, stage: %s} specified for usageplan %s',
    );
    // Another account's stage does not exist for this one.
    await expectError(newClient().send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev' }] })), 'BadRequestException', 400);
    await expectError(client.send(new CreateUsagePlanCommand({ name: 'p', quota: { limit: 5 } })), 'BadRequestException', 400);
    await expectError(client.send(new CreateUsagePlanCommand({ name: 'p', quota: { limit: 5, period: 'DAY', offset: 1 } })), 'BadRequestException', 400);
    const weekly = await client.send(new CreateUsagePlanCommand({ name: 'p', quota: { limit: 5, period: 'WEEK', offset: 1 } }));
    assert.deepEqual(weekly.quota, { limit: 5, offset: 1, period: 'WEEK' });
    await expectError(client.send(new GetUsagePlanCommand({ usagePlanId: 'nosuch' })), 'NotFoundException', 404, 'Invalid Usage Plan ID specified');
  });

  it('is listed oldest first, in pages, and by the key it holds', async () => {
    const client = newClient();
    const a = await client.send(new CreateUsagePlanCommand({ name: 'a' }));
    const b = await client.send(new CreateUsagePlanCommand({ name: 'b' }));
    const all = await client.send(new GetUsagePlansCommand({}));
    assert.deepEqual(all.items!.map((p) => p.id), [a.id, b.id]);
    assert.ok(all.items!.every((p) => p.tags === undefined));
    const page = await client.send(new GetUsagePlansCommand({ limit: 1 }));
    assert.deepEqual(page.items!.map((p) => p.id), [a.id]);
    assert.deepEqual((await client.send(new GetUsagePlansCommand({ limit: 1, position: page.position }))).items!.map((p) => p.id), [b.id]);

    const key = await client.send(new CreateApiKeyCommand({ name: 'k' }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: b.id, keyId: key.id, keyType: 'API_KEY' }));
    assert.deepEqual((await client.send(new GetUsagePlansCommand({ keyId: key.id }))).items!.map((p) => p.id), [b.id]);
    assert.deepEqual((await client.send(new GetUsagePlansCommand({ keyId: 'nosuchkey0' }))).items, []);
    assert.deepEqual((await newClient().send(new GetUsagePlansCommand({}))).items, []);
  });

  it('updates name, description, product code, throttle and quota', async () => {
    const client = newClient();
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', description: 'this is my usage plan' }));
    const updated = await update(
      client,
      plan.id!,
      { op: 'replace', path: '/throttle/burstLimit', value: '100' },
      { op: 'replace', path: '/throttle/rateLimit', value: '200' },
      { op: 'replace', path: '/quota/limit', value: '5000' },
      { op: 'replace', path: '/quota/period', value: 'MONTH' },
    );
    assert.deepEqual(withoutMetadata(updated), {
      id: plan.id,
      name: 'p',
      description: 'this is my usage plan',
      apiStages: [],
      quota: { limit: 5000, offset: 0, period: 'MONTH' },
      throttle: { burstLimit: 100, rateLimit: 200 },
      tags: {},
    });
    const renamed = await update(
      client,
      plan.id!,
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'replace', path: '/description', value: '' },
      { op: 'add', path: '/productCode', value: 'prod-1' },
      { op: 'replace', path: '/quota/offset', value: '3' },
      { op: 'replace', path: '/throttle/rateLimit', value: '0.5' },
    );
    assert.equal(renamed.name, 'renamed');
    assert.equal(renamed.description, undefined);
    assert.equal(renamed.productCode, 'prod-1');
    assert.deepEqual(renamed.quota, { limit: 5000, offset: 3, period: 'MONTH' });
    assert.deepEqual(renamed.throttle, { burstLimit: 100, rateLimit: 0.5 });
    const removed = await update(
      client,
      plan.id!,
      { op: 'remove', path: '/quota' },
      { op: 'remove', path: '/throttle' },
      { op: 'remove', path: '/productCode' },
    );
    assert.deepEqual(withoutMetadata(removed), { id: plan.id, name: 'renamed', apiStages: [], tags: {} });
    assert.deepEqual(withoutMetadata(await client.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))), withoutMetadata(removed));

    await expectError(update(client, plan.id!, { op: 'replace', path: '/quota/period', value: 'YEAR' }), 'BadRequestException', 400);
    await expectError(update(client, plan.id!, { op: 'replace', path: '/throttle/burstLimit', value: 'many' }), 'BadRequestException', 400);
    await expectError(
      update(client, 'nosuch', { op: 'replace', path: '/name', value: 'x' }),
      'NotFoundException',
      404,
      'Invalid Usage Plan ID specified',
    );
  });

  it('adds and removes API stages, with the errors AWS gives', async () => {
    const client = newClient();
    const apiId = await stagedApi(client, 'dev', 'prod');
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev' }] }));
    const added = await update(client, plan.id!, { op: 'add', path: '/apiStages', value: `${apiId}:prod` });
    assert.deepEqual(added.apiStages, [{ apiId, stage: 'dev' }, { apiId, stage: 'prod' }]);
    await expectError(update(client, plan.id!, { op: 'add', path: '/apiStages', value: `${apiId}:nope` }), 'BadRequestException', 400, `API Stage not found: ${apiId}:nope`);

    await expectError(update(client, plan.id!, { op: 'remove', path: '/apiStages' }), 'BadRequestException', 400, 'Invalid API Stage specified');
    await expectError(update(client, plan.id!, { op: 'remove', path: '/apiStages', value: 'wrong-format' }), 'BadRequestException', 400, 'Invalid API Stage specified');
    await expectError(
      update(client, plan.id!, { op: 'remove', path: '/apiStages', value: `${apiId}b:dev` }),
      'NotFoundException',
      404,
      `Invalid API Stage {api: ${apiId}b, stage: dev} specified for usageplan ${plan.id}`,
    );
    await expectError(
      update(client, plan.id!, { op: 'remove', path: '/apiStages', value: `${apiId}:fakestagename` }),
      'NotFoundException',
      404,
      `Invalid API Stage {api: ${apiId}, stage: fakestagename} specified for usageplan ${plan.id}`,
    );
    await expectError(
      update(client, plan.id!, { op: 'remove', path: `/apiStages/${apiId}:dev` }),
      'BadRequestException',
      400,
      `Invalid patch path  '/apiStages/${apiId}:dev' specified for op 'remove'. Must be one of: ${REMOVE_PATHS}`,
    );
    const removed = await update(client, plan.id!, { op: 'remove', path: '/apiStages', value: `${apiId}:dev` });
    assert.deepEqual(removed.apiStages, [{ apiId, stage: 'prod' }]);
  });

  it('throttles single methods of a stage', async () => {
    const client = newClient();
    const apiId = await stagedApi(client);
    const plan = await client.send(
      new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } }] }),
    );
    assert.deepEqual(plan.apiStages, [{ apiId, stage: 'dev', throttle: { '/pets/GET': { burstLimit: 10, rateLimit: 5 } } }]);
    const updated = await update(
      client,
      plan.id!,
      { op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET/rateLimit`, value: '7.5' },
      { op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1/POST/burstLimit`, value: '3' },
    );
    assert.deepEqual(updated.apiStages![0]!.throttle, {
      '/pets/GET': { burstLimit: 10, rateLimit: 7.5 },
      '//POST': { burstLimit: 3, rateLimit: 0 },
    });
    const removed = await update(client, plan.id!, { op: 'remove', path: `/apiStages/${apiId}:dev/throttle/~1pets/GET` });
    assert.deepEqual(removed.apiStages![0]!.throttle, { '//POST': { burstLimit: 3, rateLimit: 0 } });
    const cleared = await update(client, plan.id!, { op: 'remove', path: `/apiStages/${apiId}:dev/throttle` });
    assert.deepEqual(cleared.apiStages, [{ apiId, stage: 'dev' }]);
    await expectError(
      update(client, plan.id!, { op: 'replace', path: `/apiStages/${apiId}:prod/throttle/~1pets/GET/rateLimit`, value: '1' }),
      'NotFoundException',
      404,
      `Invalid API Stage {api: ${apiId}, stage: prod} specified for usageplan ${plan.id}`,
    );
  });

  it('is deleted once it has no API stages, and takes its keys with it', async () => {
    const client = newClient();
    const apiId = await stagedApi(client);
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev' }] }));
    const key = await client.send(new CreateApiKeyCommand({}));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    await expectError(
      client.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id })),
      'BadRequestException',
      400,
      `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${apiId}:dev`,
    );
    await update(client, plan.id!, { op: 'remove', path: '/apiStages', value: `${apiId}:dev` });
    const deleted = await client.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException', 404);
    assert.deepEqual((await client.send(new GetUsagePlansCommand({ keyId: key.id }))).items, []);
    await expectError(client.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException', 404, 'Invalid Usage Plan ID specified');
  });

  it('belongs to its account only', async () => {
    const owner = newClient();
    const other = newClient();
    const plan = await owner.send(new CreateUsagePlanCommand({ name: 'mine' }));
    await expectError(other.send(new GetUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException', 404);
    await expectError(update(other, plan.id!, { op: 'replace', path: '/name', value: 'x' }), 'NotFoundException', 404);
    await expectError(other.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException', 404);
    const otherKey = await other.send(new CreateApiKeyCommand({}));
    await expectError(other.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: otherKey.id, keyType: 'API_KEY' })), 'NotFoundException', 404);
    const ownerKey = await owner.send(new CreateApiKeyCommand({}));
    await expectError(owner.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: otherKey.id, keyType: 'API_KEY' })), 'NotFoundException', 404);
    await owner.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: ownerKey.id, keyType: 'API_KEY' }));
    assert.deepEqual((await other.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items, []);
    await expectError(other.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: utcDay(), endDate: utcDay() })), 'NotFoundException', 404);
  });
});

describe('UsagePlanKey', () => {
  it('adds API keys to a plan and lists them newest first, by name prefix', async () => {
    const client = newClient();
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p' }));
    assert.deepEqual((await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items, []);
    const key1 = await client.send(new CreateApiKeyCommand({ name: 'test-key-1' }));
    const key2 = await client.send(new CreateApiKeyCommand({ name: 'test-key-2' }));
    const added = await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key1.id, keyType: 'API_KEY' }));
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(withoutMetadata(added), { id: key1.id, name: 'test-key-1', type: 'API_KEY', value: key1.value });
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key2.id, keyType: 'API_KEY' }));

    const ids = async (nameQuery?: string) => (await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id, nameQuery }))).items!.map((k) => k.id);
    assert.deepEqual(await ids(), [key2.id, key1.id]);
    assert.deepEqual(await ids('test-key'), [key2.id, key1.id]);
    assert.deepEqual(await ids('TEST-key'), []);
    assert.deepEqual(await ids('test-key-1'), [key1.id]);
    assert.deepEqual(await ids('nothing'), []);
    // An unknown plan lists no keys, as recorded.
    assert.deepEqual((await client.send(new GetUsagePlanKeysCommand({ usagePlanId: 'bad-id' }))).items, []);

    const one = await client.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key2.id }));
    assert.deepEqual(withoutMetadata(one), { id: key2.id, name: 'test-key-2', type: 'API_KEY', value: key2.value });
    await expectError(client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key2.id, keyType: 'API_KEY' })), 'ConflictException', 409);
    await expectError(client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key2.id, keyType: 'OTHER' })), 'BadRequestException', 400);
    await expectError(
      client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: 'nosuchkey0', keyType: 'API_KEY' })),
      'NotFoundException',
      404,
      'Invalid API Key identifier specified',
    );
    await expectError(
      client.send(new CreateUsagePlanKeyCommand({ usagePlanId: 'nosuch', keyId: key1.id, keyType: 'API_KEY' })),
      'NotFoundException',
      404,
      'Invalid Usage Plan ID specified',
    );

    const removed = await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key1.id }));
    assert.equal(removed.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key1.id })), 'NotFoundException', 404);
    await expectError(client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key1.id })), 'NotFoundException', 404);
    // Deleting the API key takes it out of the plan, as recorded.
    await client.send(new DeleteApiKeyCommand({ apiKey: key2.id }));
    assert.deepEqual(await ids(), []);
  });

  it('keeps a key out of two plans that share an API stage', async () => {
    const client = newClient();
    const apiId = await stagedApi(client, 'dev', 'prod');
    const planDev = await client.send(new CreateUsagePlanCommand({ name: 'dev', apiStages: [{ apiId, stage: 'dev' }] }));
    const planBoth = await client.send(new CreateUsagePlanCommand({ name: 'both', apiStages: [{ apiId, stage: 'dev' }, { apiId, stage: 'prod' }] }));
    const planProd = await client.send(new CreateUsagePlanCommand({ name: 'prod', apiStages: [{ apiId, stage: 'prod' }] }));
    const key = await client.send(new CreateApiKeyCommand({}));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planDev.id, keyId: key.id, keyType: 'API_KEY' }));
    await expectError(
      client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planBoth.id, keyId: key.id, keyType: 'API_KEY' })),
      'ConflictException',
      409,
      `Usage Plan ${planBoth.id} cannot be added because API Key ${key.id} cannot reference multiple Usage Plans with the same API Stage: ${apiId}:dev`,
    );
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planProd.id, keyId: key.id, keyType: 'API_KEY' }));
    // Nor may a plan take a stage that one of its keys already meets in another plan.
    await expectError(update(client, planProd.id!, { op: 'add', path: '/apiStages', value: `${apiId}:dev` }), 'ConflictException', 409);
  });
});

describe('Usage', () => {
  /** A plan with a quota (daily, 100, unless given) on a stage, and two keys in it. */
  async function planWithKeys(client: APIGatewayClient, quota: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' } = { limit: 100, period: 'DAY' }) {
    const apiId = await stagedApi(client);
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'metered', apiStages: [{ apiId, stage: 'dev' }], quota }));
    const keyA = await client.send(new CreateApiKeyCommand({ name: 'a', enabled: true }));
    const keyB = await client.send(new CreateApiKeyCommand({ name: 'b', enabled: true }));
    for (const key of [keyA, keyB]) await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    return { apiId, planId: plan.id!, keyA: keyA.id!, keyB: keyB.id! };
  }

  it('is reported by workers in atomic batches and read back per key and day', async () => {
    const client = newClient();
    const { planId, keyA, keyB } = await planWithKeys(client);
    const [yesterday, today] = [utcDay(-1), utcDay()];
    const batch: UsageReport[] = [
      { usagePlanId: planId, keyId: keyA, day: yesterday, count: 4 },
      { usagePlanId: planId, keyId: keyA, day: today, count: 7 },
      { usagePlanId: planId, keyId: keyA, day: today, count: 3 },
      { usagePlanId: planId, keyId: 'notinplan0', day: today, count: 1 },
    ];
    assert.deepEqual(await report(batch), { status: 200, body: { recorded: 2, ignored: 1 } });
    assert.deepEqual((await report([{ usagePlanId: planId, keyId: keyB, day: today, count: 1 }])).body, { recorded: 1, ignored: 0 });

    const usage = await client.send(new GetUsageCommand({ usagePlanId: planId, startDate: yesterday, endDate: today }));
    assert.deepEqual(withoutMetadata(usage), {
      usagePlanId: planId,
      startDate: yesterday,
      endDate: today,
      items: { [keyA]: [[4, 96], [10, 90]], [keyB]: [[0, 100], [1, 99]] },
    });
    const onlyB = await client.send(new GetUsageCommand({ usagePlanId: planId, keyId: keyB, startDate: today, endDate: today }));
    assert.deepEqual(onlyB.items, { [keyB]: [[1, 99]] });
    const paged = await client.send(new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today, limit: 1 }));
    assert.equal(Object.keys(paged.items!).length, 1);
    assert.ok(paged.position);
  });

  it('counts remaining requests over the whole quota period', async () => {
    const client = newClient();
    const { planId, keyA } = await planWithKeys(client, { limit: 100, period: 'MONTH' });
    await report([
      { usagePlanId: planId, keyId: keyA, day: '2024-03-30', count: 5 },
      { usagePlanId: planId, keyId: keyA, day: '2024-03-31', count: 10 },
      { usagePlanId: planId, keyId: keyA, day: '2024-04-01', count: 1 },
    ]);
    const usage = await client.send(new GetUsageCommand({ usagePlanId: planId, keyId: keyA, startDate: '2024-03-31', endDate: '2024-04-02' }));
    assert.deepEqual(usage.items, { [keyA]: [[10, 85], [1, 99], [0, 99]] });
  });

  it('refuses malformed dates and unknown plans', async () => {
    const client = newClient();
    const { planId } = await planWithKeys(client);
    await expectError(client.send(new GetUsageCommand({ usagePlanId: planId, startDate: '2024-13-01', endDate: '2024-12-31' })), 'BadRequestException', 400);
    await expectError(client.send(new GetUsageCommand({ usagePlanId: planId, startDate: '2024-02-01', endDate: '2024-01-01' })), 'BadRequestException', 400);
    await expectError(
      client.send(new GetUsageCommand({ usagePlanId: 'nosuch', startDate: '2024-01-01', endDate: '2024-01-01' })),
      'NotFoundException',
      404,
      'Invalid Usage Plan ID specified',
    );
  });

  it('changes the remaining quota of the current period with UpdateUsage', async () => {
    const client = newClient();
    const { planId, keyA, keyB } = await planWithKeys(client);
    const today = utcDay();
    await report([{ usagePlanId: planId, keyId: keyA, day: today, count: 10 }]);
    const updated = await client.send(
      new UpdateUsageCommand({ usagePlanId: planId, keyId: keyA, patchOperations: [{ op: 'replace', path: '/remaining', value: '50' }] }),
    );
    assert.deepEqual(withoutMetadata(updated), { usagePlanId: planId, startDate: today, endDate: today, items: { [keyA]: [[10, 50]] } });
    // Later requests keep counting down from there.
    await report([{ usagePlanId: planId, keyId: keyA, day: today, count: 5 }]);
    const usage = await client.send(new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today }));
    assert.deepEqual(usage.items, { [keyA]: [[15, 45]], [keyB]: [[0, 100]] });
    // Extending works the same way.
    await client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId: keyA, patchOperations: [{ op: 'replace', path: `/keys/${keyA}/remaining`, value: '500' }] }));
    assert.deepEqual((await client.send(new GetUsageCommand({ usagePlanId: planId, keyId: keyA, startDate: today, endDate: today }))).items, { [keyA]: [[15, 500]] });

    await expectError(
      client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId: keyA, patchOperations: [{ op: 'replace', path: '/used', value: '1' }] })),
      'BadRequestException',
      400,
    );
    await expectError(
      client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId: keyA, patchOperations: [{ op: 'replace', path: '/remaining', value: 'lots' }] })),
      'BadRequestException',
      400,
    );
    await expectError(
      client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId: 'nosuchkey0', patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] })),
      'NotFoundException',
      404,
    );
    const unmetered = await client.send(new CreateUsagePlanCommand({ name: 'free' }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: unmetered.id, keyId: keyB, keyType: 'API_KEY' }));
    await expectError(
      client.send(new UpdateUsageCommand({ usagePlanId: unmetered.id, keyId: keyB, patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] })),
      'BadRequestException',
      400,
    );
  });

  it('is reported only with a cluster token and in well-formed batches', async () => {
    const client = newClient();
    const { planId, keyA } = await planWithKeys(client);
    const good = [{ usagePlanId: planId, keyId: keyA, day: utcDay(), count: 1 }];
    assert.equal((await report(good, '')).status, 401);
    assert.equal((await report(good, 'Bearer not-a-token')).status, 401);
    assert.equal((await report('{not json')).status, 400);
    assert.equal((await report({ no: 'reports' } as unknown as UsageReport[])).status, 400);
    // One bad report refuses the whole batch.
    assert.equal((await report([...good, { usagePlanId: planId, keyId: keyA, day: '2024-02-30', count: 1 }])).status, 400);
    assert.equal((await report([...good, { usagePlanId: planId, keyId: keyA, day: utcDay(), count: 0 }])).status, 400);
    const usage = await client.send(new GetUsageCommand({ usagePlanId: planId, keyId: keyA, startDate: utcDay(), endDate: utcDay() }));
    assert.deepEqual(usage.items, { [keyA]: [[0, 100]] });
  });
});

describe('Worker config', () => {
  it('carries keys by value hash with their plans, and plans with stages, throttles, quota and adjustments', async () => {
    const client = newClient();
    const apiId = await stagedApi(client);
    const before = (await workerConfig()).version;
    const plan = await client.send(
      new CreateUsagePlanCommand({
        name: 'p',
        apiStages: [{ apiId, stage: 'dev', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 2 } } }],
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 1000, period: 'WEEK', offset: 1 },
      }),
    );
    const key = await client.send(new CreateApiKeyCommand({ enabled: true }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    await client.send(new UpdateUsageCommand({ usagePlanId: plan.id, keyId: key.id, patchOperations: [{ op: 'replace', path: '/remaining', value: '10' }] }));

    const config = await workerConfig();
    assert.ok(config.version >= before + 4);
    const keyConfig = config.apiKeys.find((k) => k.id === key.id);
    assert.deepEqual(keyConfig, {
      id: key.id,
      accountId: client.accountId,
      valueHash: createHash('sha256').update(key.value!).digest('hex'),
      enabled: true,
      usagePlanIds: [plan.id],
      stageKeys: [],
    });
    assert.ok(!JSON.stringify(config).includes(key.value!), 'key values never reach workers');
    const planConfig = config.usagePlans.find((p) => p.id === plan.id);
    assert.deepEqual(planConfig?.apiStages, [{ restApiId: apiId, stageName: 'dev', methodThrottles: { '/pets/GET': { rateLimit: 1, burstLimit: 2 } } }]);
    assert.deepEqual(planConfig?.throttle, { rateLimit: 10, burstLimit: 20 });
    assert.deepEqual(planConfig?.quota, { limit: 1000, offset: 1, period: 'WEEK' });
    assert.deepEqual(Object.keys(planConfig!.quotaAdjustments), [key.id]);
    assert.equal(planConfig!.quotaAdjustments[key.id!]!.delta, -990);

    // Disabling the key is a new version the workers see.
    await client.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }));
    const after = await workerConfig();
    assert.ok(after.version > config.version);
    assert.equal(after.apiKeys.find((k) => k.id === key.id)?.enabled, false);
  });
});
