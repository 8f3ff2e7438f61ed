// Authorizer: TOKEN, REQUEST and COGNITO_USER_POOLS authorizers created with AWS's defaults, read,
// listed, updated through every patch path, deleted (not while a method uses them), and their errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  DeleteAuthorizerCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  PutMethodCommand,
  UpdateAuthorizerCommand,
  type APIGatewayClient,
  type CreateAuthorizerCommandInput,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:myApiAuthorizer';
const lambdaUri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
const userPoolArn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABC123';

const strip = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  return rest;
};

async function newApi(client: APIGatewayClient): Promise<{ restApiId: string; rootResourceId: string }> {
  const api = await client.send(new CreateRestApiCommand({ name: 'authorizers' }));
  return { restApiId: api.id!, rootResourceId: api.rootResourceId! };
}

type AuthorizerInput = Omit<CreateAuthorizerCommandInput, 'restApiId'>;
const token: AuthorizerInput = { name: 'token', type: 'TOKEN', authorizerUri: lambdaUri, identitySource: 'method.request.header.Authorization' };
const request: AuthorizerInput = {
  name: 'request',
  type: 'REQUEST',
  authorizerUri: lambdaUri,
  identitySource: 'method.request.header.Auth, method.request.querystring.user,stageVariables.stage,context.accountId',
};
const cognito: AuthorizerInput = { name: 'cognito', type: 'COGNITO_USER_POOLS', providerARNs: [userPoolArn], identitySource: 'method.request.header.Authorization' };

const create = (client: APIGatewayClient, restApiId: string, input: AuthorizerInput) => client.send(new CreateAuthorizerCommand({ restApiId, ...input }));
const update = (client: APIGatewayClient, restApiId: string, authorizerId: string, patchOperations: PatchOperation[]) =>
  client.send(new UpdateAuthorizerCommand({ restApiId, authorizerId, patchOperations }));

