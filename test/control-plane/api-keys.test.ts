// API keys: create (generated or given values, AWS's defaults and limits), read with and without
// values, list (newest first, name prefix, customer, pages), update through AWS's patch paths,
// legacy stage keys, tags, delete, import from the API key file, and accounts kept apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetTagsCommand,
  GetUsagePlanKeysCommand,
  ImportApiKeysCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UpdateApiKeyCommand,
  type APIGatewayClient,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const KEY_PATHS = '[/description, /enabled, /name, /customerId]';

const update = (client: APIGatewayClient, apiKey: string, ...patchOperations: PatchOperation[]) =>
  client.send(new UpdateApiKeyCommand({ apiKey, patchOperations }));

/** A deployed API with stage `dev`. */
async function stagedApi(client: APIGatewayClient): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name: 'keys' }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return api.id!;
}

const importCsv = (client: APIGatewayClient, csv: string, failOnWarnings?: boolean) =>
  client.send(new ImportApiKeysCommand({ body: new TextEncoder().encode(csv), format: 'csv', failOnWarnings }));

describe('ApiKey', () => {
  it('is created disabled, with a generated 40-character value and no stage keys', async () => {
    const client = newClient();
    const created = await client.send(new CreateApiKeyCommand({ name: 'first' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{10}$/);
    assert.match(created.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(created.enabled, false);
    assert.deepEqual(created.stageKeys, []);
    assert.equal(created.name, 'first');
    assert.ok(created.createdDate instanceof Date && created.lastUpdatedDate instanceof Date);
    assert.equal(created.tags, undefined);

    // An empty name is no name, an empty value a generated one, as recorded.
    const blank = await client.send(new CreateApiKeyCommand({ name: '', value: '' }));
    assert.equal(blank.name, undefined);
    assert.match(blank.value!, /^[A-Za-z0-9]{40}$/);
    assert.notEqual(blank.value, created.value);
  });

  it('takes a given value, description, customer id, enabled flag and tags', async () => {
    const client = newClient();
    const value = 'abcdefghij0123456789';
    const created = await client.send(
      new CreateApiKeyCommand({ name: 'given', value, description: 'mine', customerId: 'cust-1', enabled: true, tags: { team: 'a' } }),
    );
    assert.equal(created.value, value);
    assert.equal(created.description, 'mine');
    assert.equal(created.customerId, 'cust-1');
    assert.equal(created.enabled, true);
    assert.deepEqual(created.tags, { team: 'a' });
  });

  it('refuses values, names and descriptions out of bounds, and a value the account already has', async () => {
    const client = newClient();
    await expectError(client.send(new CreateApiKeyCommand({ value: 'short' })), 'BadRequestException', 400, 'API Key value should be at least 20 characters');
    await expectError(
      client.send(new CreateApiKeyCommand({ value: 'a'.repeat(129) })),
      'BadRequestException',
      400,
      'API Key value exceeds maximum size of 128 characters',
    );
    await expectError(
      client.send(new CreateApiKeyCommand({ name: 'a'.repeat(1025) })),
      'BadRequestException',
      400,
      'Invalid API Key name, can be at most 1024 characters.',
    );
    await expectError(
      client.send(new CreateApiKeyCommand({ description: 'a'.repeat(125001) })),
      'BadRequestException',
      400,
      'Invalid API Key description specified.',
    );
    const value = 'duplicate-value-0123456789';
    await client.send(new CreateApiKeyCommand({ value }));
    await expectError(client.send(new CreateApiKeyCommand({ value })), 'ConflictException', 409, 'API Key already exists');
    // Another account may hold the same value.
    await newClient().send(new CreateApiKeyCommand({ value }));
  });

  it('is read back without its value unless asked, with its tags', async () => {
    const client = newClient();
    const created = await client.send(new CreateApiKeyCommand({ name: 'read' }));
    const read = await client.send(new GetApiKeyCommand({ apiKey: created.id }));
    assert.equal(read.value, undefined);
    assert.deepEqual(read.tags, {});
    assert.equal(read.name, 'read');
    assert.equal(read.createdDate?.getTime(), created.createdDate?.getTime());
    const withValue = await client.send(new GetApiKeyCommand({ apiKey: created.id, includeValue: true }));
    assert.equal(withValue.value, created.value);
    await expectError(client.send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), 'NotFoundException', 404, 'Invalid API Key identifier specified');
  });

  it('lists newest first, by name prefix (case-sensitive) and customer, in pages, values only when asked', async () => {
    const client = newClient();
    assert.deepEqual((await client.send(new GetApiKeysCommand({}))).items, []);
    const first = await client.send(new CreateApiKeyCommand({ name: 'test-key-one', customerId: 'c1' }));
    const second = await client.send(new CreateApiKeyCommand({ name: 'test-key-two' }));
    const all = await client.send(new GetApiKeysCommand({}));
    assert.deepEqual(all.items!.map((k) => k.id), [second.id, first.id]);
    assert.ok(all.items!.every((k) => k.value === undefined && k.tags === undefined));
    assert.deepEqual((await client.send(new GetApiKeysCommand({ includeValues: true }))).items!.map((k) => k.value), [second.value, first.value]);

    const names = async (nameQuery: string) => (await client.send(new GetApiKeysCommand({ nameQuery }))).items!.map((k) => k.name);
    assert.deepEqual(await names('test-key'), ['test-key-two', 'test-key-one']);
    assert.deepEqual(await names('test-key-one'), ['test-key-one']);
    assert.deepEqual(await names('TEST-key'), []);
    assert.deepEqual(await names('key-one'), []);
    assert.deepEqual(await names('test%'), []);
    assert.deepEqual((await client.send(new GetApiKeysCommand({ customerId: 'c1' }))).items!.map((k) => k.id), [first.id]);

    const page1 = await client.send(new GetApiKeysCommand({ limit: 1 }));
    assert.deepEqual(page1.items!.map((k) => k.id), [second.id]);
    assert.ok(page1.position);
    const page2 = await client.send(new GetApiKeysCommand({ limit: 1, position: page1.position }));
    assert.deepEqual(page2.items!.map((k) => k.id), [first.id]);
    assert.equal(page2.position, undefined);
    // As recorded, a limit out of range is no error for this list.
    assert.equal((await client.send(new GetApiKeysCommand({ limit: -1 }))).items!.length, 2);
  });

  it('updates name, description, enabled and customer id; refuses other paths as AWS does', async () => {
    const client = newClient();
    const created = await client.send(new CreateApiKeyCommand({ name: 'old', description: 'd' }));
    const updated = await update(
      client,
      created.id!,
      { op: 'replace', path: '/name', value: 'new-name' },
      { op: 'replace', path: '/description', value: 'new description' },
      { op: 'replace', path: '/enabled', value: 'true' },
      { op: 'replace', path: '/customerId', value: 'cust' },
    );
    assert.equal(updated.name, 'new-name');
    assert.equal(updated.description, 'new description');
    assert.equal(updated.enabled, true);
    assert.equal(updated.customerId, 'cust');
    assert.equal(updated.value, undefined);
    assert.deepEqual(updated.tags, {});
    assert.ok(updated.lastUpdatedDate!.getTime() >= created.lastUpdatedDate!.getTime());

    // AWS reads anything but "true" as false, as recorded.
    assert.equal((await update(client, created.id!, { op: 'replace', path: '/enabled', value: 'not-a-boolean' })).enabled, false);
    await expectError(
      update(client, created.id!, { op: 'replace', path: '/id', value: 'new-id' }),
      'BadRequestException',
      400,
      `Invalid patch path  '/id' specified for op 'replace'. Must be one of: ${KEY_PATHS}`,
    );
    await expectError(
      update(client, created.id!, { op: 'replace', path: '/description', value: 'a'.repeat(125001) }),
      'BadRequestException',
      400,
      'Invalid API Key description specified.',
    );
    await expectError(
      update(client, 'nosuchkey0', { op: 'replace', path: '/name', value: 'x' }),
      'NotFoundException',
      404,
      'Invalid API Key identifier specified',
    );
    const read = await client.send(new GetApiKeyCommand({ apiKey: created.id }));
    assert.equal(read.name, 'new-name');
    assert.equal(read.enabled, false);
  });

  it('keeps legacy stage keys that name existing stages', async () => {
    const client = newClient();
    const restApiId = await stagedApi(client);
    const created = await client.send(new CreateApiKeyCommand({ stageKeys: [{ restApiId, stageName: 'dev' }] }));
    assert.deepEqual(created.stageKeys, [`${restApiId}/dev`]);
    await expectError(
      client.send(new CreateApiKeyCommand({ stageKeys: [{ restApiId, stageName: 'nope' }] })),
      'NotFoundException',
      404,
      'Invalid stage identifier specified',
    );
    const removed = await update(client, created.id!, { op: 'remove', path: '/stages', value: `${restApiId}/dev` });
    assert.deepEqual(removed.stageKeys, []);
    const added = await update(client, created.id!, { op: 'add', path: '/stages', value: `${restApiId}/dev` });
    assert.deepEqual(added.stageKeys, [`${restApiId}/dev`]);
    await expectError(update(client, created.id!, { op: 'add', path: '/stages', value: `${restApiId}/gone` }), 'NotFoundException', 404);
  });

  it('is tagged by its ARN', async () => {
    const client = newClient();
    const created = await client.send(new CreateApiKeyCommand({}));
    const resourceArn = `arn:aws:apigateway:us-east-1::/apikeys/${created.id}`;
    await client.send(new TagResourceCommand({ resourceArn, tags: { env: 'test' } }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn }))).tags, { env: 'test' });
    assert.deepEqual((await client.send(new GetApiKeyCommand({ apiKey: created.id }))).tags, { env: 'test' });
    await expectError(newClient().send(new GetTagsCommand({ resourceArn })), 'NotFoundException', 404);
  });

  it('is deleted', async () => {
    const client = newClient();
    const created = await client.send(new CreateApiKeyCommand({}));
    const deleted = await client.send(new DeleteApiKeyCommand({ apiKey: created.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetApiKeyCommand({ apiKey: created.id })), 'NotFoundException', 404, 'Invalid API Key identifier specified');
    await expectError(client.send(new DeleteApiKeyCommand({ apiKey: created.id })), 'NotFoundException', 404, 'Invalid API Key identifier specified');
  });

  it('belongs to its account only', async () => {
    const owner = newClient();
    const other = newClient();
    const created = await owner.send(new CreateApiKeyCommand({ name: 'private' }));
    await expectError(other.send(new GetApiKeyCommand({ apiKey: created.id })), 'NotFoundException', 404);
    await expectError(update(other, created.id!, { op: 'replace', path: '/name', value: 'stolen' }), 'NotFoundException', 404);
    await expectError(other.send(new DeleteApiKeyCommand({ apiKey: created.id })), 'NotFoundException', 404);
    assert.deepEqual((await other.send(new GetApiKeysCommand({}))).items, []);
    assert.equal((await owner.send(new GetApiKeyCommand({ apiKey: created.id }))).name, 'private');
  });
});

