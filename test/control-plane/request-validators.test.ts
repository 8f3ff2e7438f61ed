// RequestValidator: defaults, the answers for unknown APIs and validators, patch paths, paging,
// and validators that methods use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateRequestValidatorCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteRequestValidatorCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  PutMethodCommand,
  UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const notFound = 'Invalid Request Validator identifier specified';
const noMetadata = <T extends object>(output: T) => ({ ...output, $metadata: undefined });

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'validators', description: 'my api' }));
  const restApiId = api.id!;
  const update = (requestValidatorId: string, patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
    client.send(new UpdateRequestValidatorCommand({ restApiId, requestValidatorId, patchOperations }));
  return { client, restApiId, rootId: api.rootResourceId!, update };
}

describe('RequestValidator', () => {
  it('is created with validation off, read, listed, updated and deleted', async () => {
    const { client, restApiId, update } = await newApi();
    const created = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'test-validator' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    const expected = { id: created.id, name: 'test-validator', validateRequestBody: false, validateRequestParameters: false };
    assert.deepEqual(noMetadata(created), { ...expected, $metadata: undefined });
    const id = created.id!;
    assert.deepEqual(noMetadata(await client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: id }))), { ...expected, $metadata: undefined });
    assert.deepEqual((await client.send(new GetRequestValidatorsCommand({ restApiId }))).items, [expected]);

    const withValue = await update(id, [{ op: 'replace', path: '/validateRequestBody', value: 'true' }]);
    assert.deepEqual(noMetadata(withValue), { ...expected, validateRequestBody: true, $metadata: undefined });
    const withoutValue = await update(id, [{ op: 'replace', path: '/validateRequestBody' }]);
    assert.deepEqual(noMetadata(withoutValue), { ...expected, $metadata: undefined });
    assert.deepEqual(noMetadata(await client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: id }))), { ...expected, $metadata: undefined });

    const deleted = await client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: id })), 'NotFoundException', 404, notFound);
    assert.deepEqual((await client.send(new GetRequestValidatorsCommand({ restApiId }))).items, []);
  });

  it('takes both flags and needs a name', async () => {
    const { client, restApiId } = await newApi();
    const both = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'both', validateRequestBody: true, validateRequestParameters: true }));
    assert.deepEqual(noMetadata(both), { $metadata: undefined, id: both.id, name: 'both', validateRequestBody: true, validateRequestParameters: true });
    const blank = 'Request Validator name cannot be blank';
    await expectError(client.send(new CreateRequestValidatorCommand({ restApiId })), 'BadRequestException', 400, blank);
    await expectError(client.send(new CreateRequestValidatorCommand({ restApiId, name: '  ' })), 'BadRequestException', 400, blank);
  });

  it('answers for unknown APIs and validators as AWS does', async () => {
    const { client, restApiId } = await newApi();
    const { id } = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'v' }));
    await expectError(
      client.send(new CreateRequestValidatorCommand({ restApiId: 'test-fake-rest-id', name: 'test-validator', validateRequestBody: true, validateRequestParameters: false })),
      'BadRequestException',
      400,
      'Invalid REST API identifier specified',
    );
    await expectError(
      client.send(new GetRequestValidatorsCommand({ restApiId: 'test-fake-rest-id' })),
      'NotFoundException',
      404,
      `Invalid API identifier specified ${client.accountId}:test-fake-rest-id`,
    );
    await expectError(client.send(new GetRequestValidatorCommand({ restApiId: 'api_id', requestValidatorId: id })), 'NotFoundException', 404, notFound);
    await expectError(client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: 'validator_id' })), 'NotFoundException', 404, notFound);
    await expectError(client.send(new DeleteRequestValidatorCommand({ restApiId: 'api_id', requestValidatorId: id })), 'NotFoundException', 404, notFound);
    await expectError(client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: 'validator_id' })), 'NotFoundException', 404, notFound);
    const patchOperations = [{ op: 'replace' as const, path: '/name', value: 'x' }];
    await expectError(client.send(new UpdateRequestValidatorCommand({ restApiId: 'api_id', requestValidatorId: id, patchOperations })), 'NotFoundException', 404, notFound);
    await expectError(client.send(new UpdateRequestValidatorCommand({ restApiId, requestValidatorId: 'validator_id', patchOperations })), 'NotFoundException', 404, notFound);
    const other = newClient();
    await expectError(other.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: id })), 'NotFoundException', 404, notFound);
  });

  it('updates name and flags through patch paths, refusing others', async () => {
    const { client, restApiId, update } = await newApi();
    const { id } = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'v' }));
    const updated = await update(id!, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'replace', path: '/validateRequestParameters', value: 'TRUE' },
      { op: 'replace', path: '/validateRequestBody', value: 'true' },
    ]);
    assert.deepEqual(noMetadata(updated), { $metadata: undefined, id, name: 'renamed', validateRequestBody: true, validateRequestParameters: true });
    // Like API Gateway, anything but "true" reads as false.
    assert.equal((await update(id!, [{ op: 'replace', path: '/validateRequestParameters', value: 'yes' }])).validateRequestParameters, false);

    await expectError(update(id!, [{ op: 'add', path: '/validateRequestBody', value: 'true' }]), 'BadRequestException', 400, "Invalid patch path  '/validateRequestBody' specified for op 'add'. Please choose supported operations");
    await expectError(update(id!, [{ op: 'remove', path: '/validateRequestBody', value: 'true' }]), 'BadRequestException', 400, "Invalid patch path  '/validateRequestBody' specified for op 'remove'. Please choose supported operations");
    await expectError(
      update(id!, [{ op: 'replace', path: '/invalidPath', value: 'true' }]),
      'BadRequestException',
      400,
      "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]",
    );
    await expectError(update(id!, [{ op: 'replace', path: '/name', value: '' }]), 'BadRequestException', 400, 'Request Validator name cannot be blank');
    assert.equal((await client.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: id }))).name, 'renamed');
  });

  it('pages through the validators with limit and position', async () => {
    const { client, restApiId } = await newApi();
    for (const name of ['a', 'b', 'c']) await client.send(new CreateRequestValidatorCommand({ restApiId, name }));
    const first = await client.send(new GetRequestValidatorsCommand({ restApiId, limit: 2 }));
    assert.deepEqual(first.items?.map((v) => v.name), ['a', 'b']);
    const second = await client.send(new GetRequestValidatorsCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual(second.items?.map((v) => v.name), ['c']);
    assert.equal(second.position, undefined);
    await expectError(client.send(new GetRequestValidatorsCommand({ restApiId, position: '!' })), 'BadRequestException', 400, 'Invalid position parameter');
  });

  it('cannot be deleted while a method uses it', async (t) => {
    const { client, restApiId, rootId } = await newApi();
    const { id } = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'in-use' }));
    try {
      await client.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: id }));
    } catch (e) {
      if ((e as Error).name === 'NotImplementedException') return t.skip('the Method operations are not there yet');
      throw e;
    }
    await expectError(
      client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: id })),
      'ConflictException',
      409,
      `Cannot delete request validator '${id}', is referenced in method: //POST`,
    );
    await client.send(new DeleteMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'POST' }));
    await client.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: id }));
  });
});
