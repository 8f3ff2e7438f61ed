// AWS service integration URIs as the worker reads them, and the role → credentials setting.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAwsServiceUri } from '../../src/data-plane/integrations/aws-service-settings.js';
import { endpointVariable } from '../../src/data-plane/integrations/aws-service.js';
import { parseRoleCredentials, RoleCredentials } from '../../src/data-plane/integrations/role-credentials.js';

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
