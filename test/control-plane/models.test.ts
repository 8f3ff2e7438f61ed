// Model: the default Empty and Error models, schema rules (JSON Schema draft 4, references to other
// models by URL), flattening, patch paths, paging, and models that methods use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateModelCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteMethodCommand,
  DeleteModelCommand,
  GetModelCommand,
  GetModelsCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateMethodCommand,
  UpdateModelCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const emptySchema = '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}';
const errorSchema =
  '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}';

const calcSchema =
  '{\n\t"title": "Calc output",\n\t"type": "object",\n\t"properties": {\n\t\t"a": {\n\t\t\t"type": "number"\n\t\t},\n\t\t"b": {\n\t\t\t"type": "number"\n\t\t},\n\t\t"op": {\n\t\t\t"description": "operation of +, -, * or /",\n\t\t\t"type": "string"\n\t\t},\n\t\t"c": {\n\t\t    "type": "number"\n\t\t}\n\t},\n\t"required": ["a", "b", "op"]\n}\n';

const objectSchema = (title: string) => JSON.stringify({ title, type: 'object' });
const invalidModel = (errors: string) => `Invalid model specified: Validation Result: warnings : [], errors : [${errors}]`;
const modelUrl = (restApiId: string, name: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;
const noMetadata = <T extends object>(output: T) => ({ ...output, $metadata: undefined });

async function newApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'models', description: 'testing resource model lifecycle' }));
  const restApiId = api.id!;
  const createModel = (name: string, schema: string | undefined, contentType = 'application/json') =>
    client.send(new CreateModelCommand({ restApiId, name, schema, contentType }));
  return { client, restApiId, rootId: api.rootResourceId!, createModel };
}

/** Whether the Method operations are there yet; the model-in-use rules need them. */
async function methodsImplemented(client: ReturnType<typeof newClient>, restApiId: string, resourceId: string) {
  try {
    await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
    await client.send(new DeleteMethodCommand({ restApiId, resourceId, httpMethod: 'OPTIONS' }));
    return true;
  } catch (e) {
    if ((e as Error).name === 'NotImplementedException') return false;
    throw e;
  }
}

