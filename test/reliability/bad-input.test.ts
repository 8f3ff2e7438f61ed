// Bad input on the data plane: malformed HTTP on raw sockets, oversized headers and bodies, invalid
// JSON against a validator, `..` and encoded separators in path parameters, CR/LF through parameter
// mappings, and mapping templates that try to loop forever or allocate without bound. Each gets an
// answer, never a crash or a hang, and after each the worker still answers its health call and a
// deployed method with 200. (The management API's own fuzzer is test/control-plane/malformed-input.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateModelCommand, CreateRequestValidatorCommand } from '@aws-sdk/client-api-gateway';
import { call, deployApi, mockRoute, waitFor, type Route } from './helpers/apis.js';
import { clientFor, killAll, randomAccountId, startControlPlaneProcess, startWorkerProcess, type PorticoProcess } from './helpers/processes.js';

const CLUSTER_SECRET = 'bad-input-cluster-secret';

/** Sends raw bytes, returns what came back until the server closed, `idleMs` of silence before any answer or `afterMs` after it. */
function raw(port: number, bytes: string | Buffer, idleMs = 3000, afterMs = 500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timer = setTimeout(() => socket.destroy(), idleMs);
    socket.on('data', (c) => {
      chunks.push(c);
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), afterMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}

/** Sends a chunked body without end until the server closes the connection or `limit` bytes are sent. */
function flood(port: number, path: string, limit: number): Promise<{ response: string; sent: number; answeredMs: number; closedMs: number; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 'c'), Buffer.from('\r\n')]);
    const chunks: Buffer[] = [];
    let sent = 0;
    let answeredMs = -1;
    let closedByServer = true;
    const pump = () => {
      while (!socket.destroyed && socket.writable) {
        if (sent >= limit) {
          closedByServer = false;
          socket.destroy();
          return;
        }
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('data', (c) => {
      if (answeredMs < 0) answeredMs = Date.now() - started;
      chunks.push(c);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ response: Buffer.concat(chunks).toString('latin1'), sent, answeredMs, closedMs: Date.now() - started, closedByServer }));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
    pump();
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

/** What the echo backend received. */
type Echo = { url: string; headers: Record<string, string | string[]> };

function echoBackend(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const out = new URL(req.url ?? '/', 'http://x').searchParams.get('out');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ url: req.url, headers: req.headers, out }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

const templates: Record<string, string> = {
  nested: '#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])x#end#end#end',
  doubling: '#set($s = "xxxxxxxxxxxxxxxx")#foreach($i in [1..64])#set($s = "$s$s")#end$s',
  'huge-range': '#foreach($i in [1..2000000000])x#end',
  'growing-list': '#set($l = [1])#foreach($i in $l)#set($d = $l.add($i))#end',
  recursion: '#macro(f)#f()#end#f()',
};

describe('bad input on the data plane', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bad-input-'));
  let backend: Awaited<ReturnType<typeof echoBackend>>;
  let worker: PorticoProcess & { url: string; port: number };
  let restApiId: string;

  async function unharmed(): Promise<void> {
    assert.equal(worker.child.exitCode, null, 'the worker is running');
    const health = await fetch(`${worker.url}/_portico/health`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    const answer = await call(worker.url, restApiId, 'live', '/health', { signal: AbortSignal.timeout(10_000) });
    assert.deepEqual({ status: answer.status, body: answer.body }, { status: 200, body: '{"ok": true}' });
  }

  before(async () => {
    backend = await echoBackend();
    const controlPlane = await startControlPlaneProcess({ dataDir: join(dir, 'cp'), clusterSecret: CLUSTER_SECRET });
    worker = await startWorkerProcess({ controlUrl: controlPlane.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker') });
    const echo = `http://127.0.0.1:${backend.port}`;
    const client = clientFor(controlPlane.url, randomAccountId());
    const routes: Route[] = [
      mockRoute('/health', '{"ok": true}'),
      { ...mockRoute('/validated', '{"valid": true}', 'POST') },
      {
        path: '/files/{proxy+}', httpMethod: 'ANY',
        integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${echo}/base/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } },
        methodParameters: { 'method.request.path.proxy': true },
      },
      {
        path: '/items/{id}',
        integration: { type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo}/base/items/{id}/info`, requestParameters: { 'integration.request.path.id': 'method.request.path.id' } },
        methodParameters: { 'method.request.path.id': true },
        answer: '$input.body',
      },
      {
        path: '/inject',
        integration: {
          type: 'HTTP', integrationHttpMethod: 'GET', uri: `${echo}/inject`,
          requestParameters: { 'integration.request.header.X-In': 'method.request.querystring.q', 'integration.request.querystring.out': 'method.request.querystring.out' },
        },
        methodParameters: { 'method.request.querystring.q': false, 'method.request.querystring.out': false },
        responseParameters: { 'method.response.header.X-Out': 'integration.response.body.out' },
        answer: '$input.body',
      },
      ...Object.entries(templates).map(([name, template]) => mockRoute(`/templates/${name}`, template)),
    ];
    restApiId = await deployApi(client, 'bad-input', routes, 'live', async (id) => {
      const model = await client.send(new CreateModelCommand({
        restApiId: id, name: 'Pet', contentType: 'application/json',
        schema: JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } }),
      }));
      const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'body', validateRequestBody: true }));
      return [{}, { requestValidatorId: validator.id, requestModels: { 'application/json': model.name! } }];
    });
    await waitFor(worker.url, restApiId, 'live', '/health');
  });

  after(async () => {
    await killAll();
    backend?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = () => `/restapis/${restApiId}/live/_user_request_`;

  it('answers malformed HTTP with 400 and closes, on raw sockets', async (t) => {
    const host = `Host: 127.0.0.1:${worker.port}\r\n`;
    const cases: [string, string, number][] = [
      ['garbage request line', 'GARBAGE\r\n\r\n', 400],
      ['unknown HTTP version', `GET ${base()}/health HTTP/7.3\r\n${host}\r\n`, 400],
      ['header without a colon', `GET ${base()}/health HTTP/1.1\r\n${host}NoColonHere\r\n\r\n`, 400],
      ['NUL in a header value', `GET ${base()}/health HTTP/1.1\r\n${host}X-A: a\u0000b\r\n\r\n`, 400],
      ['bare LF line endings with obs-fold', `GET ${base()}/health HTTP/1.1\r\n${host}X-A: a\r\n  folded\r\n\r\n`, 400],
      ['Content-Length and Transfer-Encoding (smuggling)', `POST ${base()}/health HTTP/1.1\r\n${host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n`, 400],
      ['two different Content-Lengths', `POST ${base()}/health HTTP/1.1\r\n${host}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`, 400],
      ['invalid chunk size', `POST ${base()}/health HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n`, 400],
      ['negative Content-Length', `POST ${base()}/health HTTP/1.1\r\n${host}Content-Length: -5\r\n\r\n`, 400],
      ['invalid method token', `G(E)T ${base()}/health HTTP/1.1\r\n${host}\r\n`, 400],
      ['a 20 KB header', `GET ${base()}/health HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['a 100 KB request line', `GET ${base()}/health?${'q'.repeat(100_000)} HTTP/1.1\r\n${host}\r\n`, 431],
      ['3000 headers', `GET ${base()}/health HTTP/1.1\r\n${host}${Array.from({ length: 3000 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`, 431],
    ];
    for (const [name, request, expected] of cases) {
      const response = await raw(worker.port, request);
      assert.equal(statusOf(response), expected, `${name}: ${response.slice(0, 200)}`);
      await unharmed();
    }
    // A request that never finishes its headers holds only its own socket.
    const stalled = connect(worker.port, '127.0.0.1');
    stalled.on('error', () => undefined);
    stalled.write(`GET ${base()}/health HTTP/1.1\r\n${host}X-Slow: `);
    await unharmed();
    stalled.destroy();
    t.diagnostic(`${cases.length} malformed requests: each its 4xx/505, worker unharmed after each`);
  });

  it('refuses oversized bodies with 413, declared, chunked or endless, and closes only that connection', async (t) => {
    // The follow-up calls reuse the client's kept-alive connections: a connection left mid-body
    // after a refusal would hang them, so each is bounded.
    const refused: string[] = [];
    const check = async (name: string, init: RequestInit) => {
      const answer = await call(worker.url, restApiId, 'live', '/health', { ...init, signal: AbortSignal.timeout(15_000) });
      assert.deepEqual({ status: answer.status, body: answer.body, connection: answer.headers.get('connection') }, { status: 413, body: 'HTTP content length exceeded 10485760 bytes.', connection: 'close' }, name);
      for (let i = 0; i < 5; i++) await unharmed();
      refused.push(`${name} in ${answer.ms} ms`);
    };
    await check('declared 10 MB + 1', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });
    // Chunked, with no Content-Length: counted as it arrives.
    const chunks = async function* () {
      for (let i = 0; i < 11; i++) yield Buffer.alloc(1024 * 1024, 'b');
    };
    await check('chunked 11 MB', { method: 'POST', body: chunks() as unknown as BodyInit, duplex: 'half' } as RequestInit);
    // A body that never ends is not read to its end: refused, then the connection is closed by the
    // worker (the flood gives up only at 1 GB).
    const flooded = await flood(worker.port, `${base()}/health`, 1024 ** 3);
    assert.equal(statusOf(flooded.response), 413, flooded.response.slice(0, 200));
    assert.ok(flooded.closedByServer, `the worker closed the flooding connection (after ${flooded.sent >> 20} MB)`);
    await unharmed();
    refused.push(`a never-ending chunked body in ${flooded.answeredMs} ms (connection closed after ${flooded.closedMs} ms, ${flooded.sent >> 20} MB sent)`);
    // A Content-Length far larger than what follows is refused up front, without waiting for the body,
    // and the socket is closed rather than kept waiting for 100 GB.
    const started = Date.now();
    const lying = await raw(worker.port, `POST ${base()}/health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc`, 10_000, 10_000);
    const closedAfter = Date.now() - started;
    assert.equal(statusOf(lying), 413);
    assert.ok(closedAfter < 5000, `socket closed ${closedAfter} ms after the refusal`);
    await unharmed();
    t.diagnostic(`413 with Connection: close for ${refused.join(', ')}; a 100 GB Content-Length refused and its socket closed in ${closedAfter} ms; the worker answered every call after each`);
  });

  it('answers invalid JSON against a validator with 400 Invalid request body', async (t) => {
    const post = (body: string | Buffer) => call(worker.url, restApiId, 'live', '/validated', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body as BodyInit });
    const bodies: [string, string | Buffer][] = [
      ['not JSON', 'not json'],
      ['truncated', '{"name": "a'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['wrong type', '{"name": 5}'],
      ['missing member', '{}'],
      ['an array', '[{"name": "a"}]'],
      ['nested 100,000 deep', '{"name": "a", "tags": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'],
      ['a deep object', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
      ['a huge number', `{"name": "a", "tags": [${'9'.repeat(100_000)}]}`],
      ['100,000 members but not name', `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}`],
      ['raw NUL bytes in strings', '{"name": "a\u0000b", "\u0000": 1, "tags": ["\u0000"]} '],
    ];
    for (const [name, body] of bodies) {
      const answer = await post(body);
      assert.deepEqual({ status: answer.status, body: JSON.parse(answer.body), type: answer.headers.get('x-amzn-errortype') }, { status: 400, body: { message: 'Invalid request body' }, type: 'BadRequestException' }, name);
      await unharmed();
    }
    assert.equal((await post('{"name": "rex"}')).status, 200);
    t.diagnostic(`${bodies.length} invalid or hostile bodies against a model: 400 each, worker unharmed`);
  });

  it('keeps `..` and encoded separators in path parameters below the integration URI', async (t) => {
    const paths = [
      '/files/../../secret', '/files/a/../../../secret', '/files/%2E%2E/%2E%2E/secret', '/files/%2e%2e%2f%2e%2e%2fsecret',
      '/files/..%2F..%2Fsecret', '/files/.%2E/.%2e/secret', '/files/a%2F..%2F..%2F..%2Fsecret', '/files/..%5C..%5Csecret',
      '/items/..%2F..%2F..%2Fsecret', '/items/%2E%2E', '/items/..', '/items/%2E%2E%2F%2E%2E%2Fsecret%3F', '/files/%00/../secret',
    ];
    const seen: string[] = [];
    for (const path of paths) {
      const response = await raw(worker.port, `GET ${base()}${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const status = statusOf(response);
      const body = response.slice(response.indexOf('\r\n\r\n') + 4);
      if (status === 400) assert.match(body, /"message":\s*"Invalid request path"/, path);
      else assert.equal(status, 200, `${path}: ${response.slice(0, 300)}`);
      if (status === 200) {
        const echo = JSON.parse(/\{.*\}/s.exec(body)![0]) as Echo;
        const received = new URL(echo.url, 'http://x').pathname;
        // What a conforming backend resolves the path to must stay under the integration URI's base.
        assert.ok(received.startsWith('/base/'), `${path} reached the backend as ${echo.url}`);
        assert.ok(!/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(received.slice('/base/'.length)), `${path} reached the backend with a dot segment: ${echo.url}`);
        seen.push(`${path} → ${echo.url}`);
      } else {
        seen.push(`${path} → ${status}`);
      }
      await unharmed();
    }
    t.diagnostic(seen.join('\n'));
  });

  it('never lets CR/LF in a mapped value become a header', async () => {
    const injected = await call(worker.url, restApiId, 'live', `/inject?q=${encodeURIComponent('a\r\nX-Injected: 1')}&out=${encodeURIComponent('b\r\nSet-Cookie: evil=1')}`);
    // Either refused, or passed with the value intact in one header: never a second header.
    assert.ok(injected.status < 600);
    assert.equal(injected.headers.get('set-cookie'), null);
    assert.equal(injected.headers.get('x-injected'), null);
    if (injected.status === 200) {
      const echo = JSON.parse(injected.body) as Echo;
      assert.equal(echo.headers['x-injected'], undefined, 'no header injected towards the backend');
    }
    await unharmed();
    // The response side alone: a backend answer carrying CR/LF into a mapped response header.
    const response = await call(worker.url, restApiId, 'live', `/inject?out=${encodeURIComponent('b\r\nSet-Cookie: evil=1')}`);
    assert.equal(response.headers.get('set-cookie'), null);
    await unharmed();
  });

  it('stops templates that loop forever or allocate without bound, with 500', async (t) => {
    const results: string[] = [];
    for (const name of Object.keys(templates)) {
      const answer = await call(worker.url, restApiId, 'live', `/templates/${name}`, { signal: AbortSignal.timeout(30_000) });
      assert.deepEqual({ status: answer.status, body: JSON.parse(answer.body) }, { status: 500, body: { message: 'Internal server error' } }, name);
      results.push(`${name}: ${answer.status} in ${answer.ms} ms`);
      await unharmed();
    }
    t.diagnostic(results.join(', '));
  });
});
