// Resource policies, as the Developer Guide's "Controlling access to an API with API Gateway resource
// policies" shows them: an IP allow list, an explicit deny beating an allow, the execute-api:/
// shorthand, conditions on request keys, and cross-account callers of AWS_IAM methods (Table B).
// The test client calls the worker from 127.0.0.1; the harness runs PORTICO_AUTH=open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import { request } from 'undici';
import { newClient, randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage, workerEndpoint, type Invocation } from '../helpers/invoke.js';

type Statement = Record<string, unknown>;
const policyOf = (...Statement: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowAll: Statement = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };

type Api = { restApiId: string; accountId: string };

async function mockMethod(client: ReturnType<typeof newClient>, restApiId: string, resourceId: string, httpMethod: string, authorizationType = 'NONE') {
  await client.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType }));
  await client.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }));
  await client.send(new PutIntegrationResponseCommand({
    restApiId, resourceId, httpMethod, statusCode: '200', selectionPattern: '',
    responseTemplates: { 'application/json': '{"ok": true, "caller": "$context.identity.userArn"}' },
  }));
}

/** GET / and GET, POST /pets (no authorization), GET /private (AWS_IAM), deployed to `test` with `policy`. */
async function apiWithPolicy(policy: string | undefined, customize?: (client: ReturnType<typeof newClient>, restApiId: string) => Promise<void>): Promise<Api> {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'resource-policy', ...(policy ? { policy } : {}) }));
  const restApiId = api.id!;
  const { id: pets } = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }));
  const { id: privateId } = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'private' }));
  await mockMethod(client, restApiId, api.rootResourceId!, 'GET');
  await mockMethod(client, restApiId, pets!, 'GET');
  await mockMethod(client, restApiId, pets!, 'POST');
  await mockMethod(client, restApiId, privateId!, 'GET', 'AWS_IAM');
  await customize?.(client, restApiId);
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  await waitForStage(restApiId, 'test');
  return { restApiId, accountId: client.accountId };
}

const masked = (accountId: string) => `********${accountId.slice(-4)}`;
const resourceArn = (api: Api, rest: string) => `arn:aws:execute-api:us-east-1:${masked(api.accountId)}:${api.restApiId}/test/${rest}`;

