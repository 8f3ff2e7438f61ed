// Request validation end to end, as the Developer Guide's "Set up basic request validation"
// walkthrough builds it: models, request validators and methods configured with the SDK,
// deployed, then called over HTTP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteModelCommand,
  GetResourcesCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
  type PutGatewayResponseCommandInput,
} from '@aws-sdk/client-api-gateway';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, type Invocation } from '../helpers/invoke.js';

type Validator = 'params' | 'body' | 'both' | 'none';

type MethodSetup = {
  path: string;
  httpMethod?: string;
  validator?: Validator;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
};

type ModelSetup = { name: string; schema: object | ((ref: (model: string) => string) => object) };

type Setup = {
  /** created in this order, so a model refers only to those before it */
  models?: ModelSetup[];
  methods: MethodSetup[];
  gatewayResponses?: Omit<PutGatewayResponseCommandInput, 'restApiId'>[];
  /** changes made after the methods exist, before the deployment */
  beforeDeploy?: (client: APIGatewayClient, restApiId: string) => Promise<void>;
};

const validatorFlags: Record<Validator, { validateRequestParameters: boolean; validateRequestBody: boolean }> = {
  params: { validateRequestParameters: true, validateRequestBody: false },
  body: { validateRequestParameters: false, validateRequestBody: true },
  both: { validateRequestParameters: true, validateRequestBody: true },
  none: { validateRequestParameters: false, validateRequestBody: false },
};

/** The resource at `path`, created with its parents as needed. */
async function resourceAt(client: APIGatewayClient, restApiId: string, ids: Map<string, string>, path: string): Promise<string> {
  if (ids.has(path)) return ids.get(path)!;
  const cut = path.lastIndexOf('/');
  const parentId = await resourceAt(client, restApiId, ids, path.slice(0, cut) || '/');
  const { id } = await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart: path.slice(cut + 1) }));
  ids.set(path, id!);
  return id!;
}

