// GatewayResponse: AWS's defaults for every type, customizing with put and update, the DEFAULT_4XX /
// DEFAULT_5XX inheritance, deleting back to the default, and the errors AWS answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateRestApiCommand,
  DeleteGatewayResponseCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  PutGatewayResponseCommand,
  UpdateGatewayResponseCommand,
  type APIGatewayClient,
  type GatewayResponseType,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const defaultTemplates = { 'application/json': '{"message":$context.error.messageString}' };
const customTemplates = {
  'application/json':
    '{\n     "message": $context.error.messageString,\n     "type":  "$context.error.responseType",\n     "stage":  "$context.stage",\n     "resourcePath":  "$context.resourcePath",\n     "stageVariables.a":  "$stageVariables.a",\n     "statusCode": "\'404\'"\n}',
};
const customParameters = {
  'gatewayresponse.header.x-request-path': 'method.request.path.petId',
  'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
  'gatewayresponse.header.x-request-query': 'method.request.querystring.q',
  'gatewayresponse.header.x-request-header': 'method.request.header.Accept',
};

/** AWS's default status code of every type, as GetGatewayResponses lists them on a new API. */
const defaultStatusCodes: Record<string, string | undefined> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

const enumMessage =
  "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]";

const strip = <T extends { $metadata?: unknown }>(output: T) => {
  const { $metadata, ...rest } = output;
  return rest;
};

function defaultResponse(type: string, statusCode = defaultStatusCodes[type]) {
  return {
    defaultResponse: true,
    responseParameters: {},
    responseTemplates: defaultTemplates,
    responseType: type,
    ...(statusCode ? { statusCode } : {}),
  };
}

async function newApi(client: APIGatewayClient): Promise<string> {
  return (await client.send(new CreateRestApiCommand({ name: 'gateway-responses' }))).id!;
}

const update = (client: APIGatewayClient, restApiId: string, responseType: string, patchOperations: PatchOperation[]) =>
  client.send(new UpdateGatewayResponseCommand({ restApiId, responseType: responseType as GatewayResponseType, patchOperations }));