function assertDenied(r: Invocation, user: string, api: Api, rest: string, explicit: boolean) {
  assert.equal(r.status, 403, r.body);
  assert.equal(r.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  const message = `User: ${user} is not authorized to perform: execute-api:Invoke on resource: ${resourceArn(api, rest)}${explicit ? ' with an explicit deny' : ''}`;
  assert.deepEqual(JSON.parse(r.body), { Message: message });
}

/** Calls an AWS_IAM method signed (in open mode, unverified) with an access key of `accountId`. */
async function signedGet(api: Api, path: string, accountId: string): Promise<Invocation> {
  const url = new URL(`${workerEndpoint}/restapis/${api.restApiId}/test/_user_request_${path}`);
  const signed = aws4.sign({ host: url.host, method: 'GET', path: url.pathname, service: 'execute-api', region: 'us-east-1' }, { accessKeyId: accountId, secretAccessKey: 'any' });
  const res = await request(url, { method: 'GET', headers: signed.headers as Record<string, string> });
  return { status: res.statusCode, headers: new Headers(res.headers as Record<string, string>), body: await res.body.text() };
}

describe('resource policies', () => {
  it('without a policy, anyone may call', async () => {
    const api = await apiWithPolicy(undefined);
    assert.equal((await invoke(api.restApiId, 'test', '/pets')).status, 200);
  });

  it('an IP allow list lets the listed source addresses in and no one else', async () => {
    const ipPolicy = (cidrs: string[]) => policyOf({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': cidrs } } });
    const listed = await apiWithPolicy(ipPolicy(['192.0.2.0/24', '127.0.0.1/32']));
    assert.equal((await invoke(listed.restApiId, 'test', '/pets')).status, 200);

    const unlisted = await apiWithPolicy(ipPolicy(['192.0.2.0/24', '198.51.100.0/24']));
    assertDenied(await invoke(unlisted.restApiId, 'test', '/pets'), 'anonymous', unlisted, 'GET/pets', false);
    // The root resource's method ARN ends in the verb and a slash.
    assertDenied(await invoke(unlisted.restApiId, 'test', '/'), 'anonymous', unlisted, 'GET/', false);
  });

  it('an explicit deny beats any allow', async () => {
    const denyLoopback = { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/POST/pets', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } };
    const api = await apiWithPolicy(policyOf(allowAll, denyLoopback));
    assert.equal((await invoke(api.restApiId, 'test', '/pets')).status, 200);
    assertDenied(await invoke(api.restApiId, 'test', '/pets', { method: 'POST' }), 'anonymous', api, 'POST/pets', true);
  });

  it('NotIpAddress denies everyone outside a range', async () => {
    const outside = (cidr: string) => policyOf(allowAll, { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { NotIpAddress: { 'aws:SourceIp': cidr } } });
    const inside = await apiWithPolicy(outside('127.0.0.0/8'));
    assert.equal((await invoke(inside.restApiId, 'test', '/pets')).status, 200);
    const elsewhere = await apiWithPolicy(outside('10.0.0.0/8'));
    assertDenied(await invoke(elsewhere.restApiId, 'test', '/pets'), 'anonymous', elsewhere, 'GET/pets', true);
  });

  it('matches full method ARNs with wildcards, and conditions on request headers', async () => {
    const client = newClient();
    const arn = (rest: string) => `arn:aws:execute-api:us-east-1:${client.accountId}:*/${rest}`;
    const policy = policyOf({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: [arn('test/GET/pets'), arn('*/*/')], Condition: { StringLike: { 'aws:UserAgent': 'portico-test/*' } } });
    // The account in the ARN must be the API's: create the API with this client's account.
    const api = await (async () => {
      const created = await client.send(new CreateRestApiCommand({ name: 'arn-policy', policy }));
      const restApiId = created.id!;
      const { id: pets } = await client.send(new CreateResourceCommand({ restApiId, parentId: created.rootResourceId, pathPart: 'pets' }));
      await mockMethod(client, restApiId, created.rootResourceId!, 'GET');
      await mockMethod(client, restApiId, pets!, 'GET');
      await mockMethod(client, restApiId, pets!, 'POST');
      await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
      await waitForStage(restApiId, 'test');
      return { restApiId, accountId: client.accountId };
    })();
    const agent = { 'user-agent': 'portico-test/1.0' };
    assert.equal((await invoke(api.restApiId, 'test', '/pets', { headers: agent })).status, 200);
    assert.equal((await invoke(api.restApiId, 'test', '/', { headers: agent })).status, 200);
    assertDenied(await invoke(api.restApiId, 'test', '/pets', { method: 'POST', headers: agent }), 'anonymous', api, 'POST/pets', false);
    assertDenied(await invoke(api.restApiId, 'test', '/pets', { headers: { 'user-agent': 'curl/8' } }), 'anonymous', api, 'GET/pets', false);
  });

  it('a policy changed by UpdateRestApi applies from the next deployment', async () => {
    const client = newClient();
    const created = await client.send(new CreateRestApiCommand({ name: 'updated-policy' }));
    const restApiId = created.id!;
    await mockMethod(client, restApiId, created.rootResourceId!, 'GET');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    assert.equal((await waitForStage(restApiId, 'test')).status, 200);
    const deny = policyOf({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' });
    await client.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: 'replace', path: '/policy', value: deny }] }));
    assert.equal((await invoke(restApiId, 'test', '/')).status, 200);
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    const deadline = Date.now() + 5000;
    let r = await invoke(restApiId, 'test', '/');
    while (r.status === 200 && Date.now() < deadline) r = await invoke(restApiId, 'test', '/');
    assertDenied(r, 'anonymous', { restApiId, accountId: client.accountId }, 'GET/', true);
  });

  it('a customized ACCESS_DENIED response renders the denial message', async () => {
    const api = await apiWithPolicy(policyOf({ ...allowAll, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }), (client, restApiId) =>
      client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'ACCESS_DENIED', statusCode: '403', responseTemplates: { 'application/json': '{"denied": $context.error.messageString, "type": "$context.error.responseType"}' } })).then(() => undefined),
    );
    const r = await invoke(api.restApiId, 'test', '/pets');
    assert.equal(r.status, 403);
    assert.deepEqual(JSON.parse(r.body), {
      denied: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${resourceArn(api, 'GET/pets')}`,
      type: 'ACCESS_DENIED',
    });
  });

  it('a policy the worker cannot read denies every call', async () => {
    const api = await apiWithPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] }));
    assertDenied(await invoke(api.restApiId, 'test', '/pets'), 'anonymous', api, 'GET/pets', true);
  });
});

describe('resource policies and AWS_IAM callers', () => {
  it('the API owner needs no resource policy; another account needs the policy to allow it (Table B)', async () => {
    const api = await apiWithPolicy(undefined);
    const own = await signedGet(api, '/private', api.accountId);
    assert.equal(own.status, 200, own.body);
    assert.equal(JSON.parse(own.body).caller, `arn:aws:iam::${api.accountId}:root`);

    const other = randomAccountId();
    assertDenied(await signedGet(api, '/private', other), `arn:aws:iam::${other}:root`, api, 'GET/private', false);
  });

  it('a policy naming another account lets that account in, and only it', async () => {
    const trusted = randomAccountId();
    const stranger = randomAccountId();
    const api = await apiWithPolicy(policyOf({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${trusted}:root` }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }));
    assert.equal((await signedGet(api, '/private', trusted)).status, 200);
    assertDenied(await signedGet(api, '/private', stranger), `arn:aws:iam::${stranger}:root`, api, 'GET/private', false);
    // Methods without authorization see only anonymous callers, whom the policy does not name.
    assertDenied(await invoke(api.restApiId, 'test', '/pets'), 'anonymous', api, 'GET/pets', false);
  });

  it("an explicit deny in the resource policy refuses even the API owner's root", async () => {
    const api = await apiWithPolicy(policyOf({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/private' }));
    assertDenied(await signedGet(api, '/private', api.accountId), `arn:aws:iam::${api.accountId}:root`, api, 'GET/private', true);
  });

  it('unsigned calls to an AWS_IAM method are refused before any policy', async () => {
    const api = await apiWithPolicy(policyOf(allowAll));
    const r = await invoke(api.restApiId, 'test', '/private');
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.deepEqual(JSON.parse(r.body), { message: 'Missing Authentication Token' });
  });
});
