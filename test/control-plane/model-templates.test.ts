// GetModelTemplate: the mapping template API Gateway generates for a model (objects walked property by
// property, arrays with #foreach, other models by $ref), used as a request template on a deployed API
// to rebuild the Developer Guide's photo album payload.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetModelTemplateCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const photosInputModel = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'PhotosInputModel',
  type: 'object',
  properties: {
    photos: {
      type: 'object',
      required: ['photo'],
      properties: {
        page: { type: 'integer' },
        pages: { type: 'string' },
        perpage: { type: 'integer', minimum: 10 },
        total: { type: 'string' },
        photo: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              owner: { type: 'string' },
              title: { type: 'string' },
              ispublic: { type: 'boolean' },
              farm: { type: 'integer' },
            },
          },
        },
      },
    },
  },
};

const photos = {
  photos: {
    page: 1,
    pages: '1234',
    perpage: 100,
    total: '123398',
    photo: [
      { id: '12345678901', owner: '23456789@A12', title: 'Sample photo 1', ispublic: true, farm: 1 },
      { id: '23456789012', owner: '34567890@B23', title: 'Sample photo 2', ispublic: false, farm: 2 },
    ],
  },
};

describe('GetModelTemplate', () => {
  const client = newClient();

  async function apiWithModels() {
    const api = await client.send(new CreateRestApiCommand({ name: 'templates' }));
    const restApiId = api.id!;
    const model = (name: string, schema: object) => client.send(new CreateModelCommand({ restApiId, name, contentType: 'application/json', schema: JSON.stringify(schema) }));
    await model('PhotosInput', photosInputModel);
    await model('Pet', { type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, price: { type: 'number' } } });
    await model('Pets', { type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Pet` } });
    await model('Tagged', { type: 'object', properties: { 'first-name': { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } } } });
    return api;
  }

  const templateOf = async (restApiId: string, modelName: string) => (await client.send(new GetModelTemplateCommand({ restApiId, modelName }))).value;

  it('walks an object schema: strings quoted, numbers and booleans bare, arrays with #foreach', async () => {
    const api = await apiWithModels();
    assert.equal(
      await templateOf(api.id!, 'PhotosInput'),
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "photos" : {',
        '    "page" : $inputRoot.photos.page,',
        '    "pages" : "$inputRoot.photos.pages",',
        '    "perpage" : $inputRoot.photos.perpage,',
        '    "total" : "$inputRoot.photos.total",',
        '    "photo" : [',
        '#foreach($elem in $inputRoot.photos.photo)',
        '      {',
        '        "id" : "$elem.id",',
        '        "owner" : "$elem.owner",',
        '        "title" : "$elem.title",',
        '        "ispublic" : $elem.ispublic,',
        '        "farm" : $elem.farm',
        '      }#if($foreach.hasNext),#end',
        '#end',
        '    ]',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('follows $ref to other models, and loops over a root array', async () => {
    const api = await apiWithModels();
    assert.equal(
      await templateOf(api.id!, 'Pets'),
      [
        "#set($inputRoot = $input.path('$'))",
        '[',
        '#foreach($elem in $inputRoot)',
        '  {',
        '    "id" : $elem.id,',
        '    "type" : "$elem.type",',
        '    "price" : $elem.price',
        '  }#if($foreach.hasNext),#end',
        '#end',
        ']',
      ].join('\n'),
    );
    assert.match(await templateOf(api.id!, 'Tagged') ?? '', /"first-name" : "\$inputRoot\.get\('first-name'\)",\n {2}"tags" : \[\n#foreach\(\$elem in \$inputRoot\.tags\)\n {4}"\$elem"#if\(\$foreach\.hasNext\),#end\n#end\n/);
    assert.match(await templateOf(api.id!, 'Tagged') ?? '', /#foreach\(\$elem2 in \$elem\)\n {6}\$elem2#if/);
  });

  it('answers AWS errors for an unknown model or API', async () => {
    const api = await apiWithModels();
    await expectError(templateOf(api.id!, 'Nope'), 'NotFoundException', 404, 'Invalid model name specified: Nope');
    await expectError(templateOf('abcde01234', 'Pet'), 'NotFoundException', 404, 'Invalid model name specified: Pet');
  });

  it('generates templates that rebuild the payload on a deployed API', async () => {
    const api = await apiWithModels();
    const restApiId = api.id!;
    const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:passthrough/invocations`;
    const cases: [string, string, unknown][] = [
      ['photos', 'PhotosInput', photos],
      ['pets', 'Pets', [{ id: 1, type: 'dog', price: 249.99 }, { id: 2, type: 'cat', price: 124.99 }]],
      ['tagged', 'Tagged', { 'first-name': 'Saanvi', tags: ['a', 'b'], matrix: [[1, 2], [3.5]] }],
    ];
    for (const [pathPart, modelName] of cases) {
      const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }))).id!;
      const target = { restApiId, resourceId, httpMethod: 'POST' };
      await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE', requestModels: { 'application/json': modelName } }));
      await client.send(new PutIntegrationCommand({
        ...target, type: 'AWS', integrationHttpMethod: 'POST', uri, requestTemplates: { 'application/json': (await templateOf(restApiId, modelName))! },
      }));
      await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
      await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200' }));
    }
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    await waitForStage(restApiId, 'test', '/pets');
    for (const [pathPart, , payload] of cases) {
      const response = await invoke(restApiId, 'test', `/${pathPart}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
      assert.equal(response.status, 200, response.body);
      assert.deepEqual(JSON.parse(response.body), payload);
    }
  });
});
