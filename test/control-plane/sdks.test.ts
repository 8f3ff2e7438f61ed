// GetSdkTypes, GetSdkType and GetSdk: the generated JavaScript and TypeScript clients, unzipped and
// used from Node against a deployed stage, with an API key method and an AWS_IAM method whose
// signatures a control plane in PORTICO_AUTH=sigv4 mode (and its worker) verify.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetSdkCommand,
  GetSdkTypeCommand,
  GetSdkTypesCommand,
  PutIntegrationCommand,
  type PutIntegrationCommandInput,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { unzipSync } from 'fflate';
import { startControlPlane, type RunningControlPlane } from '../../src/control-plane/server.js';
import { startWorker, type RunningWorker } from '../../src/data-plane/worker.js';
import { expectError, newClient } from '../helpers/client.js';
import { waitForStage, waitUntil, invoke } from '../helpers/invoke.js';

const ACCOUNT = '320987654321';
const root = { accessKeyId: ACCOUNT, secretAccessKey: 'sdk-test-root-secret' };
const API_KEY = 'sdk-test-api-key-0123456789abcdef';
const functionsDir = new URL('../functions/', import.meta.url).pathname;
const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;

type Response = { status: number; headers: Record<string, string>; data: unknown };
type Method = (params?: Record<string, unknown>, body?: unknown, additionalParams?: Record<string, unknown>) => Promise<Response>;
type Factory = { newClient: (config: Record<string, unknown>) => Record<string, Method> };

/** Writes the zip's files under `dir`. */
function unzipTo(zip: Uint8Array, dir: string): string[] {
  const files = unzipSync(zip);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return Object.keys(files).sort();
}

async function rejection(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (e) {
    return (e as { response: Response }).response;
  }
  assert.fail('expected the call to fail');
}