describe('Model', () => {
  it('comes with the Empty and Error models on a new API', async () => {
    const { client, restApiId } = await newApi();
    const models = await client.send(new GetModelsCommand({ restApiId }));
    assert.deepEqual(
      models.items?.map(({ id, ...rest }) => (assert.match(id!, /^[a-z0-9]{6}$/), rest)),
      [
        { name: 'Empty', description: 'This is a default empty schema model', contentType: 'application/json', schema: emptySchema },
        { name: 'Error', description: 'This is a default error schema model', contentType: 'application/json', schema: errorSchema },
      ],
    );
    assert.equal(models.position, undefined);
  });

  it('is created, read, listed by name and deleted', async () => {
    const { client, restApiId } = await newApi();
    const created = await client.send(
      new CreateModelCommand({ restApiId, name: 'CalcOutput', contentType: 'application/json', description: 'Calc output model', schema: calcSchema }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    const expected = { id: created.id, name: 'CalcOutput', description: 'Calc output model', contentType: 'application/json', schema: calcSchema };
    assert.deepEqual(noMetadata(created), { ...expected, $metadata: undefined });
    assert.deepEqual(noMetadata(await client.send(new GetModelCommand({ restApiId, modelName: 'CalcOutput' }))), { ...expected, $metadata: undefined });
    const models = await client.send(new GetModelsCommand({ restApiId }));
    assert.deepEqual(models.items?.map((m) => m.name), ['CalcOutput', 'Empty', 'Error']);
    assert.deepEqual(models.items?.[0], expected);

    const deleted = await client.send(new DeleteModelCommand({ restApiId, modelName: 'CalcOutput' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetModelCommand({ restApiId, modelName: 'CalcOutput' })), 'NotFoundException', 404, 'Invalid model name specified: CalcOutput');
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'Empty' }));
    assert.deepEqual((await client.send(new GetModelsCommand({ restApiId }))).items?.map((m) => m.name), ['Error']);
  });

  it('answers for unknown APIs and models as AWS does', async () => {
    const { client, restApiId } = await newApi();
    const api = 'abcde0';
    await expectError(
      client.send(new CreateModelCommand({ restApiId: api, name: 'MySchema', contentType: 'application/json', schema: objectSchema('MySchema') })),
      'NotFoundException',
      404,
      `Invalid API identifier specified ${client.accountId}:${api}`,
    );
    await expectError(client.send(new GetModelsCommand({ restApiId: api })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:${api}`);
    await expectError(client.send(new GetModelCommand({ restApiId: api, modelName: 'MySchema' })), 'NotFoundException', 404, 'Invalid model name specified: MySchema');
    await expectError(client.send(new DeleteModelCommand({ restApiId: api, modelName: 'MySchema' })), 'NotFoundException', 404, 'Invalid model name specified: MySchema');
    await expectError(
      client.send(new UpdateModelCommand({ restApiId: api, modelName: 'mySchema', patchOperations: [{ op: 'replace', path: '/description', value: '' }] })),
      'NotFoundException',
      404,
      'Invalid model name specified: mySchema',
    );
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' })), 'NotFoundException', 404, 'Invalid model name specified: MySchema');
    await expectError(client.send(new GetModelsCommand({ restApiId, limit: 0 })), 'BadRequestException', 400, 'Invalid limit specified. Must be between 1 and 500.');
  });

  it('checks the name: non-empty, alphanumeric, unique in the API', async () => {
    const { client, restApiId, createModel } = await newApi();
    const created = await client.send(
      new CreateModelCommand({ restApiId, name: 'MySchema', contentType: 'application/json', description: '', schema: objectSchema('MySchema') }),
    );
    assert.equal(created.description, undefined);
    await expectError(createModel('MySchema', objectSchema('MySchema')), 'ConflictException', 409, 'Model name already exists for this REST API');
    await expectError(createModel('', objectSchema('MySchema')), 'BadRequestException', 400, 'Model name must be non-empty');
    await expectError(createModel('my-schema', objectSchema('x')), 'BadRequestException', 400, 'Model name must be alphanumeric: my-schema');
    await expectError(createModel('Empty', objectSchema('x')), 'ConflictException', 409, 'Model name already exists for this REST API');
    const other = await newApi();
    await other.createModel('MySchema', objectSchema('MySchema'));
  });

  it('requires a JSON Schema draft 4 object as schema, whatever the content type', async () => {
    const { createModel } = await newApi();
    const noSchema = 'Model schema must have at least 1 property or array items defined';
    await expectError(createModel('MyEmptySchema', ''), 'BadRequestException', 400, noSchema);
    await expectError(createModel('MyEmptySchema', undefined), 'BadRequestException', 400, noSchema);
    await expectError(createModel('MyEmptySchemaXml', undefined, 'application/xml'), 'BadRequestException', 400, noSchema);
    const invalid = invalidModel('Invalid model schema specified');
    await expectError(createModel('Broken', '{"type": "object"'), 'BadRequestException', 400, invalid);
    await expectError(createModel('List', '[]'), 'BadRequestException', 400, invalid);
    await expectError(createModel('WrongType', '{"type": "String"}'), 'BadRequestException', 400, invalid);
    await expectError(createModel('NoRequired', '{"type": "object", "required": []}'), 'BadRequestException', 400, invalid);
    await expectError(
      createModel('Example', JSON.stringify({ type: 'object', properties: { a: { type: 'string', example: 'x' } }, examples: [] })),
      'BadRequestException',
      400,
      invalidModel('Invalid model schema specified. Unsupported keyword(s): ["example","examples"]'),
    );
    const draft4 = JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      definitions: { id: { type: 'string', format: 'byte' } },
      properties: { id: { $ref: '#/definitions/id' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } },
    });
    const created = await createModel('Draft4', draft4, 'text/plain');
    assert.equal(created.schema, draft4);
    assert.equal(created.contentType, 'text/plain');
  });

  it('refers to other models of the API by their URL', async () => {
    const { client, restApiId, createModel } = await newApi();
    await createModel('testSchema', JSON.stringify({ type: 'object', properties: { a: { type: 'number' } } }));
    const list = JSON.stringify({ type: 'array', items: { $ref: modelUrl(restApiId, 'testSchema') } });
    assert.equal((await createModel('testSchemaList', list)).schema, list);
    const oneOf = JSON.stringify({ type: 'object', properties: { status: { oneOf: [{ type: 'null' }, { $ref: modelUrl(restApiId, 'Error') }] } } });
    await createModel('TestModel', oneOf);

    await expectError(
      createModel('Dangling', JSON.stringify({ type: 'object', properties: { a: { $ref: modelUrl(restApiId, 'Nope') }, b: { $ref: modelUrl(restApiId, 'Gone') } } })),
      'BadRequestException',
      400,
      invalidModel('Invalid model specified: Nope, Invalid model specified: Gone'),
    );
    const canonical = invalidModel('Model reference must be in canonical form');
    await expectError(createModel('Local', JSON.stringify({ type: 'object', properties: { a: { $ref: '#/components/schemas/testSchema' } } })), 'BadRequestException', 400, canonical);
    await expectError(createModel('Other', JSON.stringify({ items: { $ref: modelUrl('otherapi00', 'testSchema') } })), 'BadRequestException', 400, canonical);
    await expectError(createModel('Relative', JSON.stringify({ items: { $ref: 'testSchema' } })), 'BadRequestException', 400, canonical);
    await expectError(
      client.send(new UpdateModelCommand({ restApiId, modelName: 'testSchemaList', patchOperations: [{ op: 'replace', path: '/schema', value: JSON.stringify({ items: { $ref: modelUrl(restApiId, 'Nope') } }) }] })),
      'BadRequestException',
      400,
      invalidModel('Invalid model specified: Nope'),
    );
  });

  it('flattens references into definitions on request', async () => {
    const { client, restApiId, createModel } = await newApi();
    const person = { type: 'object', properties: { name: { type: 'string' }, error: { $ref: modelUrl(restApiId, 'Error') } } };
    await createModel('Person', JSON.stringify(person));
    const team = { type: 'array', items: { $ref: modelUrl(restApiId, 'Person') } };
    await createModel('Team', JSON.stringify(team));

    const stored = await client.send(new GetModelCommand({ restApiId, modelName: 'Team' }));
    assert.equal(stored.schema, JSON.stringify(team));
    const flat = await client.send(new GetModelCommand({ restApiId, modelName: 'Team', flatten: true }));
    assert.deepEqual(JSON.parse(flat.schema!), {
      type: 'array',
      items: { $ref: '#/definitions/Person' },
      definitions: {
        Person: { type: 'object', properties: { name: { type: 'string' }, error: { $ref: '#/definitions/Error' } } },
        Error: JSON.parse(errorSchema),
      },
    });
    const plain = await client.send(new GetModelCommand({ restApiId, modelName: 'Empty', flatten: true }));
    assert.equal(plain.schema, emptySchema);
  });

  it('updates description and schema only', async () => {
    const { client, restApiId, createModel } = await newApi();
    const created = await client.send(
      new CreateModelCommand({ restApiId, name: 'MySchema', contentType: 'application/json', description: 'old', schema: objectSchema('MySchema') }),
    );
    const update = (patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
      client.send(new UpdateModelCommand({ restApiId, modelName: 'MySchema', patchOperations }));

    const updated = await update([
      { op: 'replace', path: '/schema', value: objectSchema('Updated schema') },
      { op: 'replace', path: '/description', value: '' },
    ]);
    assert.deepEqual(noMetadata(updated), { $metadata: undefined, id: created.id, name: 'MySchema', contentType: 'application/json', schema: objectSchema('Updated schema') });
    assert.equal((await update([{ op: 'replace', path: '/description', value: 'new' }])).description, 'new');
    assert.deepEqual(noMetadata(await client.send(new GetModelCommand({ restApiId, modelName: 'MySchema' }))), {
      $metadata: undefined, id: created.id, name: 'MySchema', contentType: 'application/json', schema: objectSchema('Updated schema'), description: 'new',
    });

    await expectError(update([{ op: 'add', path: '/wrong-path', value: 'not supported op' }]), 'BadRequestException', 400, "Invalid patch path  '/wrong-path' specified for op 'add'. Please choose supported operations");
    await expectError(update([{ op: 'replace', path: '/name', value: 'invalid' }]), 'BadRequestException', 400, "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]");
    await expectError(update([{ op: 'remove', path: '/description' }]), 'BadRequestException', 400, "Invalid patch path  '/description' specified for op 'remove'. Please choose supported operations");
    await expectError(update([{ op: 'replace', path: '/schema', value: '' }]), 'BadRequestException', 400, 'Model schema must have at least 1 property or array items defined');
    await expectError(update([{ op: 'replace', path: '/schema', value: 'nope' }]), 'BadRequestException', 400, invalidModel('Invalid model schema specified'));
    // A failed patch changes nothing, not even the operations before it.
    await expectError(update([{ op: 'replace', path: '/description', value: 'lost' }, { op: 'replace', path: '/name', value: 'x' }]), 'BadRequestException', 400);
    assert.equal((await client.send(new GetModelCommand({ restApiId, modelName: 'MySchema' }))).description, 'new');
    await createModel('Self', objectSchema('Self'));
    const selfRef = JSON.stringify({ type: 'object', properties: { next: { $ref: modelUrl(restApiId, 'Self') } } });
    const self = await client.send(new UpdateModelCommand({ restApiId, modelName: 'Self', patchOperations: [{ op: 'replace', path: '/schema', value: selfRef }] }));
    assert.equal(self.schema, selfRef);
  });

  it('pages through the models with limit and position', async () => {
    const { client, restApiId, createModel } = await newApi();
    for (const name of ['Alpha', 'Beta', 'Gamma']) await createModel(name, objectSchema(name));
    const first = await client.send(new GetModelsCommand({ restApiId, limit: 2 }));
    assert.deepEqual(first.items?.map((m) => m.name), ['Alpha', 'Beta']);
    const second = await client.send(new GetModelsCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual(second.items?.map((m) => m.name), ['Empty', 'Error']);
    const third = await client.send(new GetModelsCommand({ restApiId, limit: 2, position: second.position }));
    assert.deepEqual(third.items?.map((m) => m.name), ['Gamma']);
    assert.equal(third.position, undefined);
  });

  it('cannot be deleted while a method request or response uses it', async (t) => {
    const { client, restApiId, rootId, createModel } = await newApi();
    if (!(await methodsImplemented(client, restApiId, rootId))) return t.skip('the Method operations are not there yet');
    await createModel('MySchema', objectSchema('MySchema'));
    await createModel('MySchemaTwo', objectSchema('MySchemaTwo'));
    await client.send(new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'MySchema' } }));
    const inRequest = (name: string, path: string) => `Cannot delete model '${name}', is referenced in method request: ${path}`;
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' })), 'ConflictException', 409, inRequest('MySchema', '//ANY'));

    await client.send(new UpdateMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'ANY', patchOperations: [{ op: 'replace', path: '/requestModels/application~1json', value: 'MySchemaTwo' }] }));
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' }));
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' })), 'ConflictException', 409, inRequest('MySchemaTwo', '//ANY'));

    const test = await client.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: 'test' }));
    await client.send(new PutMethodCommand({ restApiId, resourceId: test.id, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'MySchemaTwo' } }));
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' })), 'ConflictException', 409, inRequest('MySchemaTwo', '/test/ANY'));
    await client.send(new UpdateMethodCommand({ restApiId, resourceId: test.id, httpMethod: 'ANY', patchOperations: [{ op: 'remove', path: '/requestModels/application~1json' }] }));
    await expectError(client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' })), 'ConflictException', 409, inRequest('MySchemaTwo', '//ANY'));
    await client.send(new DeleteMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'ANY' }));
    await client.send(new DeleteModelCommand({ restApiId, modelName: 'MySchemaTwo' }));

    await client.send(new PutMethodResponseCommand({ restApiId, resourceId: test.id, httpMethod: 'ANY', statusCode: '200', responseModels: { 'application/json': 'Error' } }));
    await expectError(
      client.send(new DeleteModelCommand({ restApiId, modelName: 'Error' })),
      'ConflictException',
      409,
      "Cannot delete model 'Error', is referenced in method response: /test/ANY",
    );
  });
});
