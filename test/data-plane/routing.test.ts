// Serving a deployed API: both invoke URL forms, API Gateway's routing priorities, and the
// gateway responses for paths and methods with nothing there (default and customized).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, workerEndpoint } from '../helpers/invoke.js';

const client = newClient();
let restApiId: string;

/** A MOCK method answering which resource it is and the path parameters it saw. */
async function mockMethod(resourceId: string, httpMethod: string, name: string) {
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId, httpMethod, statusCode: '200', selectionPattern: '',
    responseTemplates: { 'application/json': `{"route": "${name}", "method": "$context.httpMethod", "params": "$input.params().path"}` },
  }));
}

async function child(parentId: string, pathPart: string) {
  return (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
}

before(async () => {
  const api = await client.send(new CreateRestApiCommand({ name: 'routing' }));
  restApiId = api.id!;
  const root = api.rootResourceId!;
  const pets = await child(root, 'pets');
  const petId = await child(pets, '{petId}');
  const mine = await child(pets, 'mine');
  const proxy = await child(root, '{proxy+}');
  await mockMethod(root, 'GET', 'root');
  await mockMethod(pets, 'GET', 'pets');
  await mockMethod(pets, 'ANY', 'pets-any');
  await mockMethod(petId, 'GET', 'pet');
  await mockMethod(mine, 'GET', 'mine');
  await mockMethod(proxy, 'ANY', 'proxy');
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test');
});

const route = async (path: string, init: RequestInit = {}) => {
  const r = await invoke(restApiId, 'test', path, init);
  assert.equal(r.status, 200, `${path}: ${r.body}`);
  return JSON.parse(r.body) as { route: string; method: string; params: string };
};

describe('routing', () => {
  it('prefers literal segments, then {param}, then {proxy+}, and a method over ANY', async () => {
    assert.equal((await route('/')).route, 'root');
    assert.equal((await route('/pets')).route, 'pets');
    assert.equal((await route('/pets', { method: 'POST' })).route, 'pets-any');
    assert.equal((await route('/pets/mine')).route, 'mine');
    assert.equal((await route('/pets/42')).route, 'pet');
    assert.equal((await route('/pets/42/toys')).route, 'proxy');
    assert.equal((await route('/other/a/b')).route, 'proxy');
  });

  it('decodes path parameters and ignores a trailing slash', async () => {
    assert.match((await route('/pets/a%20b')).params, /petId=a b/);
    assert.equal((await route('/pets/')).route, 'pets');
  });

  it('answers on the host-style invoke URL too', async () => {
    // fetch may not set Host; undici's request can.
    const res = await request(`${workerEndpoint}/test/pets/mine`, { headers: { host: `${restApiId}.execute-api.localhost:4568` } });
    assert.equal(res.statusCode, 200);
    assert.equal(((await res.body.json()) as { route: string }).route, 'mine');
  });

  it('answers 403 Missing Authentication Token where nothing is routed, and Forbidden for unknown stages', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'sparse' }));
    const id = api.id!;
    const pets = (await client.send(new CreateResourceCommand({ restApiId: id, parentId: api.rootResourceId, pathPart: 'pets' }))).id!;
    await client.send(new PutMethodCommand({ restApiId: id, resourceId: pets, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: id, resourceId: pets, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId: id, resourceId: pets, httpMethod: 'GET', statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId: pets, httpMethod: 'GET', statusCode: '200', selectionPattern: '' }));
    await client.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    await waitForStage(id, 'dev', '/pets');
    for (const [path, method] of [['/nothing', 'GET'], ['/pets', 'POST'], ['/', 'GET'], ['/Pets', 'GET']] as const) {
      const r = await invoke(id, 'dev', path, { method });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.body, '{"message":"Missing Authentication Token"}');
      assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    }
    const unknownStage = await invoke(id, 'nope', '/pets');
    assert.equal(unknownStage.status, 403);
    assert.equal(unknownStage.body, '{"message":"Forbidden"}');

    await client.send(new PutGatewayResponseCommand({
      restApiId: id, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404',
      responseParameters: { 'gatewayresponse.header.x-where': 'method.request.header.x-from', 'gatewayresponse.header.x-static': "'portico'" },
      responseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage"}' },
    }));
    await client.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    const deadline = Date.now() + 3000;
    let r = await invoke(id, 'dev', '/nothing', { headers: { 'x-from': 'test' } });
    while (r.status !== 404 && Date.now() < deadline) r = await invoke(id, 'dev', '/nothing', { headers: { 'x-from': 'test' } });
    assert.equal(r.status, 404);
    assert.deepEqual(JSON.parse(r.body), { error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'dev' });
    assert.equal(r.headers.get('x-where'), 'test');
    assert.equal(r.headers.get('x-static'), 'portico');
  });
});
