// DocumentationPart and DocumentationVersion: the lifecycle and errors AWS recorded, every location
// type with its rules, the list filters, ImportDocumentationParts (merge, overwrite, bad input), and
// publishing a version to a stage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  CreateRestApiCommand,
  DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand,
  GetDocumentationPartCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionCommand,
  GetDocumentationVersionsCommand,
  GetStageCommand,
  ImportDocumentationPartsCommand,
  ImportRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateDocumentationPartCommand,
  UpdateDocumentationVersionCommand,
  UpdateStageCommand,
  type DocumentationPartLocation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'documented', description: 'this is my api' }));
  return { client, restApiId: api.id!, rootId: api.rootResourceId! };
}

const document = JSON.stringify({
  openapi: '3.0.0',
  info: { title: 'doc', version: '1', description: 'description' },
  paths: { '/': { get: { responses: { '200': { description: '200 response' } } } } },
  'x-amazon-apigateway-documentation': {
    version: '1.0.3',
    documentationParts: [
      { location: { type: 'API' }, properties: { description: 'API description', info: { description: 'API info description 4', version: 'API info version 3' } } },
      { location: { type: 'METHOD', method: 'GET' }, properties: { description: 'Method description.' } },
      { location: { type: 'MODEL', name: 'Empty' }, properties: { title: 'Empty Schema' } },
      { location: { type: 'RESPONSE', method: 'GET', statusCode: '200' }, properties: { description: '200 response' } },
    ],
  },
});