describe('GatewayResponse', () => {
  it('lists every type with AWS defaults, customizes one, and deletes it back to the default', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    const initial = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.deepEqual(strip(initial), defaultResponse('MISSING_AUTHENTICATION_TOKEN'));

    const put = await client.send(
      new PutGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseParameters: customParameters, responseTemplates: customTemplates }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    const customized = { defaultResponse: false, responseParameters: customParameters, responseTemplates: customTemplates, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404' };
    assert.deepEqual(strip(put), customized);

    const all = await client.send(new GetGatewayResponsesCommand({ restApiId }));
    assert.deepEqual(
      all.items,
      Object.keys(defaultStatusCodes).map((type) => (type === 'MISSING_AUTHENTICATION_TOKEN' ? customized : defaultResponse(type))),
    );
    assert.equal(all.position, undefined);
    assert.deepEqual(strip(await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))), customized);

    const deleted = await client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    const after = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.deepEqual(strip(after), defaultResponse('MISSING_AUTHENTICATION_TOKEN'));
  });

  it('fills what a put leaves out from the type default, and DEFAULT_5XX changes only the 5xx types not customized', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    const putMissingToken = (input: { statusCode?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }) =>
      client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', ...input })).then(strip);
    const base = { defaultResponse: false, responseType: 'MISSING_AUTHENTICATION_TOKEN' };

    assert.deepEqual(await putMissingToken({ statusCode: '404' }), { ...base, responseParameters: {}, responseTemplates: defaultTemplates, statusCode: '404' });
    const headerOnly = { 'gatewayresponse.header.x-request-header': 'method.request.header.Accept' };
    assert.deepEqual(await putMissingToken({ responseParameters: headerOnly }), { ...base, responseParameters: headerOnly, responseTemplates: defaultTemplates, statusCode: '403' });
    assert.deepEqual(await putMissingToken({ responseTemplates: customTemplates }), { ...base, responseParameters: {}, responseTemplates: customTemplates, statusCode: '403' });

    const default5xx = { responseParameters: headerOnly, responseTemplates: customTemplates, statusCode: '599' };
    const put5xx = await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_5XX', ...default5xx }));
    assert.deepEqual(strip(put5xx), { defaultResponse: false, responseType: 'DEFAULT_5XX', ...default5xx });
    const foo = { 'gatewayresponse.header.foo': "'bar'" };
    const authorizerFailure = await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'AUTHORIZER_FAILURE', responseParameters: foo }));
    assert.deepEqual(strip(authorizerFailure), { defaultResponse: false, responseParameters: foo, responseTemplates: defaultTemplates, responseType: 'AUTHORIZER_FAILURE', statusCode: '500' });

    const items = (await client.send(new GetGatewayResponsesCommand({ restApiId }))).items!;
    const byType = Object.fromEntries(items.map((item) => [item.responseType, item]));
    for (const type of ['API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT']) {
      assert.deepEqual(byType[type], { defaultResponse: true, responseType: type, ...default5xx });
    }
    assert.deepEqual(byType.AUTHORIZER_FAILURE, strip(authorizerFailure));
    assert.deepEqual(byType.DEFAULT_4XX, defaultResponse('DEFAULT_4XX'));
    assert.deepEqual(byType.ACCESS_DENIED, defaultResponse('ACCESS_DENIED'));
    assert.deepEqual(byType.MISSING_AUTHENTICATION_TOKEN, { ...base, responseParameters: {}, responseTemplates: customTemplates, statusCode: '403' });
    const integrationTimeout = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'INTEGRATION_TIMEOUT' }));
    assert.deepEqual(strip(integrationTimeout), byType.INTEGRATION_TIMEOUT);
  });

  it('lets a customized DEFAULT_4XX change the 4xx types not customized', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    const cors = { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" };
    await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', responseParameters: cors }));
    const unauthorized = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
    assert.deepEqual(strip(unauthorized), { defaultResponse: true, responseParameters: cors, responseTemplates: defaultTemplates, responseType: 'UNAUTHORIZED', statusCode: '401' });
    const throttled = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'THROTTLED' }));
    assert.deepEqual(throttled.responseParameters, cors);
    const integrationFailure = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'INTEGRATION_FAILURE' }));
    assert.deepEqual(strip(integrationFailure), defaultResponse('INTEGRATION_FAILURE'));
  });

  it('updates a type not yet customized, then its status code, parameters and templates', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    const notSet = await update(client, restApiId, 'DEFAULT_4XX', [{ op: 'replace', path: '/statusCode', value: '444' }]);
    const expected = { defaultResponse: false, responseParameters: {}, responseTemplates: defaultTemplates, responseType: 'DEFAULT_4XX', statusCode: '444' };
    assert.equal(notSet.$metadata.httpStatusCode, 200);
    assert.deepEqual(strip(notSet), expected);
    assert.deepEqual(strip(await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))), expected);

    const nested = { 'application/json': JSON.stringify({ 'application/json': '{"message":$context.error.messageString}' }) };
    const put = await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', statusCode: '404', responseParameters: customParameters, responseTemplates: nested }));
    assert.deepEqual(strip(put), { defaultResponse: false, responseParameters: customParameters, responseTemplates: nested, responseType: 'DEFAULT_4XX', statusCode: '404' });

    const xml = '<gatewayResponse><message>$context.error.messageString</message><type>$context.error.responseType</type></gatewayResponse>';
    const updated = await update(client, restApiId, 'DEFAULT_4XX', [
      { op: 'replace', path: '/statusCode', value: '444' },
      { op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'" },
      { op: 'add', path: '/responseTemplates/application~1xml', value: xml },
    ]);
    const afterUpdate = {
      defaultResponse: false,
      responseParameters: { ...customParameters, 'gatewayresponse.header.Access-Control-Allow-Origin': "'example.com'" },
      responseTemplates: { ...nested, 'application/xml': xml },
      responseType: 'DEFAULT_4XX',
      statusCode: '444',
    };
    assert.deepEqual(strip(updated), afterUpdate);
    assert.deepEqual(strip(await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))), afterUpdate);

    const removed = await update(client, restApiId, 'DEFAULT_4XX', [
      { op: 'remove', path: '/responseParameters/gatewayresponse.header.x-request-path' },
      { op: 'remove', path: '/responseTemplates/application~1json' },
    ]);
    assert.equal(removed.responseParameters!['gatewayresponse.header.x-request-path'], undefined);
    assert.deepEqual(removed.responseTemplates, { 'application/xml': xml });
  });

  it('rejects bad patches with AWS messages and leaves the response unchanged', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    await client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', statusCode: '404', responseParameters: customParameters }));
    const patch = (op: PatchOperation) => update(client, restApiId, 'DEFAULT_4XX', [op]);

    await expectError(patch({ op: 'add', path: '/statusCode', value: '444' }), 'BadRequestException', 400, 'Invalid patch path /statusCode');
    await expectError(patch({ op: 'remove', path: '/statusCode' }), 'BadRequestException', 400, 'Invalid patch path /statusCode');
    await expectError(patch({ op: 'add', value: "'example.com'" }), 'BadRequestException', 400, 'Invalid patch path null');
    await expectError(patch({ op: 'add', path: '/wrongPath', value: "'example.com'" }), 'BadRequestException', 400, 'Invalid patch path /wrongPath');
    await expectError(
      patch({ op: 'wrong-op' as 'add', path: '/statusCode', value: "'example.com'" }),
      'ValidationException',
      400,
      "1 validation error detected: Value 'wrong-op' at 'updateGatewayResponseInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
    await expectError(patch({ op: 'replace', path: '/responseTemplates/application~1xml' }), 'BadRequestException', 400, 'Invalid null or empty value in responseTemplates');
    await expectError(
      patch({ op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin' }),
      'BadRequestException',
      400,
      'Invalid null or empty value in responseParameters',
    );
    await expectError(
      update(client, restApiId, 'DEFAULT_5XX', [{ op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'" }]),
      'NotFoundException',
      404,
      'Invalid parameter name specified',
    );
    await expectError(patch({ op: 'replace', path: '/statusCode', value: '99' }), 'BadRequestException', 400, 'Invalid status code specified: 99');

    const unchanged = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }));
    assert.equal(unchanged.statusCode, '404');
    assert.deepEqual(unchanged.responseParameters, customParameters);
    const default5xx = await client.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_5XX' }));
    assert.equal(default5xx.defaultResponse, true);
  });

  it('answers unknown APIs, unknown types and types not customized as AWS does', async () => {
    const client = newClient();
    const restApiId = await newApi(client);
    const fake = 'apiid123fake';
    const noApi = `Invalid API identifier specified ${client.accountId}:${fake}`;
    await expectError(client.send(new GetGatewayResponsesCommand({ restApiId: fake })), 'NotFoundException', 404, noApi);
    await expectError(client.send(new GetGatewayResponseCommand({ restApiId: fake, responseType: 'DEFAULT_4XX' })), 'NotFoundException', 404, noApi);
    await expectError(client.send(new DeleteGatewayResponseCommand({ restApiId: fake, responseType: 'DEFAULT_4XX' })), 'NotFoundException', 404, noApi);
    await expectError(update(client, fake, 'DEFAULT_4XX', []), 'NotFoundException', 404, noApi);
    await expectError(client.send(new PutGatewayResponseCommand({ restApiId: fake, responseType: 'DEFAULT_4XX' })), 'NotFoundException', 404, noApi);
    await expectError(
      client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' })),
      'NotFoundException',
      404,
      'Gateway response type not defined on api',
    );

    const fakeType = 'FAKE_RESPONSE_TYPE' as GatewayResponseType;
    await expectError(client.send(new GetGatewayResponseCommand({ restApiId, responseType: fakeType })), 'ValidationException', 400, enumMessage);
    await expectError(client.send(new DeleteGatewayResponseCommand({ restApiId, responseType: fakeType })), 'ValidationException', 400, enumMessage);
    await expectError(update(client, restApiId, fakeType, []), 'ValidationException', 400, enumMessage);
    await expectError(
      client.send(new PutGatewayResponseCommand({ restApiId, responseType: fakeType, statusCode: '404', responseParameters: {}, responseTemplates: {} })),
      'ValidationException',
      400,
      enumMessage,
    );
    await expectError(
      client.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', statusCode: '600' })),
      'ValidationException',
      400,
      "1 validation error detected: Value '600' at 'putGatewayResponseInput.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
    );
  });

  it('keeps each API and account apart', async () => {
    const client = newClient();
    const first = await newApi(client);
    const second = await newApi(client);
    await client.send(new PutGatewayResponseCommand({ restApiId: first, responseType: 'THROTTLED', statusCode: '503' }));
    const other = await client.send(new GetGatewayResponseCommand({ restApiId: second, responseType: 'THROTTLED' }));
    assert.deepEqual(strip(other), defaultResponse('THROTTLED'));
    const stranger = newClient();
    await expectError(
      stranger.send(new GetGatewayResponseCommand({ restApiId: first, responseType: 'THROTTLED' })),
      'NotFoundException',
      404,
      `Invalid API identifier specified ${stranger.accountId}:${first}`,
    );
  });
});
