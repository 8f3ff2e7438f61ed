// Imported APIs served by the worker: the PetStore example (its HTTP backend replaced by a loopback
// server answering the same paths), a MOCK echo with a path parameter, request validation with
// circular models, and an HTTP proxy whose URI is built from stage variables.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateDeploymentCommand, CreateStageCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const reference = new URL('../../../shared/reference/openapi-fixtures/', import.meta.url).pathname;
const skip = existsSync(reference) ? false : `the shared reference fixtures (${reference}) are not present`;
const fixture = (name: string) => readFileSync(`${reference}${name}`, 'utf8');

const pets = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
];

let backend: Server;
let backendUrl: string;

before(async () => {
  backend = createServer((req, res) => {
    const url = new URL(req.url!, 'http://backend');
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const match = /^\/petstore\/pets(?:\/(\d+))?$/.exec(url.pathname);
      if (match?.[1]) res.end(JSON.stringify(pets.find((p) => p.id === Number(match[1])) ?? {}));
      else if (match && req.method === 'POST') res.end(JSON.stringify({ pet: JSON.parse(body || '{}'), message: 'success' }));
      else if (match) res.end(JSON.stringify(pets.filter((p) => !url.searchParams.get('type') || p.type === url.searchParams.get('type'))));
      else res.end(JSON.stringify({ method: req.method, path: url.pathname, args: Object.fromEntries(url.searchParams) }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});

after(() => backend.close());

async function importAndDeploy(body: string, stageName = 'test') {
  const client = newClient();
  const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body), failOnWarnings: true }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
  return { client, restApiId: api.id! };
}

describe('Imported APIs on the worker', { skip }, () => {
  it('serves the imported PetStore example', async () => {
    const { restApiId } = await importAndDeploy(fixture('petstore-swagger.json').replaceAll('${uri}', `${backendUrl}/petstore/pets`));
    const home = await waitForStage(restApiId, 'test', '/', 10000);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/html');
    assert.match(home.body, /Welcome to your Pet Store API/);

    const list = await invoke(restApiId, 'test', '/pets?type=cat');
    assert.equal(list.status, 200);
    assert.deepEqual(JSON.parse(list.body), [pets[1]]);
    assert.equal(list.headers.get('access-control-allow-origin'), '*');

    const one = await invoke(restApiId, 'test', '/pets/1');
    assert.deepEqual(JSON.parse(one.body), pets[0]);

    const created = await invoke(restApiId, 'test', '/pets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"cat","price":123.11}' });
    assert.equal(created.status, 200);
    assert.deepEqual(JSON.parse(created.body), { pet: { type: 'cat', price: 123.11 }, message: 'success' });

    const preflight = await invoke(restApiId, 'test', '/pets', { method: 'OPTIONS' });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST,GET,OPTIONS');
  });

  it('serves a MOCK integration on an ANY method with a path parameter', async () => {
    const { restApiId } = await importAndDeploy(fixture('openapi-mock.json'));
    const response = await waitForStage(restApiId, 'test', '/echo/hello', 10000);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { echo: 'hello', response: 'mocked' });
    const deleted = await invoke(restApiId, 'test', '/echo/bye', { method: 'DELETE' });
    assert.deepEqual(JSON.parse(deleted.body), { echo: 'bye', response: 'mocked' });
  });

  it('validates request bodies against imported circular models, as AWS did', async () => {
    const { restApiId } = await importAndDeploy(fixture('openapi.spec.circular-ref-with-request-body.json'));
    await waitForStage(restApiId, 'test', '/person', 10000);
    const post = (body: unknown) => invoke(restApiId, 'test', '/person', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = await post({ name: 'Person1', b: 2, house: { randomProperty: 'this is random', contains: [{ name: 'Person2', b: 3 }] } });
    assert.equal(good.status, 200);
    const missing = await post({ random: 'blabla' });
    assert.equal(missing.status, 400);
    assert.equal(JSON.parse(missing.body).message, 'Invalid request body');
    const nested = await post({ name: 'Person1', b: 2, house: { randomProperty: 'r', contains: [{ randomObject: 'not a person' }] } });
    assert.equal(nested.status, 400);
    assert.equal(JSON.parse(nested.body).message, 'Invalid request body');
  });

  it('calls an HTTP proxy whose URI comes from stage variables, and fails without them', async () => {
    const { client, restApiId } = await importAndDeploy(fixture('openapi.spec.stage-variables.json').replaceAll('https://', 'http://'), 'unused');
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId }));
    await client.send(
      new CreateStageCommand({
        restApiId,
        stageName: 'v1',
        deploymentId: deployment.id,
        variables: { TestHost: backendUrl.slice('http://'.length), testPath: 'test-path', querystring: 'qs_key=qs_value' },
      }),
    );
    const response = await waitForStage(restApiId, 'v1', '/path1', 10000);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { method: 'POST', path: '/test-path', args: { qs_key: 'qs_value' } });
    await client.send(new CreateStageCommand({ restApiId, stageName: 'v2', deploymentId: deployment.id }));
    const failed = await waitForStage(restApiId, 'v2', '/path1', 10000);
    assert.equal(failed.status, 500);
    assert.deepEqual(JSON.parse(failed.body), { message: 'Internal server error' });
  });
});
