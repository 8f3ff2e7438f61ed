// AWS service integration URIs as the worker reads them, the role → credentials setting, and the
// call as a test invocation's execution log reports it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testInvokeResult } from '../../src/control-plane/methods/test-invoke-log.js';
import type { Integration, Method } from '../../src/control-plane/protocol/shapes.js';
import { compileDeployment } from '../../src/data-plane/compile/index.js';
import { parseAwsServiceUri } from '../../src/data-plane/integrations/aws-service-settings.js';
import { endpointVariable, invokeAwsService } from '../../src/data-plane/integrations/aws-service.js';
import { parseRoleCredentials, RoleCredentials } from '../../src/data-plane/integrations/role-credentials.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';
import { testInvocation } from '../helpers/invocation.js';

describe('AWS service integration URIs', () => {
  it('reads the service, region and path of a path URI', () => {
    const uri = 'arn:aws:apigateway:us-west-2:s3:path/{bucket}/{object}';
    const parsed = parseAwsServiceUri(uri)!;
    assert.deepEqual({ ...parsed, target: uri.slice(parsed.targetOffset) }, { service: 's3', region: 'us-west-2', kind: 'path', targetOffset: parsed.targetOffset, target: '{bucket}/{object}' });
  });

  it('reads a subdomain and the X-Amz-Target prefix of JSON-protocol actions', () => {
    assert.equal(parseAwsServiceUri('arn:aws:apigateway:eu-west-1:data.iot:path/topics/x')!.subdomain, 'data');
    assert.equal(parseAwsServiceUri('arn:aws:apigateway:us-east-1:dynamodb:action/PutItem')!.targetPrefix, 'DynamoDB_20120810');
    assert.equal(parseAwsServiceUri('arn:aws:apigateway:us-east-1:sqs:action/SendMessage')!.targetPrefix, undefined);
    assert.equal(parseAwsServiceUri('arn:aws:apigateway:us-east-1:sqs:path/123/q')!.targetPrefix, undefined);
  });

  it('names no call for URIs of another shape', () => {
    assert.equal(parseAwsServiceUri('arn:aws:apigateway:us-east-1:sqs:other/x'), undefined);
    assert.equal(parseAwsServiceUri('http://example.com/'), undefined);
  });

  it('names the endpoint setting after the service', () => {
    assert.equal(endpointVariable('s3'), 'PORTICO_AWS_ENDPOINT_S3');
    assert.equal(endpointVariable('execute-api'), 'PORTICO_AWS_ENDPOINT_EXECUTE_API');
  });
});

