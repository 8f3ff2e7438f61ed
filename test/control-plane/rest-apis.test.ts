// RestApi: create with AWS's defaults, get, list with paging, update through patch paths, delete.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetModelsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

describe('RestApi', () => {
  it('is created with the root resource and AWS defaults', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'pets' }));
    assert.match(api.id!, /^[a-z0-9]{10}$/);
    assert.equal(api.name, 'pets');
    assert.equal(api.apiKeySource, 'HEADER');
    assert.equal(api.disableExecuteApiEndpoint, false);
    assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
    assert.ok(api.createdDate instanceof Date);
    assert.equal(api.tags, undefined);
    const resources = await client.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(resources.items, [{ id: api.rootResourceId, path: '/' }]);
  });

  it('applies endpoint defaults and rejects bad configurations as AWS does', async () => {
    const client = newClient();
    const regional = await client.send(new CreateRestApiCommand({ name: 'r', endpointConfiguration: { types: ['REGIONAL'] } }));
    assert.deepEqual(regional.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    const priv = await client.send(new CreateRestApiCommand({ name: 'p', endpointConfiguration: { types: ['PRIVATE'] } }));
    assert.deepEqual(priv.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    await expectError(client.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: [] } })), 'BadRequestException', 400, 'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
    await expectError(client.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } })), 'BadRequestException', 400, 'Cannot create an api with multiple Endpoint Types.');
    await expectError(
      client.send(new CreateRestApiCommand({ name: 'x', endpointConfiguration: { types: ['wrong' as 'EDGE'], ipAddressType: 'wrong' as 'ipv4' } })),
      'ValidationException',
      400,
      "2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]; Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]",
    );
    await expectError(client.send(new CreateRestApiCommand({ name: 'x', description: '' })), 'BadRequestException', 400, 'Description cannot be an empty string');
    await expectError(client.send(new CreateRestApiCommand({ name: 'x', minimumCompressionSize: -1 })), 'BadRequestException', 400, 'Invalid minimum compression size, must be between 0 and 10485760');
  });

  it('keeps tags and returns them on get and list', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 't', tags: { MY_TAG1: 'MY_VALUE1' } }));
    assert.deepEqual(api.tags, { MY_TAG1: 'MY_VALUE1' });
    const got = await client.send(new GetRestApiCommand({ restApiId: api.id }));
    assert.deepEqual(got.tags, { MY_TAG1: 'MY_VALUE1' });
    const list = await client.send(new GetRestApisCommand({}));
    assert.deepEqual(list.items?.map((i) => i.tags), [{ MY_TAG1: 'MY_VALUE1' }]);
  });

  it('is found only by its exact id, in its own account', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'case' }));
    await expectError(client.send(new GetRestApiCommand({ restApiId: api.id!.toUpperCase() })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:${api.id!.toUpperCase()}`);
    const other = newClient();
    await expectError(other.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException', 404, `Invalid API identifier specified ${other.accountId}:${api.id}`);
    assert.deepEqual((await other.send(new GetRestApisCommand({}))).items, []);
  });

  it('pages through lists with limit and position', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) await client.send(new CreateRestApiCommand({ name: `api-${i}` }));
    const first = await client.send(new GetRestApisCommand({ limit: 2 }));
    assert.equal(first.items?.length, 2);
    assert.ok(first.position);
    const second = await client.send(new GetRestApisCommand({ limit: 2, position: first.position }));
    const third = await client.send(new GetRestApisCommand({ limit: 2, position: second.position }));
    assert.equal(third.items?.length, 1);
    assert.equal(third.position, undefined);
    const names = [...first.items!, ...second.items!, ...third.items!].map((i) => i.name);
    assert.deepEqual(names, ['api-0', 'api-1', 'api-2', 'api-3', 'api-4']);
  });

  it('updates binary media types, description and compression through patch operations', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'u', description: 'this is my api' }));
    const restApiId = api.id;
    let updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [
      { op: 'add', path: '/binaryMediaTypes/image~1png' },
      { op: 'add', path: '/binaryMediaTypes/image~1jpeg' },
    ] }));
    assert.deepEqual(updated.binaryMediaTypes, ['image/png', 'image/jpeg']);
    assert.deepEqual(updated.tags, {});
    updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/binaryMediaTypes/image~1png', value: 'image/gif' }] }));
    assert.deepEqual(updated.binaryMediaTypes, ['image/jpeg', 'image/gif']);
    updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [
      { op: 'remove', path: '/binaryMediaTypes/image~1gif' },
      { op: 'remove', path: '/description' },
    ] }));
    assert.deepEqual(updated.binaryMediaTypes, ['image/jpeg']);
    assert.equal(updated.description, undefined);

    updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '10' }] }));
    assert.equal(updated.minimumCompressionSize, 10);
    updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '' }] }));
    assert.equal(updated.minimumCompressionSize, undefined);
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: 'test' }] })), 'BadRequestException', 400, 'Invalid minimum compression size, must be between 0 and 10485760');
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'add', path: '/minimumCompressionSize', value: '10' }] })), 'BadRequestException', 400, 'Invalid patch operation specified. Must be one of: [replace]');
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'add', path: '/binaryMediaTypes', value: 'image/gif' }] })), 'BadRequestException', 400, 'Invalid patch path /binaryMediaTypes');
    await expectError(
      client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'wrong' as 'add', path: '/name' }, { op: 'wrong' as 'add', path: '/name' }] })),
      'ValidationException',
      400,
      "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
  });

  it('switches endpoint type and IP address type', async () => {
    const client = newClient();
    const { id: restApiId } = await client.send(new CreateRestApiCommand({ name: 'e' }));
    const updated = await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'PRIVATE' }] }));
    assert.deepEqual(updated.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/endpointConfiguration/ipAddressType', value: 'ipv4' }] })), 'BadRequestException', 400, 'Only dualstack ipAddressType is supported for Private APIs.');
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/endpointConfiguration/ipAddressType', value: 'wrong' }] })), 'BadRequestException', 400, 'ipAddressType must be either ipv4 or dualstack.');
    await expectError(client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/endpointConfiguration/types/PRIVATE', value: 'wrong' }] })), 'BadRequestException', 400, 'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
  });

  it('is deleted with everything under it', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'd' }));
    await client.send(new DeleteRestApiCommand({ restApiId: api.id }));
    await expectError(client.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException', 404);
    await expectError(client.send(new GetResourcesCommand({ restApiId: api.id })), 'NotFoundException', 404);
    await expectError(client.send(new UpdateRestApiCommand({ restApiId: 'api_id', patchOperations: [{ op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' }] })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:api_id`);
  });

  it('clones another API with cloneFrom', async () => {
    const client = newClient();
    const source = await client.send(new CreateRestApiCommand({ name: 'src' }));
    const clone = await client.send(new CreateRestApiCommand({ name: 'copy', cloneFrom: source.id }));
    const resources = await client.send(new GetResourcesCommand({ restApiId: clone.id }));
    assert.deepEqual(resources.items, [{ id: clone.rootResourceId, path: '/' }]);
    assert.notEqual(clone.rootResourceId, source.rootResourceId);
  });

  it('is created with the Empty and Error models, which a clone copies under new ids', async () => {
    const client = newClient();
    const source = await client.send(new CreateRestApiCommand({ name: 'with-models' }));
    const models = (await client.send(new GetModelsCommand({ restApiId: source.id }))).items!;
    assert.deepEqual(models.map((m) => [m.name, m.description, m.contentType]), [
      ['Empty', 'This is a default empty schema model', 'application/json'],
      ['Error', 'This is a default error schema model', 'application/json'],
    ]);
    const clone = await client.send(new CreateRestApiCommand({ name: 'copy', cloneFrom: source.id }));
    const cloned = (await client.send(new GetModelsCommand({ restApiId: clone.id }))).items!;
    assert.deepEqual(cloned.map((m) => [m.name, m.schema]), models.map((m) => [m.name, m.schema]));
    assert.ok(cloned.every((m, i) => m.id !== models[i]!.id));
  });
});
