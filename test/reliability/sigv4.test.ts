// Security of the doors in: a SigV4 battery against the management API (PORTICO_AUTH=sigv4) and
// against an AWS_IAM method on a worker, where nothing forged is accepted and each forgery gets AWS's
// error; API key values shown only when asked for (includeValue/includeValues); the cluster token
// required on the config channel and the usage reports; and the outbound allowlist
// (PORTICO_INTEGRATION_ALLOWED_NETWORKS) keeping integrations away from a backend outside it.
// Everything runs as real processes: a control plane, a worker, and backends on loopback addresses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateApiKeyCommand, GetApiKeyCommand, GetApiKeysCommand, UpdateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import jwt from 'jsonwebtoken';
import { call, deployApi, waitFor, type Route } from './helpers/apis.js';
import { clientFor, killAll, startControlPlaneProcess, startPostgres, startWorkerProcess, type Postgres } from './helpers/processes.js';
import { send, signRequest, type Reply } from './helpers/signed.js';

const CLUSTER_SECRET = 'sigv4-battery-cluster-secret';
const ROOT = { accessKeyId: '512345678901', secretAccessKey: 'root-secret/with+odd=chars' };
const ALICE = { accessKeyId: 'AKIARELIABILITYALICE', secretAccessKey: 'alice-secret' };
const BOB = { accessKeyId: 'AKIARELIABILITYBOB01', secretAccessKey: 'bob-secret' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const UNKNOWN_KEY = 'The security token included in the request is invalid.';

type Signed = ReturnType<typeof signRequest>;
type Creds = { accessKeyId: string; secretAccessKey: string };

const amzDate = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function withAuthorization(signed: Signed, edit: (value: string) => string | undefined): Signed {
  const headers = { ...signed.headers };
  const value = edit(headers.Authorization ?? headers.authorization!);
  delete headers.authorization;
  delete headers.Authorization;
  return { ...signed, headers: value === undefined ? headers : { ...headers, Authorization: value } };
}

/** A backend that counts what reaches it. */
async function backend(host: string): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reached: req.url })));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port, hits: () => hits };
}

/**
 * The forgeries every SigV4 door must refuse, made from a well-signed request by `sign` (credentials,
 * extra headers, service, region). Each gives the status, error type and message expected.
 */