/** MOCK methods answering 200 `{"ok": true}` for JSON, text and XML requests, deployed to stage `test`. */
async function deploy(setup: Setup): Promise<string> {
  const client = newClient();
  const restApiId = (await client.send(new CreateRestApiCommand({ name: 'request-validation' }))).id!;
  const ref = (model: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${model}`;
  for (const { name, schema } of setup.models ?? []) {
    const body = typeof schema === 'function' ? schema(ref) : schema;
    await client.send(new CreateModelCommand({ restApiId, name, contentType: 'application/json', schema: JSON.stringify(body) }));
  }
  const validatorIds = new Map<Validator, string>();
  for (const [kind, flags] of Object.entries(validatorFlags) as [Validator, (typeof validatorFlags)[Validator]][]) {
    const { id } = await client.send(new CreateRequestValidatorCommand({ restApiId, name: kind, ...flags }));
    validatorIds.set(kind, id!);
  }
  const { items } = await client.send(new GetResourcesCommand({ restApiId }));
  const ids = new Map([['/', items!.find((r) => r.path === '/')!.id!]]);
  for (const method of setup.methods) {
    const target = { restApiId, resourceId: await resourceAt(client, restApiId, ids, method.path), httpMethod: method.httpMethod ?? 'POST' };
    await client.send(new PutMethodCommand({
      ...target,
      authorizationType: 'NONE',
      requestValidatorId: method.validator && validatorIds.get(method.validator),
      requestParameters: method.requestParameters,
      requestModels: method.requestModels,
    }));
    const mock = '{"statusCode": 200}';
    await client.send(new PutIntegrationCommand({
      ...target,
      type: 'MOCK',
      requestTemplates: { 'application/json': mock, 'text/plain': mock, 'application/xml': mock },
    }));
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
  }
  for (const response of setup.gatewayResponses ?? []) await client.send(new PutGatewayResponseCommand({ restApiId, ...response }));
  await setup.beforeDeploy?.(client, restApiId);
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test');
  return restApiId;
}

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/** The body goes as bytes, so that the request has a Content-Type only when `headers` give one. */
const call = (restApiId: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
  invoke(restApiId, 'test', path, { method: init.method ?? 'POST', body: init.body === undefined ? undefined : new TextEncoder().encode(init.body), headers: init.headers });

const ok = (r: Invocation) => assert.deepEqual([r.status, r.body], [200, '{"ok": true}']);

function badRequest(r: Invocation, message: string) {
  assert.equal(r.status, 400, r.body);
  assert.deepEqual(JSON.parse(r.body), { message });
  assert.equal(r.headers.get('x-amzn-errortype'), 'BadRequestException');
}

const invalidBody = (r: Invocation) => badRequest(r, 'Invalid request body');

const pet = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } } };

describe('Request validation of required parameters', () => {
  it('names every missing header, path and query string parameter, headers first, as AWS does', async () => {
    // AWS's recorded answer for this method: a required path parameter the resource path lacks is always missing.
    const restApiId = await deploy({
      methods: [{
        path: '/nested/{test}',
        validator: 'params',
        requestParameters: { 'method.request.path.issuer': true, 'method.request.querystring.qs1': true, 'method.request.header.x-header-param': true },
      }],
    });
    badRequest(await call(restApiId, '/nested/value'), 'Missing required request parameters: [x-header-param, issuer, qs1]');
    badRequest(await call(restApiId, '/nested/value?qs1=test', { method: 'POST' }), 'Missing required request parameters: [x-header-param, issuer]');
  });

  it('checks headers case-insensitively, takes a blank value as missing, ignores optional ones and the body', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [{
        path: '/pets/{petId}',
        httpMethod: 'GET',
        validator: 'params',
        requestParameters: {
          'method.request.path.petId': true,
          'method.request.header.X-Tenant': true,
          'method.request.querystring.q': true,
          'method.request.querystring.page': false,
          'method.request.header.x-optional': false,
        },
        requestModels: { 'application/json': 'Pet' },
      }],
    });
    badRequest(await call(restApiId, '/pets/1', { method: 'GET' }), 'Missing required request parameters: [X-Tenant, q]');
    badRequest(await call(restApiId, '/pets/1?page=2', { method: 'GET', headers: { 'x-tenant': 'acme' } }), 'Missing required request parameters: [q]');
    badRequest(await call(restApiId, '/pets/1?q=dogs', { method: 'GET' }), 'Missing required request parameters: [X-Tenant]');
    ok(await call(restApiId, '/pets/1?q=dogs', { method: 'GET', headers: { 'x-tenant': 'acme' } }));
    ok(await call(restApiId, '/pets/1?q=cats', { method: 'GET', headers: { 'X-TENANT': 'acme', 'content-type': 'application/json' } }));
    // The Developer Guide: required parameters must be "included and not blank".
    badRequest(await call(restApiId, '/pets/1?q=', { method: 'GET', headers: { 'X-Tenant': 'acme' } }), 'Missing required request parameters: [q]');
    badRequest(await call(restApiId, '/pets/1?q', { method: 'GET', headers: { 'X-Tenant': ' ' } }), 'Missing required request parameters: [X-Tenant, q]');
  });

  it('answers the path parameter of a greedy resource as present', async () => {
    const restApiId = await deploy({
      methods: [{ path: '/files/{key+}', httpMethod: 'GET', validator: 'both', requestParameters: { 'method.request.path.key': true } }],
    });
    ok(await call(restApiId, '/files/a/b/c.txt', { method: 'GET' }));
  });
});

describe('Request validation of the body against the model', () => {
  it('validates the body against the model for its Content-Type, and skips the parameters with a body-only validator', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [{ path: '/pets', validator: 'body', requestParameters: { 'method.request.querystring.q': true }, requestModels: { 'application/json': 'Pet' } }],
    });
    ok(await call(restApiId, '/pets', json({ name: 'Rex', age: 3 })));
    invalidBody(await call(restApiId, '/pets', json({ age: 3 })));
    invalidBody(await call(restApiId, '/pets', json({ name: 'Rex', age: -1 })));
    invalidBody(await call(restApiId, '/pets', json(['Rex'])));
    invalidBody(await call(restApiId, '/pets', { body: '{"name": "Rex"', headers: { 'content-type': 'application/json' } }));
    // Content-Type parameters and case do not matter.
    invalidBody(await call(restApiId, '/pets', { body: '{}', headers: { 'content-type': 'Application/JSON; charset=utf-8' } }));
    ok(await call(restApiId, '/pets', { body: '{"name": "Rex"}', headers: { 'content-type': 'application/json; charset=utf-8' } }));
  });

  it('takes a request without Content-Type as JSON and an empty body as an empty object', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [
        { path: '/pets', validator: 'body', requestModels: { 'application/json': 'Pet' } },
        { path: '/anything', validator: 'body', requestModels: { 'application/json': 'Empty' } },
      ],
    });
    invalidBody(await call(restApiId, '/pets', { body: '{"age": 1}' }));
    ok(await call(restApiId, '/pets', { body: '{"name": "Rex"}' }));
    invalidBody(await call(restApiId, '/pets'));
    invalidBody(await call(restApiId, '/pets', { headers: { 'content-type': 'application/json' } }));
    ok(await call(restApiId, '/anything'));
    ok(await call(restApiId, '/anything', json({ any: ['thing'] })));
    invalidBody(await call(restApiId, '/anything', json('a string')));
    invalidBody(await call(restApiId, '/anything', { body: 'not json', headers: { 'content-type': 'application/json' } }));
  });

  it('does not validate a Content-Type without a model when there is no $default model', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [{ path: '/pets', validator: 'both', requestModels: { 'application/json': 'Pet' } }],
    });
    ok(await call(restApiId, '/pets', { body: 'just text', headers: { 'content-type': 'text/plain' } }));
    invalidBody(await call(restApiId, '/pets', json({})));
  });

  it('falls back to the $default model for any other Content-Type', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [
        { path: '/pets', validator: 'body', requestModels: { $default: 'Pet' } },
        { path: '/mixed', validator: 'body', requestModels: { 'application/json': 'Empty', $default: 'Pet' } },
      ],
    });
    ok(await call(restApiId, '/pets', { body: '{"name": "Rex"}', headers: { 'content-type': 'text/plain' } }));
    invalidBody(await call(restApiId, '/pets', { body: 'Rex', headers: { 'content-type': 'text/plain' } }));
    invalidBody(await call(restApiId, '/pets', { body: '{}' }));
    ok(await call(restApiId, '/mixed', json({})));
    invalidBody(await call(restApiId, '/mixed', { body: '{}', headers: { 'content-type': 'application/xml' } }));
  });

  it('resolves models that refer to other models, through more than one level', async () => {
    const restApiId = await deploy({
      models: [
        { name: 'Address', schema: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } },
        { name: 'Person', schema: (ref) => ({ type: 'object', required: ['name', 'address'], properties: { name: { type: 'string' }, address: { $ref: ref('Address') } } }) },
        { name: 'People', schema: (ref) => ({ type: 'array', items: { $ref: ref('Person') } }) },
        { name: 'Status', schema: (ref) => ({ type: 'object', required: ['status'], properties: { status: { oneOf: [{ type: 'null' }, { $ref: ref('Address') }] } } }) },
      ],
      methods: [
        { path: '/people', validator: 'body', requestModels: { 'application/json': 'People' } },
        { path: '/status', validator: 'body', requestModels: { 'application/json': 'Status' } },
      ],
    });
    ok(await call(restApiId, '/people', json([{ name: 'Ann', address: { city: 'Oslo' } }])));
    ok(await call(restApiId, '/people', json([])));
    invalidBody(await call(restApiId, '/people', json([{ name: 'Ann', address: { city: 'Oslo' } }, { name: 'Bob', address: {} }])));
    invalidBody(await call(restApiId, '/people', json([{ name: 'Ann', address: { city: 7 } }])));
    ok(await call(restApiId, '/status', json({ status: null })));
    ok(await call(restApiId, '/status', json({ status: { city: 'Oslo' } })));
    invalidBody(await call(restApiId, '/status', json({ status: { town: 'Oslo' } })));
    invalidBody(await call(restApiId, '/status', json({})));
  });
});

describe('Request validation with both checks', () => {
  it('checks the parameters first, then the body', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: [{ path: '/pets', validator: 'both', requestParameters: { 'method.request.header.x-tenant': true }, requestModels: { 'application/json': 'Pet' } }],
    });
    badRequest(await call(restApiId, '/pets', json({})), 'Missing required request parameters: [x-tenant]');
    invalidBody(await call(restApiId, '/pets', { body: '{}', headers: { 'content-type': 'application/json', 'x-tenant': 'acme' } }));
    ok(await call(restApiId, '/pets', { body: '{"name": "Rex"}', headers: { 'content-type': 'application/json', 'x-tenant': 'acme' } }));
  });

  it('lets anything through a method without a validator, or with one that checks nothing', async () => {
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: pet }],
      methods: ['/pets', '/checks-nothing'].map((path) => ({
        path,
        validator: path === '/pets' ? undefined : ('none' as const),
        requestParameters: { 'method.request.header.x-tenant': true, 'method.request.querystring.q': true },
        requestModels: { 'application/json': 'Pet' },
      })),
    });
    for (const path of ['/pets', '/checks-nothing']) {
      ok(await call(restApiId, path, json({ not: 'a pet' })));
      ok(await call(restApiId, path, { body: 'not json', headers: { 'content-type': 'application/json' } }));
    }
  });
});

describe('Request validation errors as gateway responses', () => {
  it('gives $context.error.validationErrorString to a customized BAD_REQUEST_BODY response', async () => {
    const detail = '{"error": "$context.error.message", "type": "$context.error.responseType", "detail": "$util.escapeJavaScript($context.error.validationErrorString)"}';
    const restApiId = await deploy({
      models: [{ name: 'Pet', schema: { ...pet, additionalProperties: false } }],
      methods: [{ path: '/pets', validator: 'both', requestParameters: { 'method.request.querystring.q': true }, requestModels: { 'application/json': 'Pet' } }],
      gatewayResponses: [
        { responseType: 'BAD_REQUEST_BODY', statusCode: '422', responseTemplates: { 'application/json': detail }, responseParameters: { 'gatewayresponse.header.x-invalid': "'body'" } },
        { responseType: 'BAD_REQUEST_PARAMETERS', responseTemplates: { 'application/json': detail } },
      ],
    });
    const missing = await call(restApiId, '/pets?q=1', json({ age: 3 }));
    assert.equal(missing.status, 422, missing.body);
    assert.equal(missing.headers.get('x-invalid'), 'body');
    assert.deepEqual(JSON.parse(missing.body), { error: 'Invalid request body', type: 'BAD_REQUEST_BODY', detail: '[object has missing required properties (["name"])]' });

    const wrong = await call(restApiId, '/pets?q=1', json({ name: 5, age: -1, color: 'red', breed: 'lab' }));
    assert.equal(wrong.status, 422, wrong.body);
    assert.deepEqual(JSON.parse(wrong.body).detail, [
      '[object instance has properties which are not allowed by the schema: ["breed","color"]',
      'instance type (integer) does not match any allowed primitive type (allowed: ["string"])',
      'numeric instance is lower than the required minimum (minimum: 0, found: -1)]',
    ].join(', '));

    const params = await call(restApiId, '/pets', json({ name: 'Rex' }));
    assert.equal(params.status, 400, params.body);
    assert.deepEqual(JSON.parse(params.body), { error: 'Missing required request parameters: [q]', type: 'BAD_REQUEST_PARAMETERS', detail: 'Missing required request parameters: [q]' });
  });
});

describe('Request validation with a model that does not compile', () => {
  it('fails only the methods that use the model, with 500, and keeps the rest of the API serving', async () => {
    const restApiId = await deploy({
      models: [
        { name: 'Pet', schema: pet },
        { name: 'Address', schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'Person', schema: (ref) => ({ type: 'object', properties: { address: { $ref: ref('Address') } } }) },
      ],
      methods: [
        { path: '/people', validator: 'both', requestParameters: { 'method.request.header.x-tenant': true }, requestModels: { 'application/json': 'Person' } },
        { path: '/pets', validator: 'body', requestModels: { 'application/json': 'Pet' } },
        { path: '/open' },
      ],
      // No method uses Address itself, so it can go; Person then refers to a model the deployment lacks.
      beforeDeploy: async (client, restApiId) => {
        await client.send(new DeleteModelCommand({ restApiId, modelName: 'Address' }));
      },
    });
    const broken = await call(restApiId, '/people', { body: '{}', headers: { 'content-type': 'application/json', 'x-tenant': 'acme' } });
    assert.deepEqual([broken.status, JSON.parse(broken.body)], [500, { message: 'Internal server error' }]);
    // What is checked before the body, or a body no model applies to, still answers as usual.
    badRequest(await call(restApiId, '/people', json({})), 'Missing required request parameters: [x-tenant]');
    ok(await call(restApiId, '/people', { body: 'text', headers: { 'content-type': 'text/plain', 'x-tenant': 'acme' } }));

    ok(await call(restApiId, '/pets', json({ name: 'Rex' })));
    invalidBody(await call(restApiId, '/pets', json({})));
    ok(await call(restApiId, '/open', json({})));
  });
});
