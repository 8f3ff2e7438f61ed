// The Developer Guide's walkthroughs that need no Lambda, driven with the AWS CLI exactly as a user
// types them (`aws apigateway ... --endpoint-url`), then called over HTTP on the worker: HTTP proxy
// integration, HTTP custom integration, mock integration, and the PetStore example built by hand.
// The guide's PetStore backend is replaced by a loopback server answering the same paths.
// Skipped, visibly, where the AWS CLI is not installed.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { aws, awsCliSkip } from '../helpers/aws-cli.js';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const skip = awsCliSkip;

/** The guide's PetStore backend (`petstore-demo-endpoint.execute-api.com`), on loopback. */
const pets = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'fish', price: 0.99 },
];
let backend: Server;
let backendUrl: string;
const seen: string[] = [];

async function startPetStore(): Promise<void> {
  backend = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const url = new URL(req.url!, 'http://petstore');
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const one = /^\/petstore\/pets\/([^/]+)$/.exec(url.pathname);
      if (url.pathname === '/petstore/pets' && req.method === 'GET') {
        const type = url.searchParams.get('type');
        json(200, type ? pets.filter((p) => p.type === type) : pets);
      } else if (url.pathname === '/petstore/pets' && req.method === 'POST') {
        json(200, { pet: JSON.parse(body || '{}'), message: 'success' });
      } else if (one && req.method === 'GET') {
        const pet = pets.find((p) => String(p.id) === one[1]);
        if (pet) json(200, pet);
        else json(404, { message: 'pet not found' });
      } else json(404, { message: 'no such path' });
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

/** A new API in a new account; answers its id, root resource id and the account. */
async function newApi(name: string) {
  const account = randomAccountId();
  const api = await aws(account, 'create-rest-api', '--name', name);
  return { account, restApiId: api.id as string, rootId: api.rootResourceId as string };
}

describe('Developer Guide walkthroughs with the AWS CLI', { skip, concurrency: true }, () => {
  before(startPetStore);
  after(() => backend?.close());

  it('Build an API with HTTP proxy integration', async () => {
    const { account, restApiId, rootId } = await newApi('HTTPProxyAPI');
    const proxy = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', '{proxy+}');
    assert.equal(proxy.path, '/{proxy+}');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', proxy.id, '--http-method', 'ANY',
      '--authorization-type', 'NONE', '--request-parameters', 'method.request.path.proxy=true');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', proxy.id, '--http-method', 'ANY',
      '--type', 'HTTP_PROXY', '--integration-http-method', 'ANY', '--uri', `${backendUrl}/{proxy}`,
      '--request-parameters', '{"integration.request.path.proxy":"method.request.path.proxy"}');
    const deployment = await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test');
    assert.match(deployment.id, /^[a-z0-9]{6}$/);

    const fish = await waitForStage(restApiId, 'test', '/petstore/pets?type=fish');
    assert.equal(fish.status, 200, fish.body);
    assert.deepEqual(JSON.parse(fish.body), [pets[2]]);
    const dog = await invoke(restApiId, 'test', '/petstore/pets/1');
    assert.deepEqual([dog.status, JSON.parse(dog.body)], [200, pets[0]]);
    const created = await invoke(restApiId, 'test', '/petstore/pets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "dog", "price": 249.99}' });
    assert.deepEqual(JSON.parse(created.body), { pet: { type: 'dog', price: 249.99 }, message: 'success' });
    const missing = await invoke(restApiId, 'test', '/petstore/pets/99');
    assert.deepEqual([missing.status, JSON.parse(missing.body)], [404, { message: 'pet not found' }], 'proxy passes the backend status through');
  });

  it('Build an API with HTTP custom integration (query and path mappings, a response template)', async () => {
    const { account, restApiId, rootId } = await newApi('HTTPCustomAPI');
    const petsRes = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'pets');
    const petRes = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', petsRes.id, '--path-part', '{petId}');

    // GET /pets?type=&page= → GET {backend}/petstore/pets with both query strings mapped.
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', petsRes.id, '--http-method', 'GET',
      '--authorization-type', 'NONE', '--request-parameters', 'method.request.querystring.type=false,method.request.querystring.page=false');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', petsRes.id, '--http-method', 'GET',
      '--type', 'HTTP', '--integration-http-method', 'GET', '--uri', `${backendUrl}/petstore/pets`,
      '--request-parameters', JSON.stringify({ 'integration.request.querystring.type': 'method.request.querystring.type', 'integration.request.querystring.page': 'method.request.querystring.page' }));
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', petsRes.id, '--http-method', 'GET', '--status-code', '200');
    // The guide's "transform the response" template: the backend's pets reshaped.
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '[',
      '#foreach($elem in $inputRoot)',
      '  {',
      '    "description" : "Item $elem.id is a $elem.type.",',
      '    "askingPrice" : $elem.price',
      '  }#if($foreach.hasNext),#end',
      '',
      '#end',
      ']',
    ].join('\n');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', petsRes.id, '--http-method', 'GET',
      '--status-code', '200', '--selection-pattern', '', '--response-templates', JSON.stringify({ 'application/json': template }));

    // GET /pets/{petId} → GET {backend}/petstore/pets/{id}, the path parameter renamed on the way.
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', petRes.id, '--http-method', 'GET',
      '--authorization-type', 'NONE', '--request-parameters', 'method.request.path.petId=true');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', petRes.id, '--http-method', 'GET',
      '--type', 'HTTP', '--integration-http-method', 'GET', '--uri', `${backendUrl}/petstore/pets/{id}`,
      '--request-parameters', '{"integration.request.path.id":"method.request.path.petId"}');
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', petRes.id, '--http-method', 'GET', '--status-code', '200');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', petRes.id, '--http-method', 'GET',
      '--status-code', '200', '--selection-pattern', '');
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test', '--stage-description', 'Test stage');

    const list = await waitForStage(restApiId, 'test', '/pets?type=cat&page=2');
    assert.equal(list.status, 200, list.body);
    assert.deepEqual(JSON.parse(list.body), [{ description: 'Item 2 is a cat.', askingPrice: 124.99 }]);
    assert.ok(seen.some((s) => /^GET \/petstore\/pets\?(type=cat&page=2|page=2&type=cat)$/.test(s)), `backend saw ${seen.join(', ')}`);
    const all = JSON.parse((await invoke(restApiId, 'test', '/pets')).body);
    assert.equal(all.length, 3);
    const one = await invoke(restApiId, 'test', '/pets/3');
    assert.deepEqual([one.status, JSON.parse(one.body)], [200, pets[2]]);
    const unknownMethod = await invoke(restApiId, 'test', '/pets', { method: 'DELETE' });
    assert.deepEqual([unknownMethod.status, JSON.parse(unknownMethod.body)], [403, { message: 'Missing Authentication Token' }]);

    const stage = await aws(account, 'get-stage', '--rest-api-id', restApiId, '--stage-name', 'test');
    assert.equal(stage.description, 'Test stage');
  });

  it('Set up mock integrations (status chosen by the request template, 5xx by selection pattern)', async () => {
    const { account, restApiId, rootId } = await newApi('MockAPI');
    const res = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'mock');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET',
      '--authorization-type', 'NONE', '--request-parameters', 'method.request.querystring.scope=false');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--type', 'MOCK',
      '--request-templates', JSON.stringify({ 'application/json': '#if( $input.params(\'scope\') == "internal" )\n{"statusCode": 200}\n#else\n{"statusCode": 500}\n#end' }));
    for (const statusCode of ['200', '500']) {
      await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--status-code', statusCode);
    }
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--status-code', '200',
      '--response-templates', JSON.stringify({ 'application/json': '{"statusCode": 200, "message": "Go ahead without me"}' }));
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--status-code', '500',
      '--selection-pattern', '5\\d{2}', '--response-templates', JSON.stringify({ 'application/json': '{"statusCode": 500, "message": "The invoked method is not supported on the API resource."}' }));
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test');

    const internal = await waitForStage(restApiId, 'test', '/mock?scope=internal');
    assert.deepEqual([internal.status, JSON.parse(internal.body)], [200, { statusCode: 200, message: 'Go ahead without me' }]);
    const external = await invoke(restApiId, 'test', '/mock');
    assert.deepEqual([external.status, JSON.parse(external.body)], [500, { statusCode: 500, message: 'The invoked method is not supported on the API resource.' }]);
  });

  it('The PetStore example built by hand (HTML root, list, get, create, CORS preflight)', async () => {
    const { account, restApiId, rootId } = await newApi('PetStore');
    const a = (...args: string[]) => aws(account, ...args, '--rest-api-id', restApiId);

    // GET / : a MOCK answering the welcome page as text/html.
    await a('put-method', '--resource-id', rootId, '--http-method', 'GET', '--authorization-type', 'NONE');
    await a('put-integration', '--resource-id', rootId, '--http-method', 'GET', '--type', 'MOCK', '--request-templates', '{"application/json":"{\\"statusCode\\": 200}"}');
    await a('put-method-response', '--resource-id', rootId, '--http-method', 'GET', '--status-code', '200',
      '--response-parameters', 'method.response.header.Content-Type=false', '--response-models', 'text/html=Empty');
    await a('put-integration-response', '--resource-id', rootId, '--http-method', 'GET', '--status-code', '200',
      '--response-parameters', `{"method.response.header.Content-Type":"'text/html'"}`,
      '--response-templates', '{"text/html":"<html><body><h1>Welcome to your Pet Store API</h1></body></html>"}');

    const petsRes = await a('create-resource', '--parent-id', rootId, '--path-part', 'pets');
    const petRes = await a('create-resource', '--parent-id', petsRes.id, '--path-part', '{petId}');
    const cors = JSON.stringify({
      'method.response.header.Access-Control-Allow-Origin': "'*'",
    });
    for (const [resourceId, httpMethod, uri, params, mappings] of [
      [petsRes.id, 'GET', `${backendUrl}/petstore/pets`, 'method.request.querystring.type=false,method.request.querystring.page=false',
        { 'integration.request.querystring.type': 'method.request.querystring.type', 'integration.request.querystring.page': 'method.request.querystring.page' }],
      [petsRes.id, 'POST', `${backendUrl}/petstore/pets`, undefined, undefined],
      [petRes.id, 'GET', `${backendUrl}/petstore/pets/{petId}`, 'method.request.path.petId=true', { 'integration.request.path.petId': 'method.request.path.petId' }],
    ] as const) {
      await a('put-method', '--resource-id', resourceId, '--http-method', httpMethod, '--authorization-type', 'NONE', ...(params ? ['--request-parameters', params] : []));
      await a('put-integration', '--resource-id', resourceId, '--http-method', httpMethod, '--type', 'HTTP', '--integration-http-method', httpMethod,
        '--uri', uri, ...(mappings ? ['--request-parameters', JSON.stringify(mappings)] : []));
      await a('put-method-response', '--resource-id', resourceId, '--http-method', httpMethod, '--status-code', '200',
        '--response-parameters', 'method.response.header.Access-Control-Allow-Origin=false', '--response-models', 'application/json=Empty');
      await a('put-integration-response', '--resource-id', resourceId, '--http-method', httpMethod, '--status-code', '200', '--response-parameters', cors);
    }

    // OPTIONS /pets : the CORS preflight as the console's "Enable CORS" builds it.
    await a('put-method', '--resource-id', petsRes.id, '--http-method', 'OPTIONS', '--authorization-type', 'NONE');
    await a('put-integration', '--resource-id', petsRes.id, '--http-method', 'OPTIONS', '--type', 'MOCK', '--request-templates', '{"application/json":"{\\"statusCode\\": 200}"}');
    await a('put-method-response', '--resource-id', petsRes.id, '--http-method', 'OPTIONS', '--status-code', '200', '--response-parameters',
      'method.response.header.Access-Control-Allow-Origin=false,method.response.header.Access-Control-Allow-Methods=false,method.response.header.Access-Control-Allow-Headers=false');
    await a('put-integration-response', '--resource-id', petsRes.id, '--http-method', 'OPTIONS', '--status-code', '200', '--response-parameters', JSON.stringify({
      'method.response.header.Access-Control-Allow-Origin': "'*'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'",
    }));

    const resources = await a('get-resources', '--embed', 'methods');
    assert.deepEqual(resources.items.map((r: { path: string }) => r.path).sort(), ['/', '/pets', '/pets/{petId}']);
    await a('create-deployment', '--stage-name', 'prod', '--description', 'first deployment');

    const home = await waitForStage(restApiId, 'prod', '/');
    assert.deepEqual([home.status, home.headers.get('content-type'), home.body], [200, 'text/html', '<html><body><h1>Welcome to your Pet Store API</h1></body></html>']);
    const list = await invoke(restApiId, 'prod', '/pets?type=dog');
    assert.deepEqual([list.status, JSON.parse(list.body), list.headers.get('access-control-allow-origin')], [200, [pets[0]], '*']);
    const one = await invoke(restApiId, 'prod', '/pets/2');
    assert.deepEqual(JSON.parse(one.body), pets[1]);
    const created = await invoke(restApiId, 'prod', '/pets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "cat", "price": 50}' });
    assert.deepEqual(JSON.parse(created.body), { pet: { type: 'cat', price: 50 }, message: 'success' });
    const preflight = await invoke(restApiId, 'prod', '/pets', { method: 'OPTIONS' });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,POST,OPTIONS');

    const deployments = await a('get-deployments');
    assert.deepEqual(deployments.items.map((d: { description: string }) => d.description), ['first deployment']);
  });
});