function forgeries(sign: (creds: Creds, opts?: { headers?: Record<string, string>; service?: string; region?: string; body?: string }) => Signed, service: string, skewMinutes: number) {
  type Case = { name: string; request: () => Signed; type: string | string[]; message?: string | RegExp };
  const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'whatever' };
  const skew = (minutes: number) => sign(ROOT, { headers: { 'X-Amz-Date': amzDate(minutes * 60_000) } });
  const cases: Case[] = [
    { name: 'no signature at all', request: () => withAuthorization(sign(ROOT), () => undefined), type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    { name: 'wrong secret', request: () => sign({ ...ROOT, secretAccessKey: 'not-the-secret' }), type: 'InvalidSignatureException', message: service === 'apigateway' ? MISMATCH : new RegExp(`^${MISMATCH.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\nThe Canonical String`) },
    {
      name: 'body altered after signing',
      request: () => ({ ...sign(ROOT, { body: '{"name":"original"}' }), body: Buffer.from('{"name":"altered!"}') }),
      type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/,
    },
    {
      name: 'signed header altered',
      request: () => { const s = sign(ROOT, { headers: { 'X-Amz-Meta-Note': 'original' } }); return { ...s, headers: { ...s.headers, 'X-Amz-Meta-Note': 'altered' } }; },
      type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/,
    },
    {
      name: 'x-amz-date altered after signing',
      request: () => { const s = sign(ROOT); return { ...s, headers: { ...s.headers, 'X-Amz-Date': amzDate(-1000) } }; },
      type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/,
    },
    {
      name: 'a header claimed as signed that was never sent',
      request: () => withAuthorization(sign(ROOT), (v) => v.replace(/SignedHeaders=([^,]+)/, 'SignedHeaders=$1;x-amz-meta-claimed')),
      type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/,
    },
    {
      name: 'host left out of the signed headers',
      request: () => withAuthorization(sign(ROOT), (v) => v.replace(/SignedHeaders=([^,]+)/, (_, list: string) => `SignedHeaders=${list.split(';').filter((h) => h !== 'host').join(';')}`)),
      type: 'InvalidSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    },
    {
      name: 'missing x-amz-date',
      request: () => { const s = sign(ROOT); const headers = { ...s.headers }; delete headers['X-Amz-Date']; return { ...s, headers }; },
      type: 'IncompleteSignatureException', message: /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    },
    {
      name: `signed ${skewMinutes + 1} minutes ago`,
      request: () => skew(-(skewMinutes + 1)), type: 'InvalidSignatureException',
      message: new RegExp(`^Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - ${skewMinutes} min\\.\\)$`),
    },
    {
      name: `signed ${skewMinutes + 1} minutes ahead`,
      request: () => skew(skewMinutes + 1), type: 'InvalidSignatureException',
      message: new RegExp(`^Signature not yet current: \\d{8}T\\d{6}Z is still later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ ${skewMinutes} min\\.\\)$`),
    },
    { name: 'unknown access key', request: () => sign(unknown), type: 'UnrecognizedClientException', message: UNKNOWN_KEY },
    { name: 'wrong service in the scope', request: () => sign(ROOT, { service: service === 'apigateway' ? 'execute-api' : 'apigateway' }), type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'. ` },
    { name: 'wrong region in the scope', request: () => sign(ROOT, { region: 'eu-west-3' }), type: 'InvalidSignatureException', message: 'Credential should be scoped to a valid region. ' },
    {
      name: 'scope date not the signing date',
      request: () => withAuthorization(sign(ROOT), (v) => v.replace(/Credential=([^/]+)\/\d{8}\//, 'Credential=$1/20200101/')),
      type: 'InvalidSignatureException', message: /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20200101' != '\d{8}'/,
    },
    { name: 'signature of another length', request: () => withAuthorization(sign(ROOT), (v) => v.slice(0, -10)), type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/ },
    { name: 'signature not hex', request: () => withAuthorization(sign(ROOT), (v) => v.replace(/Signature=[0-9a-f]+/, `Signature=${'z'.repeat(64)}`)), type: 'InvalidSignatureException', message: /^The request signature we calculated does not match/ },
  ];
  // Truncated and garbled Authorization headers: incomplete, never accepted.
  const cut = (fraction: number) => (v: string) => v.slice(0, Math.floor(v.length * fraction));
  for (const [name, edit] of [
    ['truncated after the algorithm', (v: string) => v.slice(0, 'AWS4-HMAC-SHA256 '.length)],
    ['truncated in the credential', cut(0.25)],
    ['truncated before the signature', (v: string) => v.slice(0, v.indexOf('Signature='))],
    ['truncated to half', cut(0.5)],
    ['garbled', () => 'AWS4-HMAC-SHA256 \u00ff\u00fe garbage ,,,=== Credential'],
    ['another scheme', () => 'Bearer eyJhbGciOiJub25lIn0.e30.'],
    ['empty parts', () => 'AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature='],
    ['credential without a scope', (v: string) => v.replace(/Credential=[^,]+/, `Credential=${ROOT.accessKeyId}`)],
  ] as const) {
    cases.push({ name: `Authorization ${name}`, request: () => withAuthorization(sign(ROOT), edit), type: ['IncompleteSignatureException', 'InvalidSignatureException', 'MissingAuthenticationTokenException'] });
  }
  return cases;
}

function checkRefusal(name: string, reply: Reply, type: string | string[], message?: string | RegExp) {
  assert.equal(reply.status, 403, `${name}: ${reply.status} ${reply.body}`);
  if (Array.isArray(type)) assert.ok(reply.errorType && type.includes(reply.errorType), `${name}: error type ${reply.errorType}`);
  else assert.equal(reply.errorType, type, `${name}: ${reply.body}`);
  assert.ok(reply.message, `${name}: a message`);
  if (typeof message === 'string') assert.equal(reply.message, message, name);
  else if (message) assert.match(reply.message!, message, name);
}

describe('security of the management API, AWS_IAM methods and the cluster channel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sigv4-'));
  let cp: Awaited<ReturnType<typeof startControlPlaneProcess>>;
  let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
  let allowed: Awaited<ReturnType<typeof backend>>;
  let outside: Awaited<ReturnType<typeof backend>>;
  let restApiId: string;
  let postgres: Postgres | undefined;

  before(async () => {
    postgres = await startPostgres();
    // The allowed backend listens on 127.0.0.2, the only network the worker may call; the other on 127.0.0.1.
    allowed = await backend('127.0.0.2');
    outside = await backend('127.0.0.1');
    const identitiesFile = join(dir, 'identities.json');
    writeFileSync(identitiesFile, JSON.stringify([
      { ...ALICE, accountId: ROOT.accessKeyId, userName: 'alice', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `arn:aws:execute-api:*:${ROOT.accessKeyId}:*/*/*/iam` }] }] },
      { ...BOB, accountId: ROOT.accessKeyId, userName: 'bob', policies: [] },
    ]));
    cp = await startControlPlaneProcess({
      dataDir: join(dir, 'cp'), clusterSecret: CLUSTER_SECRET, databaseUrl: postgres?.url,
      env: { PORTICO_AUTH: 'sigv4', PORTICO_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, PORTICO_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, PORTICO_IAM_IDENTITIES_FILE: identitiesFile },
    });
    worker = await startWorkerProcess({ controlUrl: cp.url, clusterSecret: CLUSTER_SECRET, cacheDir: join(dir, 'worker'), env: { PORTICO_INTEGRATION_ALLOWED_NETWORKS: '127.0.0.2/32' } });
    const proxy = (uri: string): Route['integration'] => ({ type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri });
    restApiId = await deployApi(clientFor(cp.url, ROOT.accessKeyId, ROOT.secretAccessKey), 'security', [
      { path: '/iam', httpMethod: 'GET', authorizationType: 'AWS_IAM', integration: proxy(`http://127.0.0.2:${allowed.port}/iam`) },
      { path: '/iam', httpMethod: 'POST', authorizationType: 'AWS_IAM', integration: proxy(`http://127.0.0.2:${allowed.port}/iam`) },
      { path: '/open', integration: proxy(`http://127.0.0.2:${allowed.port}/open`) },
      { path: '/outside', integration: proxy(`http://127.0.0.1:${outside.port}/outside`) },
      { path: '/outside-by-name', integration: proxy(`http://localhost:${outside.port}/outside-by-name`) },
    ]);
    await waitFor(worker.url, restApiId, 'live', '/open');
  });
  after(async () => {
    await killAll();
    postgres?.destroy();
    await new Promise((r) => allowed.server.close(r));
    await new Promise((r) => outside.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts nothing forged on the management API, each refusal in AWS words', async (t) => {
    const names: string[] = [];
    const sign = (creds: Creds, opts: { headers?: Record<string, string>; service?: string; region?: string; body?: string } = {}) => {
      const name = `forged-${names.length}`;
      names.push(name);
      return signRequest(cp.url, { method: 'POST', path: '/restapis', body: opts.body ?? JSON.stringify({ name }), headers: opts.headers }, creds, opts.service, opts.region);
    };
    const cases = forgeries(sign, 'apigateway', 15);
    for (const c of cases) {
      const reply = await send(c.request());
      checkRefusal(c.name, reply, c.type, c.message);
    }
    // Within the window and well signed, the same requests are accepted: the refusals above are the forgeries'.
    const good = await send(sign(ROOT, { headers: { 'X-Amz-Date': amzDate(-14 * 60_000) } }));
    assert.equal(good.status, 201, good.body);
    const list = await send(signRequest(cp.url, { method: 'GET', path: '/restapis', query: 'limit=500' }, ROOT));
    const created = (JSON.parse(list.body) as { item: { name: string }[] }).item.map((a) => a.name).filter((n) => n.startsWith('forged-') || n.startsWith('original') || n.startsWith('altered'));
    assert.deepEqual(created, [names.at(-1)], 'only the well-signed request wrote anything');
    // Signed in the query string (presigned): accepted as signed, refused once anything in it changes.
    const presigned = () => {
      const u = new URL(cp.url);
      const signed = aws4.sign({ host: u.host, path: '/restapis?limit=5', method: 'GET', service: 'apigateway', region: 'us-east-1', signQuery: true }, ROOT);
      return `${u.origin}${signed.path}`;
    };
    assert.equal((await send({ url: presigned(), method: 'GET', headers: {} })).status, 200, 'a presigned call');
    const tampered = [presigned().replace('limit=5', 'limit=6'), presigned().replace(/X-Amz-Signature=[0-9a-f]{8}/, 'X-Amz-Signature=00000000'), presigned().replace(/X-Amz-Credential=[^&]+/, 'X-Amz-Credential=x')];
    for (const [i, target] of tampered.entries()) {
      const reply = await send({ url: target, method: 'GET', headers: {} });
      checkRefusal(`presigned, tampered ${i}`, reply, ['InvalidSignatureException', 'IncompleteSignatureException']);
    }
    t.diagnostic(`management API: ${cases.length + tampered.length} forgeries refused, 0 accepted`);
  });

  it('accepts nothing forged on an AWS_IAM method, and nothing forged reaches the backend', async (t) => {
    const path = `/restapis/${restApiId}/live/_user_request_/iam`;
    const sign = (creds: Creds, opts: { headers?: Record<string, string>; service?: string; region?: string; body?: string } = {}) =>
      signRequest(worker.url, { method: opts.body ? 'POST' : 'GET', path, body: opts.body, headers: opts.headers }, creds, opts.service ?? 'execute-api', opts.region);
    const before = allowed.hits();
    const cases = forgeries(sign, 'execute-api', 5);
    for (const c of cases) checkRefusal(c.name, await send(c.request()), c.type, c.message);
    // An IAM user whose policies do not allow the method.
    const denied = await send(sign(BOB));
    assert.equal(denied.status, 403, denied.body);
    assert.equal(denied.errorType, 'AccessDeniedException');
    assert.match(denied.message!, new RegExp(`^User: arn:aws:iam::${ROOT.accessKeyId}:user/bob is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:`));
    assert.equal(allowed.hits(), before, 'no forged or denied request reached the backend');

    for (const creds of [ROOT, ALICE]) {
      const ok = await send(sign(creds));
      assert.equal(ok.status, 200, ok.body);
      const posted = await send(sign(creds, { body: '{"a":1}' }));
      assert.equal(posted.status, 200, posted.body);
    }
    const withinWindow = await send(sign(ALICE, { headers: { 'X-Amz-Date': amzDate(-4 * 60_000) } }));
    assert.equal(withinWindow.status, 200, withinWindow.body);
    assert.equal(allowed.hits(), before + 5, 'every well-signed, allowed request reached it');
    t.diagnostic(`AWS_IAM method: ${cases.length + 1} forged or denied requests refused, 0 reached the backend`);
  });

  it('shows API key values only with includeValue(s)', async () => {
    const client = clientFor(cp.url, ROOT.accessKeyId, ROOT.secretAccessKey);
    const value = `reliability-value-${Date.now()}-abcdefghij`;
    const key = await client.send(new CreateApiKeyCommand({ name: `shown-${Date.now()}`, value, enabled: true }));
    assert.equal(key.value, value, 'CreateApiKey answers the value');
    const raw = (query: string, path = `/apikeys/${key.id}`) => send(signRequest(cp.url, { method: 'GET', path, query }, ROOT));
    for (const query of ['', 'includeValue=false']) {
      const reply = await raw(query);
      assert.equal(reply.status, 200);
      assert.ok(!reply.body.includes(value), `GetApiKey ?${query} hides the value`);
    }
    assert.equal((await client.send(new GetApiKeyCommand({ apiKey: key.id, includeValue: true }))).value, value);
    for (const query of ['limit=500', 'limit=500&includeValues=false', `name=${key.name}`]) {
      const reply = await raw(query, '/apikeys');
      assert.equal(reply.status, 200);
      assert.ok(!reply.body.includes(value), `GetApiKeys ?${query} hides the values`);
      assert.ok(reply.body.includes(key.id!), `GetApiKeys ?${query} lists the key`);
    }
    const all = await client.send(new GetApiKeysCommand({ includeValues: true, limit: 500 }));
    assert.equal(all.items?.find((k) => k.id === key.id)?.value, value);
    const updated = await client.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/description', value: 'd' }] }));
    assert.equal(updated.value, undefined, 'UpdateApiKey hides the value');
  });

  it('requires a valid cluster token on the config channel and for usage reports', async (t) => {
    const token = (payload: object, secret = CLUSTER_SECRET, options: jwt.SignOptions = {}) =>
      jwt.sign(payload, secret, { algorithm: 'HS256', audience: 'portico-control-plane', expiresIn: '5m', ...options });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'w', aud: 'portico-control-plane', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')}.`;
    const refused: [string, string | undefined][] = [
      ['no token', undefined],
      ['empty bearer', 'Bearer '],
      ['not a JWT', 'Bearer garbage'],
      ['another scheme', `Basic ${Buffer.from('worker:secret').toString('base64')}`],
      ['signed with another secret', `Bearer ${token({ sub: 'w' }, 'not-the-cluster-secret')}`],
      ['expired', `Bearer ${jwt.sign({ sub: 'w', exp: Math.floor(Date.now() / 1000) - 60 }, CLUSTER_SECRET, { algorithm: 'HS256', audience: 'portico-control-plane' })}`],
      ['not yet valid', `Bearer ${token({ sub: 'w' }, CLUSTER_SECRET, { notBefore: '10m' })}`],
      ['for another audience', `Bearer ${token({ sub: 'w' }, CLUSTER_SECRET, { audience: 'someone-else' })}`],
      ['unsigned (alg none)', `Bearer ${unsigned}`],
      ['another algorithm', `Bearer ${jwt.sign({ sub: 'w' }, CLUSTER_SECRET, { algorithm: 'HS512', audience: 'portico-control-plane', expiresIn: '5m' })}`],
      ['a valid token with its signature cut', `Bearer ${token({ sub: 'w' }).replace(/\.[^.]+$/, '.')}`],
    ];
    const channel = (authorization: string | undefined) => fetch(`${cp.url}/_portico/config?after=-1&waitMs=0`, { headers: authorization ? { authorization } : {} });
    const usage = (authorization: string | undefined, body = '{"reports":[]}') =>
      fetch(`${cp.url}/_portico/usage`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
    for (const [name, authorization] of refused) {
      for (const [what, res] of [['config', await channel(authorization)], ['usage', await usage(authorization)]] as const) {
        const body = await res.text();
        assert.equal(res.status, 401, `${what}, ${name}: ${res.status} ${body.slice(0, 200)}`);
        assert.ok(!body.includes(ALICE.secretAccessKey) && !body.includes('"deployments"'), `${what}, ${name}: nothing of the config`);
      }
    }
    const good = await channel(`Bearer ${token({ sub: 'reliability' })}`);
    const config = (await good.json()) as { identities?: { credentials: { accessKeyId: string }[] } };
    assert.equal(good.status, 200);
    assert.ok(config.identities?.credentials.some((c) => c.accessKeyId === ALICE.accessKeyId), 'the channel carries the identities a token protects');
    const reported = await usage(`Bearer ${token({ sub: 'reliability' })}`);
    assert.equal(reported.status, 200, await reported.text());
    t.diagnostic(`cluster channel: ${refused.length * 2} requests with missing, forged or expired tokens refused`);
  });

  it('keeps integrations inside PORTICO_INTEGRATION_ALLOWED_NETWORKS', async () => {
    const inside = await call(worker.url, restApiId, 'live', '/open');
    assert.equal(inside.status, 200, inside.body);
    assert.deepEqual(JSON.parse(inside.body), { reached: '/open' });
    for (const path of ['/outside', '/outside-by-name']) {
      const answer = await call(worker.url, restApiId, 'live', path);
      assert.equal(answer.status, 502, `${path}: ${answer.body}`);
      assert.deepEqual(JSON.parse(answer.body), { message: 'Internal server error' });
    }
    assert.equal(outside.hits(), 0, 'the backend outside the allowed networks was never called');
    assert.match(worker.output(), /outside PORTICO_INTEGRATION_ALLOWED_NETWORKS/);
  });
});