describe('SDK types', () => {
  const client = newClient();

  it('lists the SDK types that generate working code', async () => {
    const types = await client.send(new GetSdkTypesCommand({}));
    assert.deepEqual(types.items?.map((t) => t.id), ['javascript', 'typescript']);
    const javascript = await client.send(new GetSdkTypeCommand({ id: 'javascript' }));
    assert.equal(javascript.friendlyName, 'JavaScript');
    assert.deepEqual(javascript.configurationProperties, []);
    assert.equal((await client.send(new GetSdkTypeCommand({ id: 'typescript' }))).friendlyName, 'TypeScript');
    await expectError(client.send(new GetSdkTypeCommand({ id: 'cobol' })), 'NotFoundException', 404, 'Invalid SDK type specified: cobol');
  });

  it('answers AWS errors for an unknown API, stage or SDK type', async () => {
    const api = await client.send(new CreateRestApiCommand({ name: 'sdk-errors' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    await expectError(client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'nope', sdkType: 'javascript' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    await expectError(client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'dev', sdkType: 'cobol' })), 'NotFoundException', 404, 'Invalid SDK type specified: cobol');
    await expectError(client.send(new GetSdkCommand({ restApiId: 'abcde01234', stageName: 'dev', sdkType: 'javascript' })), 'NotFoundException', 404, `Invalid API identifier specified ${client.accountId}:abcde01234`);
    const sdk = await client.send(new GetSdkCommand({ restApiId: api.id, stageName: 'dev', sdkType: 'javascript' }));
    assert.equal(sdk.contentType, 'application/octet-stream');
    assert.match(sdk.contentDisposition ?? '', /^attachment; filename="javascript_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.zip"$/);
    assert.deepEqual(Object.keys(unzipSync(sdk.body!)).sort(), ['apiGateway-js-sdk/README.md', 'apiGateway-js-sdk/apigClient.js', 'apiGateway-js-sdk/lib/runtime.js', 'apiGateway-js-sdk/package.json']);
  });
});

describe('Generated SDKs against a deployed stage (PORTICO_AUTH=sigv4)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sdk-'));
  let controlPlane: RunningControlPlane;
  let worker: RunningWorker;
  let workerUrl: string;
  let client: APIGatewayClient;
  let restApiId: string;

  async function method(resourceId: string, httpMethod: string, settings: { authorizationType?: string; apiKeyRequired?: boolean; requestParameters?: Record<string, boolean>; requestModels?: Record<string, string> }, integration: Record<string, unknown>, responseTemplate?: string) {
    const target = { restApiId, resourceId, httpMethod };
    await client.send(new PutMethodCommand({ ...target, authorizationType: 'NONE', ...settings }));
    await client.send(new PutIntegrationCommand({ ...target, ...integration } as PutIntegrationCommandInput));
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: '200', responseModels: settings.requestModels }));
    await client.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200', ...(responseTemplate ? { responseTemplates: { 'application/json': responseTemplate } } : {}) }));
  }

  before(async () => {
    controlPlane = await startControlPlane({
      port: 0, host: '127.0.0.1', databaseUrl: process.env.DATABASE_URL, clusterSecret: 'sdk-test-cluster-secret',
      auth: { mode: 'sigv4', rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey },
    });
    worker = await startWorker({
      port: 0, host: '127.0.0.1', controlPlaneUrl: `http://127.0.0.1:${controlPlane.port}`, clusterSecret: 'sdk-test-cluster-secret',
      cacheDir: join(dir, 'cache'), executeApiDomain: 'execute-api.localhost', region: 'us-east-1',
      lambda: { endpoint: undefined, functionsDir, functionTimeoutMs: 5000 },
    });
    workerUrl = `http://127.0.0.1:${worker.port}`;
    client = new APIGatewayClient({ endpoint: `http://127.0.0.1:${controlPlane.port}`, region: 'us-east-1', credentials: root, maxAttempts: 1 });

    const api = await client.send(new CreateRestApiCommand({ name: 'PetStoreSdk' }));
    restApiId = api.id!;
    await client.send(new CreateModelCommand({
      restApiId, name: 'Pet', contentType: 'application/json',
      schema: JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } }),
    }));
    const resource = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
    const pets = await resource(api.rootResourceId!, 'pets');
    const pet = await resource(pets, '{petId}');
    const mock = { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } };
    // GET /pets needs an API key.
    await method(pets, 'GET', { apiKeyRequired: true }, mock, '[{"id": 1, "type": "dog"}, {"id": 2, "type": "cat"}]');
    // GET /pets/{petId}: path, query string and header parameters.
    await method(pet, 'GET', { requestParameters: { 'method.request.querystring.verbose': false, 'method.request.header.x-trace': false } }, mock,
      '{"petId": "$input.params(\'petId\')", "verbose": "$input.params(\'verbose\')", "trace": "$input.params(\'x-trace\')"}');
    // POST /pets is signed (AWS_IAM); the passthrough function answers the body it got.
    await method(pets, 'POST', { authorizationType: 'AWS_IAM', requestModels: { 'application/json': 'Pet' } }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:passthrough/invocations`,
    });
    // DELETE /pets/{petId} is signed too, and tells who called.
    await method(pet, 'DELETE', { authorizationType: 'AWS_IAM' }, mock, '{"deleted": "$input.params(\'petId\')", "caller": "$context.identity.accessKey"}');
    // ANY /echo answers the HTTP method it was called with.
    await method(await resource(api.rootResourceId!, 'echo'), 'ANY', {}, mock, '{"method": "$context.httpMethod"}');
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    const key = await client.send(new CreateApiKeyCommand({ name: 'sdk', enabled: true, value: API_KEY }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'sdk', apiStages: [{ apiId: restApiId, stage: 'test' }] }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    await waitForStage(restApiId, 'test', '/pets/1', 10000, workerUrl);
    await waitUntil(() => invoke(restApiId, 'test', '/pets', { headers: { 'x-api-key': API_KEY } }, workerUrl), (r) => r.status === 200, 10000);
  });

  after(async () => {
    await worker?.stop();
    await controlPlane?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pathStyle = () => `${workerUrl}/restapis/${restApiId}/test/_user_request_`;

  async function sdkZip(sdkType: string): Promise<Uint8Array> {
    return (await client.send(new GetSdkCommand({ restApiId, stageName: 'test', sdkType }))).body!;
  }

  /** What every generated client must do against the stage. */
  async function exercise(factory: Factory) {
    const anonymous = factory.newClient({ invokeUrl: pathStyle() });
    const forbidden = await rejection(anonymous.petsGet!({}));
    assert.equal(forbidden.status, 403);
    assert.deepEqual(forbidden.data, { message: 'Forbidden' });

    const withKey = factory.newClient({ invokeUrl: pathStyle(), apiKey: API_KEY });
    const list = await withKey.petsGet!({});
    assert.equal(list.status, 200);
    assert.deepEqual(list.data, [{ id: 1, type: 'dog' }, { id: 2, type: 'cat' }]);

    const one = await anonymous.petsPetIdGet!({ petId: 'a b/7', verbose: true, 'x-trace': 'trace-1' });
    assert.deepEqual(one.data, { petId: 'a b/7', verbose: 'true', trace: 'trace-1' });

    // Unsigned, then signed with the wrong secret, then signed as the root of the account.
    assert.equal((await rejection(anonymous.petsPost!({}, { name: 'Rex' }))).status, 403);
    const forged = factory.newClient({ invokeUrl: pathStyle(), accessKey: root.accessKeyId, secretKey: 'not-the-secret', region: 'us-east-1' });
    const refused = await rejection(forged.petsPost!({}, { name: 'Rex' }));
    assert.equal(refused.status, 403);
    assert.match(JSON.stringify(refused.data), /The request signature we calculated does not match/);

    const signed = factory.newClient({ invokeUrl: pathStyle(), accessKey: root.accessKeyId, secretKey: root.secretAccessKey, region: 'us-east-1' });
    const created = await signed.petsPost!({}, { name: 'Rex', age: 3, tags: ['good boy', 'ünïcode'] }, { queryParams: { note: 'a b*c' } });
    assert.equal(created.status, 200);
    assert.deepEqual(created.data, { name: 'Rex', age: 3, tags: ['good boy', 'ünïcode'] });
    const deleted = await signed.petsPetIdDelete!({ petId: 'x y' });
    assert.deepEqual(deleted.data, { deleted: 'x y', caller: root.accessKeyId });

    assert.deepEqual((await anonymous.echoAny!()).data, { method: 'GET' });
    assert.deepEqual((await anonymous.echoAny!({}, { any: 'body' }, { method: 'put' })).data, { method: 'PUT' });
  }

  it('generates a JavaScript client that works from Node', async () => {
    const target = join(dir, 'js');
    const files = unzipTo(await sdkZip('javascript'), target);
    assert.ok(files.includes('apiGateway-js-sdk/apigClient.js'));
    const module = await import(pathToFileURL(join(target, 'apiGateway-js-sdk/apigClient.js')).href);
    assert.deepEqual(Object.keys(module.apigClientFactory.newClient({})).sort(), ['echoAny', 'petsGet', 'petsPetIdDelete', 'petsPetIdGet', 'petsPost']);
    // The default invoke URL is the stage's host-style URL on Portico's workers.
    assert.match(readFileSync(join(target, 'apiGateway-js-sdk/apigClient.js'), 'utf8'), new RegExp(`"http://${restApiId}\\.execute-api\\.localhost:\\d+/test"`));
    await exercise(module.apigClientFactory as Factory);
  });

  it('generates a TypeScript client that compiles with tsc and works', async () => {
    const target = join(dir, 'ts');
    unzipTo(await sdkZip('typescript'), target);
    const project = join(target, 'apiGateway-ts-sdk');
    assert.match(readFileSync(join(project, 'models.ts'), 'utf8'), /export type Pet = \{\n {2}name: string;\n {2}age\?: number;\n {2}tags\?: string\[\];\n\};/);
    assert.match(readFileSync(join(project, 'apigClient.ts'), 'utf8'), /petsPost\(params\?: Record<string, never>, body\?: Models\.Pet, additionalParams\?: AdditionalParams\): Promise<ApiResponse<Models\.Pet>>;/);
    execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'pipe' });
    const module = await import(pathToFileURL(join(project, 'dist/apigClient.js')).href);
    await exercise(module.apigClientFactory as Factory);
  });
});
