// Tags by ARN (TagResource, UntagResource, GetTags) and the account settings (GetAccount, UpdateAccount).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateRestApiCommand, GetAccountCommand, GetRestApiCommand, GetTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateAccountCommand } from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

describe('Tags', () => {
  it('tags and untags a REST API by its ARN', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'tagged', tags: { a: '1' } }));
    const resourceArn = `arn:aws:apigateway:us-east-1::/restapis/${api.id}`;
    await client.send(new TagResourceCommand({ resourceArn, tags: { b: '2', a: 'one' } }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn }))).tags, { a: 'one', b: '2' });
    await client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn }))).tags, { b: '2' });
    assert.deepEqual((await client.send(new GetRestApiCommand({ restApiId: api.id }))).tags, { b: '2' });
  });

  it('refuses malformed ARNs, unknown resources and reserved keys; other accounts see nothing', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 't' }));
    const resourceArn = `arn:aws:apigateway:us-east-1::/restapis/${api.id}`;
    await expectError(client.send(new GetTagsCommand({ resourceArn: 'not-an-arn' })), 'BadRequestException', 400, 'Invalid ARN specified in the request');
    await expectError(client.send(new GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/nope' })), 'NotFoundException', 404);
    await expectError(client.send(new TagResourceCommand({ resourceArn, tags: { 'aws:x': 'y' } })), 'BadRequestException', 400);
    await expectError(newClient().send(new GetTagsCommand({ resourceArn })), 'NotFoundException', 404);
  });
});

describe('Account', () => {
  it('has AWS defaults and takes throttle and role changes', async () => {
    const client = newClient();
    const account = await client.send(new GetAccountCommand({}));
    assert.deepEqual(account.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    const roleArn = `arn:aws:iam::${client.accountId}:role/apigw-logs`;
    const updated = await client.send(new UpdateAccountCommand({ patchOperations: [
      { op: 'replace', path: '/throttle/rateLimit', value: '100' },
      { op: 'replace', path: '/throttle/burstLimit', value: '50' },
      { op: 'replace', path: '/cloudwatchRoleArn', value: roleArn },
    ] }));
    assert.deepEqual(updated.throttleSettings, { burstLimit: 50, rateLimit: 100 });
    assert.equal((await client.send(new GetAccountCommand({}))).cloudwatchRoleArn, roleArn);
    assert.deepEqual((await newClient().send(new GetAccountCommand({}))).throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    await expectError(client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/nope', value: '1' }] })), 'BadRequestException', 400);
    await expectError(client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle/rateLimit', value: 'abc' }] })), 'BadRequestException', 400);
  });
});
