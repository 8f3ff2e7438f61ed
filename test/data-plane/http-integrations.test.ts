// HTTP and HTTP_PROXY integrations end to end, as the Developer Guide's "Build an API with HTTP
// proxy integration" and "HTTP custom integration" walkthroughs set them up, against a backend this
// test runs on loopback: greedy paths, query strings and multi-value headers passed through,
// integration responses, timeouts (504) and unreachable backends (502), binary payloads, and
// compression in both directions.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { request } from 'undici';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, workerEndpoint } from '../helpers/invoke.js';

const client = newClient();
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x80, 0x7f]);
let restApiId: string;
let backend: Server;
let backendUrl: string;
let connections = 0;

/** What the backend saw of a call: it answers every echo path with this. */
type Echo = { method: string; url: string; headers: Record<string, string[]>; body: string };

function echo(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) (headers[req.rawHeaders[i]!.toLowerCase()] ??= []).push(req.rawHeaders[i + 1]!);
  const answer: Echo = { method: req.method!, url: req.url!, headers, body: body.toString('utf8') };
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'x-backend': 'yes', server: 'test-backend' });
  res.end(JSON.stringify(answer));
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  const path = req.url!.split('?')[0]!;
  if (path === '/slow') setTimeout(() => res.end('late'), 1000);
  else if (path === '/reset') req.socket.destroy();
  else if (path === '/garbage') req.socket.end('this is not HTTP\r\n\r\n');
  else if (path === '/status/418') res.writeHead(418, { 'content-type': 'application/json' }).end('{"error": "teapot"}');
  else if (path === '/pets') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1, type: 'dog' }, { id: 2, type: 'cat' }]));
  else if (path === '/image') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  else if (path === '/image-base64') res.writeHead(200, { 'content-type': 'text/plain' }).end(png.toString('base64'));
  else if (path === '/mirror') res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' }).end(body);
  else if (path === '/large') res.writeHead(200, { 'content-type': 'text/plain' }).end('pets '.repeat(400));
  else echo(req, res, body);
}