describe('DocumentationPart', () => {
  it('goes through its lifecycle as AWS recorded', async () => {
    const { client, restApiId } = await newApi();
    const created = await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{ "description": "Sample API description" }' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{10}$/);
    assert.deepEqual(created.location, { type: 'API' });
    assert.deepEqual(JSON.parse(created.properties!), { description: 'Sample API description' });
    const got = await client.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: created.id }));
    assert.deepEqual({ ...got, $metadata: undefined }, { ...created, $metadata: undefined });
    const list = await client.send(new GetDocumentationPartsCommand({ restApiId }));
    assert.deepEqual(list.items?.map((p) => p.id), [created.id]);
    const updated = await client.send(
      new UpdateDocumentationPartCommand({
        restApiId,
        documentationPartId: created.id,
        patchOperations: [{ op: 'replace', path: '/properties', value: '{ "description": "Updated Sample API description" }' }],
      }),
    );
    assert.deepEqual(JSON.parse(updated.properties!), { description: 'Updated Sample API description' });
    const deleted = await client.send(new DeleteDocumentationPartCommand({ restApiId, documentationPartId: created.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(
      client.send(new DeleteDocumentationPartCommand({ restApiId, documentationPartId: created.id })),
      'NotFoundException',
      404,
      'Invalid Documentation part identifier specified',
    );
  });

  it('answers bad ids, types and patches with AWS errors', async () => {
    const { client, restApiId } = await newApi();
    const noApi = `Invalid API identifier specified ${client.accountId}:api_id`;
    await expectError(client.send(new CreateDocumentationPartCommand({ restApiId: 'api_id', location: { type: 'API' }, properties: '{}' })), 'NotFoundException', 404, noApi);
    await expectError(client.send(new GetDocumentationPartsCommand({ restApiId: 'api_id' })), 'NotFoundException', 404, noApi);
    await expectError(
      client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'INVALID' as never }, properties: '{}' })),
      'ValidationException',
      400,
      "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]",
    );
    const part = await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"a":1}' }));
    const invalidPart = 'Invalid Documentation part identifier specified';
    await expectError(client.send(new GetDocumentationPartCommand({ restApiId: 'api_id', documentationPartId: part.id })), 'NotFoundException', 404, invalidPart);
    await expectError(client.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: 'nope' })), 'NotFoundException', 404, invalidPart);
    await expectError(client.send(new DeleteDocumentationPartCommand({ restApiId: 'api_id', documentationPartId: part.id })), 'NotFoundException', 404, noApi);
    const patch = (op: 'add' | 'replace', path: string) =>
      client.send(new UpdateDocumentationPartCommand({ restApiId, documentationPartId: part.id, patchOperations: [{ op, path, value: '{"b":2}' }] }));
    await expectError(
      client.send(new UpdateDocumentationPartCommand({ restApiId: 'api_id', documentationPartId: part.id, patchOperations: [] })),
      'NotFoundException',
      404,
      invalidPart,
    );
    await expectError(patch('add', '/properties'), 'BadRequestException', 400, "Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations");
    await expectError(patch('replace', '/invalidPath'), 'BadRequestException', 400, "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/properties]");
    await expectError(
      client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"again":true}' })),
      'ConflictException',
      409,
    );
    await expectError(client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'RESOURCE', path: '/x' }, properties: 'not json' })), 'BadRequestException', 400);
  });

  it('takes each location type with its own fields and fills in the defaults', async () => {
    const { client, restApiId } = await newApi();
    const create = (location: DocumentationPartLocation) => client.send(new CreateDocumentationPartCommand({ restApiId, location, properties: '{"description":"d"}' }));
    const cases: [DocumentationPartLocation, DocumentationPartLocation][] = [
      [{ type: 'AUTHORIZER', name: 'auth' }, { type: 'AUTHORIZER', name: 'auth' }],
      [{ type: 'MODEL', name: 'Pet' }, { type: 'MODEL', name: 'Pet' }],
      [{ type: 'RESOURCE' }, { type: 'RESOURCE', path: '/' }],
      [{ type: 'METHOD', path: '/pets' }, { type: 'METHOD', path: '/pets', method: '*' }],
      [{ type: 'PATH_PARAMETER', path: '/pets/{id}', name: 'id' }, { type: 'PATH_PARAMETER', path: '/pets/{id}', method: '*', name: 'id' }],
      [{ type: 'QUERY_PARAMETER', method: 'GET', name: 'page' }, { type: 'QUERY_PARAMETER', path: '/', method: 'GET', name: 'page' }],
      [{ type: 'REQUEST_HEADER', method: 'POST', name: 'x-h' }, { type: 'REQUEST_HEADER', path: '/', method: 'POST', name: 'x-h' }],
      [{ type: 'REQUEST_BODY', method: 'POST' }, { type: 'REQUEST_BODY', path: '/', method: 'POST' }],
      [{ type: 'RESPONSE', statusCode: '200' }, { type: 'RESPONSE', path: '/', method: '*', statusCode: '200' }],
      [{ type: 'RESPONSE_HEADER', name: 'x-r' }, { type: 'RESPONSE_HEADER', path: '/', method: '*', statusCode: '*', name: 'x-r' }],
      [{ type: 'RESPONSE_BODY', path: '/a', method: 'get', statusCode: '404' }, { type: 'RESPONSE_BODY', path: '/a', method: 'GET', statusCode: '404' }],
    ];
    for (const [given, stored] of cases) assert.deepEqual((await create(given)).location, stored, given.type);
    for (const bad of [
      { type: 'API', path: '/' },
      { type: 'MODEL' },
      { type: 'AUTHORIZER', method: 'GET', name: 'a' },
      { type: 'RESOURCE', method: 'GET' },
      { type: 'METHOD', statusCode: '200' },
      { type: 'QUERY_PARAMETER', path: '/' },
      { type: 'RESPONSE', statusCode: '99' },
      { type: 'METHOD', method: 'FETCH' },
      { type: 'RESOURCE', path: 'no-slash' },
    ] as DocumentationPartLocation[]) {
      await expectError(create(bad), 'BadRequestException', 400);
    }
  });

  it('lists parts by type, path, name and location status, page by page', async () => {
    const { client, restApiId } = await newApi();
    const create = (location: DocumentationPartLocation, properties = '{"description":"d"}') =>
      client.send(new CreateDocumentationPartCommand({ restApiId, location, properties }));
    await create({ type: 'API' });
    await create({ type: 'MODEL', name: 'PetModel' });
    await create({ type: 'MODEL', name: 'Owner' }, '{}');
    await create({ type: 'METHOD', path: '/pets', method: 'GET' });
    const list = async (filters: object) => (await client.send(new GetDocumentationPartsCommand({ restApiId, ...filters }))).items!.map((p) => p.location!.name ?? p.location!.type);
    assert.deepEqual(await list({}), ['API', 'PetModel', 'Owner', 'METHOD']);
    assert.deepEqual(await list({ type: 'MODEL' }), ['PetModel', 'Owner']);
    assert.deepEqual(await list({ nameQuery: 'pet' }), ['PetModel']);
    assert.deepEqual(await list({ path: '/pets' }), ['METHOD']);
    assert.deepEqual(await list({ locationStatus: 'UNDOCUMENTED' }), ['Owner']);
    assert.deepEqual(await list({ locationStatus: 'DOCUMENTED' }), ['API', 'PetModel', 'METHOD']);
    const page = await client.send(new GetDocumentationPartsCommand({ restApiId, limit: 3 }));
    assert.equal(page.items?.length, 3);
    const rest = await client.send(new GetDocumentationPartsCommand({ restApiId, limit: 3, position: page.position }));
    assert.equal(rest.items?.length, 1);
  });
});