describe('role credentials', () => {
  const role = 'arn:aws:iam::123456789012:role/apigAwsProxyRole';
  const keys = { accessKeyId: 'AKIAROLE', secretAccessKey: 'secret' };

  it('reads the JSON itself or a file holding it, and refuses malformed values', () => {
    assert.deepEqual(parseRoleCredentials(JSON.stringify({ [role]: keys })), { [role]: keys });
    const dir = mkdtempSync(join(tmpdir(), 'portico-roles-'));
    try {
      writeFileSync(join(dir, 'roles.json'), JSON.stringify({ [role]: { ...keys, sessionToken: 'token' } }));
      assert.deepEqual(parseRoleCredentials(join(dir, 'roles.json')), { [role]: { ...keys, sessionToken: 'token' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(parseRoleCredentials(undefined), {});
    assert.throws(() => parseRoleCredentials('{not json'), /PORTICO_ROLE_CREDENTIALS must be a JSON object/);
    assert.throws(() => parseRoleCredentials(JSON.stringify({ [role]: { accessKeyId: 'x' } })), /needs "accessKeyId" and "secretAccessKey"/);
    assert.throws(() => parseRoleCredentials('/no/such/file.json'), /cannot read/);
  });

  it('maps a role (with stage variables resolved), then `*`, then the fallback', () => {
    const other = { accessKeyId: 'AKIAANY', secretAccessKey: 'any' };
    const fallback = { accessKeyId: 'AKIAENV', secretAccessKey: 'env' };
    const roles = new RoleCredentials({ roles: { [role]: keys, '*': other }, fallback });
    assert.deepEqual(roles.forRole(role), keys);
    assert.deepEqual(roles.forRole('arn:aws:iam::123456789012:role/${stageVariables.role}', { role: 'apigAwsProxyRole' }), keys);
    assert.deepEqual(roles.forRole('arn:aws:iam::123456789012:role/other'), other);
    assert.deepEqual(roles.forRole(undefined), fallback);
    assert.equal(new RoleCredentials({ roles: {} }).forRole(role), undefined);
  });
});

describe('a traced call (TestInvokeMethod)', () => {
  const integration: Integration = { type: 'AWS', httpMethod: 'GET', uri: 'arn:aws:apigateway:us-east-1:s3:path/{bucket}', credentials: 'arn:aws:iam::123456789012:role/s3' };
  const method: Method = { httpMethod: 'GET', methodIntegration: integration };
  const deployment = compileDeployment({
    restApiId: 'a1b2c3d4e5',
    deploymentId: 'dep123',
    accountId: '123456789012',
    api: { name: 'test' },
    resources: [{ id: 'res123', path: '/', methods: { GET: method } }],
    models: [],
    requestValidators: [],
    authorizers: [],
    gatewayResponses: [],
  });
  const roleCredentials = new RoleCredentials({ roles: { '*': { accessKeyId: 'AKIAROLE', secretAccessKey: 'secret', sessionToken: 'session-token-value' } } });

  function traced(endpoint: string | undefined): InvocationContext {
    return testInvocation(deployment, {}, {
      method,
      integration,
      integrationRequest: { uri: 'arn:aws:apigateway:us-east-1:s3:path/photos', httpMethod: 'GET', headers: { accept: ['application/xml'] }, query: {}, body: Buffer.alloc(0) },
      services: { executeApiDomain: '', roleCredentials, awsEndpoints: endpoint ? { s3: endpoint } : {} },
      trace: {},
    });
  }

  const lines = (log: string) => log.split('\n').slice(1, -1).map((line) => line.replace(/^.*? : /, ''));

  it('logs the signed request with its credentials masked, and the answer before transformations', async () => {
    const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': 'r1' }).end('<ListBucketResult/>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ctx = traced(url);
      const result = await invokeAwsService(ctx);
      assert.equal(result.statusCode, 200);
      const log = lines(testInvokeResult(ctx, { response: { statusCode: 200, headers: {}, body: Buffer.from('<ListBucketResult/>') } }).log!);
      assert.ok(log.includes(`Endpoint request URI: ${url}/photos`), log.join('\n'));
      const headers = log.find((line) => line.startsWith('Endpoint request headers: '))!;
      assert.match(headers, /Authorization=\*+[0-9a-f]{6}[,}]/);
      assert.match(headers, /X-Amz-Security-Token=\*+-value[,}]/);
      assert.match(headers, /X-Amz-Date=\d{8}T\d{6}Z/);
      assert.ok(!headers.includes('AKIAROLE') && !headers.includes('session-token'), headers);
      assert.ok(log.some((line) => /^Received response\. Status: 200, Integration latency: \d+ ms$/.test(line)));
      assert.match(log.find((line) => line.startsWith('Endpoint response headers: '))!, /x-amz-request-id=r1/);
      assert.ok(log.includes('Endpoint response body before transformations: <ListBucketResult/>'));
    } finally {
      server.close();
    }
  });

  it('says why the call was not made', async () => {
    const ctx = traced(undefined);
    await assert.rejects(invokeAwsService(ctx), { type: 'API_CONFIGURATION_ERROR' });
    assert.deepEqual(ctx.trace!.failure, ['Execution failed due to configuration error: No endpoint for AWS service s3 (PORTICO_AWS_ENDPOINT_S3)']);
    const noKeys = testInvocation(deployment, {}, { ...traced('http://127.0.0.1:9'), services: { executeApiDomain: '', roleCredentials: new RoleCredentials({ roles: {} }), awsEndpoints: { s3: 'http://127.0.0.1:9' } } });
    await assert.rejects(invokeAwsService(noKeys), { type: 'API_CONFIGURATION_ERROR' });
    assert.deepEqual(noKeys.trace!.failure, ['Execution failed due to configuration error: API Gateway does not have permission to assume the provided role']);
  });
});