async function startBackend(): Promise<void> {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  backend.on('connection', () => connections++);
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function resource(parentId: string, pathPart: string): Promise<string> {
  return (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
}

async function method(resourceId: string, httpMethod: string, integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>, requestParameters?: Record<string, boolean>) {
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE', requestParameters }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, ...integration }));
}

async function proxyMethod(resourceId: string, uri: string, extra: Partial<PutIntegrationCommandInput> = {}) {
  await method(resourceId, 'ANY', { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri, ...extra });
}

/** A custom HTTP integration whose responses all pass through as 200, or as mapped. */
async function customMethod(resourceId: string, httpMethod: string, uri: string, extra: Partial<PutIntegrationCommandInput> = {}, responseExtra: Record<string, unknown> = {}) {
  await method(resourceId, httpMethod, { type: 'HTTP', integrationHttpMethod: httpMethod, uri, ...extra });
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200', ...responseExtra }));
}

before(async () => {
  await startBackend();
  const api = await client.send(new CreateRestApiCommand({ name: 'http-integrations', binaryMediaTypes: ['image/png'], minimumCompressionSize: 1000 }));
  restApiId = api.id!;
  const root = api.rootResourceId!;

  // The guide's proxy resource: {proxy+} with ANY, its path parameter mapped into the URI.
  const proxy = await resource(root, '{proxy+}');
  await method(proxy, 'ANY', {
    type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${backendUrl}/{proxy}`,
    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
  }, { 'method.request.path.proxy': true });

  const unmapped = await resource(root, 'unmapped');
  await proxyMethod(await resource(unmapped, '{rest+}'), `${backendUrl}/echo/{rest}`);
  await proxyMethod(await resource(root, 'slow'), `${backendUrl}/slow`, { timeoutInMillis: 100 });
  await proxyMethod(await resource(root, 'down'), `http://127.0.0.1:${await closedPort()}/`);
  await proxyMethod(await resource(root, 'reset'), `${backendUrl}/reset`);
  await proxyMethod(await resource(root, 'garbage'), `${backendUrl}/garbage`);

  // The custom integration: the backend's pets reshaped by a response template; 4xx selected by pattern.
  const pets = await resource(root, 'pets');
  await method(pets, 'GET', {
    type: 'HTTP', integrationHttpMethod: 'GET', uri: `${backendUrl}/pets`,
    requestParameters: { 'integration.request.querystring.type': 'method.request.querystring.type', 'integration.request.header.x-tenant': "'acme'" },
  }, { 'method.request.querystring.type': false });
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId: pets, httpMethod: 'GET', statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId: pets, httpMethod: 'GET', statusCode: '200',
    responseTemplates: { 'application/json': '#set($pets = $input.path(\'$\'))[#foreach($pet in $pets)"$pet.type"#if($foreach.hasNext),#end#end]' },
  }));
  const teapot = await resource(root, 'teapot');
  await method(teapot, 'GET', { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${backendUrl}/status/418` });
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId: teapot, httpMethod: 'GET', statusCode: '200' }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId: teapot, httpMethod: 'GET', statusCode: '400' }));
  await client.send(new PutIntegrationResponseCommand({ restApiId, resourceId: teapot, httpMethod: 'GET', statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId: teapot, httpMethod: 'GET', statusCode: '400', selectionPattern: '4\\d{2}',
    responseTemplates: { 'application/json': '{"backendSaid": $input.json(\'$.error\')}' },
  }));
  const echoed = await resource(root, 'echo');
  await customMethod(echoed, 'POST', `${backendUrl}/echo`, { requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\')}' } });

  // Binary payloads through custom integrations.
  await customMethod(await resource(root, 'upload-as-text'), 'POST', `${backendUrl}/echo`, { contentHandling: 'CONVERT_TO_TEXT' });
  await customMethod(await resource(root, 'image'), 'GET', `${backendUrl}/image`);
  await customMethod(await resource(root, 'image-from-base64'), 'GET', `${backendUrl}/image-base64`, {}, { contentHandling: 'CONVERT_TO_BINARY' });

  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test');
});

after(() => new Promise<void>((resolve) => backend.close(() => resolve())));

/** Calls the stage with undici, which (unlike fetch) neither decompresses nor merges anything. */
async function call(path: string, options: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string } = {}) {
  const res = await request(`${workerEndpoint}/restapis/${restApiId}/test/_user_request_${path}`, {
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers,
    body: options.body,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') };
}

const echoOf = (text: string) => JSON.parse(text) as Echo;

describe('HTTP_PROXY: the proxy resource', () => {
  it('passes the greedy path, the method, query strings and the body through', async () => {
    const res = await call('/pets/42/toys?color=red&color=blue&size=s', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"ball"}' });
    assert.equal(res.status, 200, res.text);
    const seen = echoOf(res.text);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/pets/42/toys?color=red&color=blue&size=s');
    assert.equal(seen.body, '{"name":"ball"}');
    assert.deepEqual(seen.headers['content-type'], ['application/json']);
  });

  it('passes multi-value headers, drops hop-by-hop headers and adds its own', async () => {
    const res = await call('/headers', { headers: { 'x-multi': ['one', 'two'], 'proxy-authorization': 'Basic abc', 'max-forwards': '3', 'user-agent': 'test/1.0' } });
    const seen = echoOf(res.text);
    assert.deepEqual(seen.headers['x-multi'], ['one', 'two']);
    assert.equal(seen.headers['proxy-authorization'], undefined);
    assert.equal(seen.headers['max-forwards'], undefined);
    assert.deepEqual(seen.headers['user-agent'], ['test/1.0']);
    assert.deepEqual(seen.headers['x-amzn-apigateway-api-id'], [restApiId]);
    assert.match(seen.headers['x-amzn-trace-id']![0]!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(seen.headers.host![0], backendUrl.slice('http://'.length), 'the backend is called by its own host name');
  });

  it("returns the backend's status, headers (multi-value, remapped where API Gateway owns them) and body", async () => {
    const res = await call('/status/418');
    assert.equal(res.status, 418);
    assert.equal(res.text, '{"error": "teapot"}');
    const echoed = await call('/anything');
    assert.deepEqual(echoed.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(echoed.headers['x-backend'], 'yes');
    assert.equal(echoed.headers['x-amzn-remapped-server'], 'test-backend');
    assert.ok(echoed.headers['x-amzn-remapped-date']);
    assert.ok(echoed.headers['x-amzn-requestid']);
  });

  it('substitutes the path parameters of the method request into the URI', async () => {
    const res = await call('/unmapped/a%20b/c');
    assert.equal(echoOf(res.text).url, '/echo/a%20b/c');
  });

  it('reuses pooled connections to the backend across requests', async () => {
    await call('/warm');
    const before = connections;
    for (let i = 0; i < 5; i++) assert.equal((await call(`/again/${i}`)).status, 200);
    assert.equal(connections - before, 0);
  });
});

describe('HTTP: the custom integration', () => {
  it('maps the request and the response with the integration response', async () => {
    const res = await invoke(restApiId, 'test', '/pets?type=dog');
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), ['dog', 'cat']);
  });

  it('selects the integration response by the status code', async () => {
    const res = await invoke(restApiId, 'test', '/teapot');
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { backendSaid: 'teapot' });
  });

  it('sends the mapped parameters and the rendered template with API Gateway headers', async () => {
    const res = await call('/echo?ignored=1', { method: 'POST', headers: { 'content-type': 'application/json', 'x-not-mapped': 'x' }, body: '{"a": 1}' });
    assert.equal(res.status, 200, res.text);
    const seen = echoOf(res.text);
    assert.equal(seen.url, '/echo');
    assert.deepEqual(JSON.parse(seen.body), { wrapped: { a: 1 } });
    assert.equal(seen.headers['x-not-mapped'], undefined);
    assert.deepEqual(seen.headers['user-agent'], [`AmazonAPIGateway_${restApiId}`]);
    assert.deepEqual(seen.headers.accept, ['application/json']);
  });
});

describe('integration failures', () => {
  it('answers 504 when the backend takes longer than timeoutInMillis', async () => {
    const started = Date.now();
    const res = await invoke(restApiId, 'test', '/slow');
    assert.equal(res.status, 504);
    assert.deepEqual(JSON.parse(res.body), { message: 'Endpoint request timed out' });
    assert.ok(Date.now() - started < 900, 'answered at the timeout, not when the backend did');
  });

  it('answers 502 when the backend is unreachable, resets the connection or does not speak HTTP', async () => {
    for (const path of ['/down', '/reset', '/garbage']) {
      const res = await invoke(restApiId, 'test', path);
      assert.equal(res.status, 502, path);
      assert.deepEqual(JSON.parse(res.body), { message: 'Internal server error' }, path);
    }
  });
});

describe('binary payloads', () => {
  it('passes binary bodies through HTTP_PROXY untouched, both ways', async () => {
    const res = await call('/mirror', { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.deepEqual(res.body, png);
  });

  it('CONVERT_TO_TEXT sends a binary request body base64-encoded', async () => {
    const res = await call('/upload-as-text', { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    assert.equal(res.status, 200, res.text);
    assert.equal(echoOf(res.text).body, png.toString('base64'));
  });

  it('returns a binary response as binary when the client accepts it, else base64-encoded', async () => {
    assert.deepEqual((await call('/image', { headers: { accept: 'image/png' } })).body, png);
    assert.equal((await call('/image', { headers: { accept: 'application/json' } })).text, png.toString('base64'));
  });

  it('CONVERT_TO_BINARY decodes a base64 integration response', async () => {
    assert.deepEqual((await call('/image-from-base64', { headers: { accept: 'application/json' } })).body, png);
  });
});

describe('compression', () => {
  it('compresses responses of at least minimumCompressionSize bytes as Accept-Encoding prefers', async () => {
    const gzip = await call('/large', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzip.body).toString(), 'pets '.repeat(400));
    const deflate = await call('/large', { headers: { 'accept-encoding': 'deflate;q=1, gzip;q=0.5' } });
    assert.equal(deflate.headers['content-encoding'], 'deflate');
    assert.equal(inflateSync(deflate.body).toString(), 'pets '.repeat(400));
  });

  it('leaves small responses, identity and clients without Accept-Encoding uncompressed', async () => {
    assert.equal((await call('/status/418', { headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding'], undefined);
    assert.equal((await call('/large', { headers: { 'accept-encoding': 'identity' } })).headers['content-encoding'], undefined);
    const plain = await call('/large');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.text, 'pets '.repeat(400));
  });

  it('decompresses a gzip request body before passing it on', async () => {
    const res = await call('/compressed', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"zipped": true}') });
    assert.equal(res.status, 200, res.text);
    const seen = echoOf(res.text);
    assert.equal(seen.body, '{"zipped": true}');
    assert.equal(seen.headers['content-encoding'], undefined);
  });

  it('refuses a body not in its declared coding with 415', async () => {
    const res = await call('/compressed', { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: 'plain' });
    assert.equal(res.status, 415);
    assert.deepEqual(JSON.parse(res.text), { message: 'Unsupported Media Type' });
  });
});

describe('payload limit', () => {
  it('refuses a request body over 10 MB with 413', async () => {
    const res = await call('/anything', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });
    assert.equal(res.status, 413);
    assert.equal(res.text, 'HTTP content length exceeded 10485760 bytes.');
  });
});