describe('ImportDocumentationParts', () => {
  it('imports the parts of an OpenAPI document, with an API and with ImportDocumentationParts, as recorded', async () => {
    const client = newClient();
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(document), failOnWarnings: true }));
    const restApiId = api.id!;
    const expected = [
      [{ type: 'API' }, { description: 'API description', info: { description: 'API info description 4', version: 'API info version 3' } }],
      [{ type: 'METHOD', path: '/', method: 'GET' }, { description: 'Method description.' }],
      [{ type: 'MODEL', name: 'Empty' }, { title: 'Empty Schema' }],
      [{ type: 'RESPONSE', path: '/', method: 'GET', statusCode: '200' }, { description: '200 response' }],
    ];
    const listed = async () => (await client.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
    assert.deepEqual((await listed()).map((p) => [p.location, JSON.parse(p.properties!)]), expected);
    for (const part of await listed()) await client.send(new DeleteDocumentationPartCommand({ restApiId, documentationPartId: part.id }));
    assert.deepEqual(await listed(), []);
    const imported = await client.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'overwrite', body: Buffer.from(document) }));
    assert.equal(imported.$metadata.httpStatusCode, 200);
    assert.deepEqual(imported.ids, (await listed()).map((p) => p.id));
    assert.deepEqual((await listed()).map((p) => [p.location, JSON.parse(p.properties!)]), expected);
  });

  it('merges into existing parts, or overwrites them', async () => {
    const { client, restApiId } = await newApi();
    const kept = await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'MODEL', name: 'Other' }, properties: '{"x":1}' }));
    const api = await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"old":true}' }));
    const merged = await client.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'merge', body: Buffer.from(document) }));
    assert.equal(merged.ids?.[0], api.id, 'the API part keeps its id');
    const afterMerge = (await client.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
    assert.equal(afterMerge.length, 5);
    assert.ok(afterMerge.some((p) => p.id === kept.id));
    assert.equal(JSON.parse(afterMerge.find((p) => p.id === api.id)!.properties!).description, 'API description');
    await client.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'overwrite', body: Buffer.from(document) }));
    const afterOverwrite = (await client.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
    assert.equal(afterOverwrite.length, 4);
    assert.ok(!afterOverwrite.some((p) => p.id === kept.id));
  });

  it('refuses input it cannot read', async () => {
    const { client, restApiId } = await newApi();
    for (const body of ['not: [valid', '{"broken": ']) {
      await expectError(
        client.send(new ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(body) })),
        'BadRequestException',
        400,
        'Unable to build importer with provided input.',
      );
    }
  });
});

describe('DocumentationVersion', () => {
  it('freezes the parts, publishes to a stage, and is read, updated and deleted', async () => {
    const { client, restApiId, rootId } = await newApi();
    await client.send(new CreateDocumentationPartCommand({ restApiId, location: { type: 'API' }, properties: '{"foo":"bar"}' }));
    const version = await client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v123' }));
    assert.equal(version.$metadata.httpStatusCode, 201);
    assert.equal(version.version, 'v123');
    assert.ok(version.createdDate instanceof Date);
    assert.equal(version.description, undefined);
    const updated = await client.send(
      new UpdateDocumentationVersionCommand({ restApiId, documentationVersion: 'v123', patchOperations: [{ op: 'replace', path: '/description', value: 'doc version new' }] }),
    );
    assert.equal(updated.description, 'doc version new');
    const got = await client.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: 'v123' }));
    assert.deepEqual({ ...got, $metadata: undefined }, { ...updated, $metadata: undefined });
    await expectError(client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v123' })), 'ConflictException', 409);

    await client.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'docs' }));
    await expectError(
      client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v2', stageName: 'nostage' })),
      'NotFoundException',
      404,
      'Invalid stage identifier specified',
    );
    await client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: 'v2', stageName: 'docs', description: 'second' }));
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'docs' }))).documentationVersion, 'v2');
    await client.send(new UpdateStageCommand({ restApiId, stageName: 'docs', patchOperations: [{ op: 'replace', path: '/documentationVersion', value: 'v123' }] }));
    assert.equal((await client.send(new GetStageCommand({ restApiId, stageName: 'docs' }))).documentationVersion, 'v123');

    const versions = await client.send(new GetDocumentationVersionsCommand({ restApiId }));
    assert.deepEqual(versions.items?.map((v) => [v.version, v.description]), [['v123', 'doc version new'], ['v2', 'second']]);
    await client.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: 'v2' }));
    await expectError(
      client.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: 'v2' })),
      'NotFoundException',
      404,
      'Invalid Documentation version identifier specified',
    );
    await expectError(client.send(new GetDocumentationVersionsCommand({ restApiId: 'nosuchapi' })), 'NotFoundException', 404);
  });
});