describe('Authorizer', () => {
  it('creates each type with AWS defaults, and gets and lists them', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);

    const created = await create(client, restApiId, { ...token, authorizerResultTtlInSeconds: 300, identityValidationExpression: '^Bearer .+$' });
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    const tokenAuthorizer = { ...token, id: created.id, authType: 'custom', authorizerResultTtlInSeconds: 300, identityValidationExpression: '^Bearer .+$' };
    assert.deepEqual(strip(created), tokenAuthorizer);

    const requestAuthorizer = await create(client, restApiId, { ...request, authType: 'my-label', authorizerCredentials: 'arn:aws:iam::123456789012:role/invoker' });
    assert.deepEqual(strip(requestAuthorizer), { ...request, id: requestAuthorizer.id, authType: 'my-label', authorizerCredentials: 'arn:aws:iam::123456789012:role/invoker' });
    assert.equal(requestAuthorizer.authorizerResultTtlInSeconds, undefined);

    const cognitoAuthorizer = await create(client, restApiId, cognito);
    assert.deepEqual(strip(cognitoAuthorizer), { ...cognito, id: cognitoAuthorizer.id, authType: 'cognito_user_pools' });

    const got = await client.send(new GetAuthorizerCommand({ restApiId, authorizerId: created.id }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.deepEqual(strip(got), tokenAuthorizer);

    const list = await client.send(new GetAuthorizersCommand({ restApiId }));
    assert.deepEqual(list.items?.map((a) => a.name), ['cognito', 'request', 'token']);
    const first = await client.send(new GetAuthorizersCommand({ restApiId, limit: 2 }));
    const rest = await client.send(new GetAuthorizersCommand({ restApiId, limit: 2, position: first.position }));
    assert.deepEqual([...first.items!, ...rest.items!].map((a) => a.id), list.items!.map((a) => a.id));
    assert.equal(rest.position, undefined);
  });

  it('accepts a REQUEST authorizer without identity source only when caching is off', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);
    const noSource = { name: 'no-source', type: 'REQUEST' as const, authorizerUri: lambdaUri };
    const message = 'Identity source is required when authorization caching is enabled (authorizerResultTtlInSeconds greater than 0)';
    await expectError(create(client, restApiId, noSource), 'BadRequestException', 400, message);
    await expectError(create(client, restApiId, { ...noSource, authorizerResultTtlInSeconds: 60 }), 'BadRequestException', 400, message);
    const uncached = await create(client, restApiId, { ...noSource, authorizerResultTtlInSeconds: 0 });
    assert.equal(uncached.authorizerResultTtlInSeconds, 0);
    assert.equal(uncached.identitySource, undefined);
  });

  it('rejects invalid authorizers with AWS messages', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);
    const badUri = 'arn:aws:apigateway:region:lambda:path/2015-03-31/functions/x/invocations';
    const uriMessage = (uri: string) => `Invalid Authorizer URI: ${uri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`;
    await expectError(create(client, restApiId, { ...token, authorizerUri: badUri }), 'BadRequestException', 400, uriMessage(badUri));
    await expectError(create(client, restApiId, { ...request, authorizerUri: undefined }), 'BadRequestException', 400, uriMessage('null'));

    const tokenSource = (source: string) =>
      `Invalid token source expression: ${source}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'`;
    await expectError(create(client, restApiId, { ...token, identitySource: 'method.request.querystring.key' }), 'BadRequestException', 400, tokenSource('method.request.querystring.key'));
    await expectError(create(client, restApiId, { ...token, identitySource: 'method.request.header.' }), 'BadRequestException', 400, tokenSource('method.request.header.'));
    await expectError(create(client, restApiId, { ...token, identitySource: undefined }), 'BadRequestException', 400, tokenSource('null'));
    await expectError(create(client, restApiId, { ...cognito, identitySource: 'Authorization' }), 'BadRequestException', 400, tokenSource('Authorization'));
    await expectError(
      create(client, restApiId, { ...request, identitySource: 'method.request.header.Auth,method.request.body.user' }),
      'BadRequestException',
      400,
      'Invalid identity source expression: method.request.body.user. The source must be one of method.request.header.{name}, method.request.querystring.{name}, stageVariables.{name} or context.{name}',
    );

    await expectError(create(client, restApiId, { ...cognito, providerARNs: [] }), 'BadRequestException', 400, 'A COGNITO_USER_POOLS authorizer requires at least one provider ARN');
    await expectError(
      create(client, restApiId, { ...cognito, providerARNs: ['arn:aws:iam::123456789012:role/x'] }),
      'BadRequestException',
      400,
      'Invalid provider ARN specified: arn:aws:iam::123456789012:role/x. Must be of the form arn:aws:cognito-idp:{region}:{account_id}:userpool/{user_pool_id}',
    );
    const ttlMessage = 'Invalid authorizerResultTtlInSeconds, must be between 0 and 3600';
    await expectError(create(client, restApiId, { ...token, authorizerResultTtlInSeconds: 3601 }), 'BadRequestException', 400, ttlMessage);
    await expectError(create(client, restApiId, { ...token, authorizerResultTtlInSeconds: -1 }), 'BadRequestException', 400, ttlMessage);
    await expectError(create(client, restApiId, { ...token, name: ' ' }), 'BadRequestException', 400, 'Authorizer name must be a non-empty string');
    await expectError(
      create(client, restApiId, { ...token, identityValidationExpression: '(' }),
      'BadRequestException',
      400,
      'Invalid identity validation expression specified: (',
    );
    await expectError(
      create(client, restApiId, { ...token, type: 'OAUTH' as 'TOKEN' }),
      'ValidationException',
      400,
      "1 validation error detected: Value 'OAUTH' at 'createAuthorizerInput.type' failed to satisfy constraint: Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]",
    );
    assert.deepEqual((await client.send(new GetAuthorizersCommand({ restApiId }))).items, []);
  });

  it('answers unknown APIs and authorizers as AWS does', async () => {
    const client = newClient();
    const fake = 'test-fake-rest-id';
    await expectError(
      create(client, fake, { name: 'fake-auth-name', type: 'TOKEN', authorizerUri: lambdaUri, identitySource: 'method.request.header.Authorization' }),
      'ConflictException',
      409,
      'Unable to complete operation due to concurrent modification. Please try again later.',
    );
    const noApi = `Invalid API identifier specified ${client.accountId}:${fake}`;
    await expectError(client.send(new GetAuthorizersCommand({ restApiId: fake })), 'NotFoundException', 404, noApi);
    await expectError(client.send(new GetAuthorizerCommand({ restApiId: fake, authorizerId: 'abc123' })), 'NotFoundException', 404, noApi);
    await expectError(update(client, fake, 'abc123', []), 'NotFoundException', 404, noApi);
    await expectError(client.send(new DeleteAuthorizerCommand({ restApiId: fake, authorizerId: 'abc123' })), 'NotFoundException', 404, noApi);

    const { restApiId } = await newApi(client);
    const noAuthorizer = 'Invalid Authorizer identifier specified';
    await expectError(client.send(new GetAuthorizerCommand({ restApiId, authorizerId: 'xxx' })), 'NotFoundException', 404, noAuthorizer);
    await expectError(update(client, restApiId, 'xxx', [{ op: 'replace', path: '/name', value: 'x' }]), 'NotFoundException', 404, noAuthorizer);
    await expectError(client.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: 'xxx' })), 'NotFoundException', 404, noAuthorizer);

    const authorizer = await create(client, restApiId, token);
    const stranger = newClient();
    await expectError(
      stranger.send(new GetAuthorizerCommand({ restApiId, authorizerId: authorizer.id })),
      'NotFoundException',
      404,
      `Invalid API identifier specified ${stranger.accountId}:${restApiId}`,
    );
  });

  it('updates every patch path and checks the result as a whole', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);
    const { id } = await create(client, restApiId, token);
    const newUri = lambdaUri.replace('myApiAuthorizer', 'other');
    const updated = await update(client, restApiId, id!, [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'replace', path: '/authorizerUri', value: newUri },
      { op: 'replace', path: '/identitySource', value: 'method.request.header.X-Token' },
      { op: 'replace', path: '/identityValidationExpression', value: '^x-[a-z]+' },
      { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '60' },
      { op: 'replace', path: '/authorizerCredentials', value: 'arn:aws:iam::123456789012:role/invoker' },
      { op: 'replace', path: '/authType', value: 'oauth2' },
    ]);
    const expected = {
      id,
      name: 'renamed',
      type: 'TOKEN',
      authType: 'oauth2',
      authorizerUri: newUri,
      authorizerCredentials: 'arn:aws:iam::123456789012:role/invoker',
      identitySource: 'method.request.header.X-Token',
      identityValidationExpression: '^x-[a-z]+',
      authorizerResultTtlInSeconds: 60,
    };
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.deepEqual(strip(updated), expected);
    assert.deepEqual(strip(await client.send(new GetAuthorizerCommand({ restApiId, authorizerId: id }))), expected);

    const cleared = await update(client, restApiId, id!, [
      { op: 'replace', path: '/identityValidationExpression', value: '' },
      { op: 'replace', path: '/authorizerCredentials' },
    ]);
    assert.equal(cleared.identityValidationExpression, undefined);
    assert.equal(cleared.authorizerCredentials, undefined);

    const asRequest = await update(client, restApiId, id!, [
      { op: 'replace', path: '/type', value: 'REQUEST' },
      { op: 'replace', path: '/identitySource', value: 'method.request.querystring.token' },
    ]);
    assert.equal(asRequest.type, 'REQUEST');
    assert.equal(asRequest.identitySource, 'method.request.querystring.token');

    const asCognito = await update(client, restApiId, id!, [
      { op: 'replace', path: '/type', value: 'COGNITO_USER_POOLS' },
      { op: 'add', path: '/providerARNs', value: userPoolArn },
      { op: 'add', path: '/providerARNs', value: userPoolArn.replace('ABC123', 'DEF456') },
      { op: 'replace', path: '/identitySource', value: 'method.request.header.Authorization' },
    ]);
    assert.deepEqual(asCognito.providerARNs, [userPoolArn, userPoolArn.replace('ABC123', 'DEF456')]);
    const oneLeft = await update(client, restApiId, id!, [{ op: 'remove', path: '/providerARNs', value: userPoolArn }]);
    assert.deepEqual(oneLeft.providerARNs, [userPoolArn.replace('ABC123', 'DEF456')]);
  });

  it('rejects bad patches with AWS messages and leaves the authorizer unchanged', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);
    const authorizer = await create(client, restApiId, token);
    const patch = (...ops: PatchOperation[]) => update(client, restApiId, authorizer.id!, ops);

    await expectError(
      patch({ op: 'add', path: '/notasetting', value: 'eu-west-1' }),
      'BadRequestException',
      400,
      "Invalid patch path  '/notasetting' specified for op 'add'. Must be one of: [/providerARNs]",
    );
    await expectError(
      patch({ op: 'add', path: '/name', value: 'x' }),
      'BadRequestException',
      400,
      "Invalid patch path  '/name' specified for op 'add'. Please choose supported operations",
    );
    await expectError(
      patch({ op: 'replace', path: '/notasetting', value: 'x' }),
      'BadRequestException',
      400,
      "Invalid patch path  '/notasetting' specified for op 'replace'. Must be one of: [/name, /type, /authorizerUri, /identitySource, /identityValidationExpression, /authorizerCredentials, /authType, /authorizerResultTtlInSeconds]",
    );
    await expectError(
      patch({ op: 'move', path: '/name', from: '/type' }),
      'BadRequestException',
      400,
      "Invalid patch path  '/name' specified for op 'move'. Please choose supported operations",
    );
    await expectError(
      patch({ op: 'replace', path: '/type', value: 'sth' }),
      'BadRequestException',
      400,
      'Invalid authorizer type: sth. Must be one of: [TOKEN, REQUEST, COGNITO_USER_POOLS]',
    );
    const ttlMessage = 'Invalid authorizerResultTtlInSeconds, must be between 0 and 3600';
    await expectError(patch({ op: 'replace', path: '/authorizerResultTtlInSeconds', value: 'abc' }), 'BadRequestException', 400, ttlMessage);
    await expectError(patch({ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '4000' }), 'BadRequestException', 400, ttlMessage);
    await expectError(patch({ op: 'replace', path: '/name', value: '' }), 'BadRequestException', 400, 'Authorizer name must be a non-empty string');
    await expectError(
      patch({ op: 'replace', path: '/authorizerUri', value: 'http://example.com' }),
      'BadRequestException',
      400,
      'Invalid Authorizer URI: http://example.com. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.',
    );
    await expectError(
      patch({ op: 'replace', path: '/type', value: 'COGNITO_USER_POOLS' }),
      'BadRequestException',
      400,
      'A COGNITO_USER_POOLS authorizer requires at least one provider ARN',
    );
    await expectError(patch({ op: 'add', path: '/providerARNs' }), 'BadRequestException', 400, 'Invalid null or empty value for path /providerARNs');

    const unchanged = await client.send(new GetAuthorizerCommand({ restApiId, authorizerId: authorizer.id }));
    assert.deepEqual(strip(unchanged), strip(authorizer));
  });

  it('deletes an authorizer, and refuses while a method uses it', async (t) => {
    const client = newClient();
    const { restApiId, rootResourceId } = await newApi(client);
    const unused = await create(client, restApiId, { ...token, name: 'unused' });
    const deleted = await client.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: unused.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await expectError(client.send(new GetAuthorizerCommand({ restApiId, authorizerId: unused.id })), 'NotFoundException', 404, 'Invalid Authorizer identifier specified');

    const used = await create(client, restApiId, { ...token, name: 'in-use' });
    try {
      await client.send(new PutMethodCommand({ restApiId, resourceId: rootResourceId, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: used.id }));
    } catch (e) {
      // PutMethod belongs to the methods family; until it is built this case cannot be set up.
      if ((e as Error).name === 'NotImplementedException') return t.skip('PutMethod is not built yet');
      throw e;
    }
    await expectError(
      client.send(new DeleteAuthorizerCommand({ restApiId, authorizerId: used.id })),
      'ConflictException',
      409,
      "Cannot delete authorizer 'in-use', is referenced in method: GET//",
    );
    assert.equal((await client.send(new GetAuthorizerCommand({ restApiId, authorizerId: used.id }))).name, 'in-use');
  });

  it('allows at most 10 authorizers per API', async () => {
    const client = newClient();
    const { restApiId } = await newApi(client);
    for (let i = 0; i < 10; i++) await create(client, restApiId, { ...token, name: `authorizer-${i}` });
    await expectError(create(client, restApiId, { ...token, name: 'one-too-many' }), 'LimitExceededException', 429, 'Cannot create more than 10 authorizers for an API');
    const other = await newApi(client);
    assert.ok((await create(client, other.restApiId, token)).id);
  });
});