describe('ImportApiKeys', () => {
  it('imports the API key file: any header case and order, quoted plan ids, enabled unless said otherwise', async () => {
    const client = newClient();
    const plan1 = await client.send(new CreateUsagePlanCommand({ name: 'p1' }));
    const plan2 = await client.send(new CreateUsagePlanCommand({ name: 'p2' }));
    const csv = [
      'Name,key,description,Enabled,usageplanIds,Unknown',
      `first,apikey1234abcdefghij0001,An imported key,TRUE,${plan1.id},ignored`,
      `second,apikey1234abcdefghij0002,,false,"${plan1.id},${plan2.id}",`,
      "third,apikey1234abcdefghij0003,'with, comma',,,",
    ].join('\r\n');
    const imported = await importCsv(client, csv);
    assert.equal(imported.$metadata.httpStatusCode, 201);
    assert.equal(imported.ids!.length, 3);
    assert.equal(imported.warnings, undefined);
    const keys = await Promise.all(imported.ids!.map((id) => client.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }))));
    assert.deepEqual(
      keys.map((k) => [k.name, k.value, k.description, k.enabled]),
      [
        ['first', 'apikey1234abcdefghij0001', 'An imported key', true],
        ['second', 'apikey1234abcdefghij0002', undefined, false],
        ['third', 'apikey1234abcdefghij0003', 'with, comma', true],
      ],
    );
    const members = async (usagePlanId: string) =>
      (await client.send(new GetUsagePlanKeysCommand({ usagePlanId }))).items!.map((k) => k.name).sort();
    assert.deepEqual(await members(plan1.id!), ['first', 'second']);
    assert.deepEqual(await members(plan2.id!), ['second']);

    // The same value again updates that key: the newest import wins.
    const again = await importCsv(client, 'key,name,enabled\napikey1234abcdefghij0001,renamed,false\n');
    assert.deepEqual(again.ids, [imported.ids![0]]);
    const renamed = await client.send(new GetApiKeyCommand({ apiKey: imported.ids![0] }));
    assert.equal(renamed.name, 'renamed');
    assert.equal(renamed.enabled, false);
  });

  it('turns rows it cannot import into warnings, or fails whole with failonwarnings', async () => {
    const client = newClient();
    const csv = ['name,key,usagePlanIds', 'good,apikey1234abcdefghij0010,', 'short,tooshort,', 'noplan,apikey1234abcdefghij0011,nosuch'].join('\n');
    await expectError(importCsv(client, csv, true), 'BadRequestException', 400, /Line 3: API Key value should be at least 20 characters/);
    assert.deepEqual((await client.send(new GetApiKeysCommand({}))).items, []);

    const partial = await importCsv(client, csv, false);
    assert.equal(partial.ids!.length, 1);
    assert.deepEqual(partial.warnings, ['Line 3: API Key value should be at least 20 characters', 'Line 4: Invalid Usage Plan ID specified']);
    // The row with the unknown plan is not half-imported.
    assert.deepEqual((await client.send(new GetApiKeysCommand({}))).items!.map((k) => k.name), ['good']);
  });

  it('needs the Name and Key columns', async () => {
    const client = newClient();
    await expectError(importCsv(client, 'value,description\napikey1234abcdefghij0001,x\n'), 'BadRequestException', 400);
    await expectError(importCsv(client, ''), 'BadRequestException', 400);
  });
});
