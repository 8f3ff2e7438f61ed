// The Developer Guide's Lambda walkthroughs, driven with the AWS CLI exactly as a user types them
// (`aws apigateway ... --endpoint-url`), then called over HTTP on the worker: Lambda proxy
// integration, Lambda non-proxy (custom) integration with its error handling, the Simple Calculator
// API, and Lambda authorizers (TOKEN and REQUEST), with the guides' "Test" steps as
// `aws apigateway test-invoke-method` / `test-invoke-authorizer`. The functions are the guide's, in
// test/functions/{name}/index.mjs: the walkthroughs' `aws lambda create-function` and
// `aws lambda add-permission` steps are skipped, since the built-in runner serves PORTICO_FUNCTIONS_DIR
// and needs no invoke permission. Skipped, visibly, where the AWS CLI is not installed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aws, awsCliSkip } from '../helpers/aws-cli.js';
import { randomAccountId } from '../helpers/client.js';
import { invoke, waitForStage } from '../helpers/invoke.js';

const skip = awsCliSkip;

/** A new API in a new account; answers its id, root resource id and the account. */
async function newApi(name: string) {
  const account = randomAccountId();
  const api = await aws(account, 'create-rest-api', '--name', name);
  return { account, restApiId: api.id as string, rootId: api.rootResourceId as string };
}

/** The integration URI of a function of the account, as the walkthroughs write it. */
const lambdaUri = (account: string, name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${account}:function:${name}/invocations`;

const json = { 'content-type': 'application/json' };

describe('Developer Guide Lambda walkthroughs with the AWS CLI', { skip, concurrency: true }, () => {
  it('Build an API with Lambda proxy integration (greeter in the query, headers and body)', async () => {
    const { account, restApiId, rootId } = await newApi('LambdaSimpleProxy');
    const hello = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'helloworld');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', hello.id, '--http-method', 'ANY', '--authorization-type', 'NONE');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', hello.id, '--http-method', 'ANY',
      '--type', 'AWS_PROXY', '--integration-http-method', 'POST', '--uri', lambdaUri(account, 'GetStartedLambdaProxyIntegration'));
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test');

    const byQuery = await waitForStage(restApiId, 'test', '/helloworld?greeter=John');
    assert.deepEqual([byQuery.status, byQuery.body], [200, 'Hello, John!']);
    assert.equal(byQuery.headers.get('content-type'), '*/*');
    const byHeader = await invoke(restApiId, 'test', '/helloworld', { headers: { ...json, greeter: 'John' } });
    assert.deepEqual([byHeader.status, byHeader.body], [200, 'Hello, John!']);
    const byBody = await invoke(restApiId, 'test', '/helloworld', { method: 'POST', headers: json, body: '{ "greeter": "John" }' });
    assert.deepEqual([byBody.status, byBody.body], [200, 'Hello, John!']);
    const nobody = await invoke(restApiId, 'test', '/helloworld');
    assert.deepEqual([nobody.status, nobody.body], [200, 'Hello, World!']);

    // The guide's "Test" step: TestInvokeMethod, with the execution log of the call to the function.
    const tested = await aws(account, 'test-invoke-method', '--rest-api-id', restApiId, '--resource-id', hello.id, '--http-method', 'ANY',
      '--path-with-query-string', '/helloworld?greeter=John');
    assert.deepEqual([tested.status, tested.body], [200, 'Hello, John!']);
    const log = String(tested.log);
    assert.ok(log.includes(`Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:${account}:function:GetStartedLambdaProxyIntegration/invocations`), log);
    assert.match(log, /Endpoint response body before transformations: \{"statusCode":200,/);
    assert.match(log, /Method completed with status: 200\n$/);
  });

  it('Build an API with Lambda non-proxy integration, with its error handling', async () => {
    const { account, restApiId, rootId } = await newApi('LambdaNonProxyAPI');
    const city = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', '{city}');
    await aws(account, 'create-model', '--rest-api-id', restApiId, '--name', 'GetStartedLambdaIntegrationUserInput', '--content-type', 'application/json',
      '--schema', '{"$schema": "http://json-schema.org/draft-04/schema#", "title": "GetStartedLambdaIntegrationInputModel", "type": "object", "properties": {"callerName": {"type": "string"}}}');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', city.id, '--http-method', 'ANY', '--authorization-type', 'NONE',
      '--request-parameters', 'method.request.path.city=true,method.request.querystring.time=false,method.request.header.day=false',
      '--request-models', 'application/json=GetStartedLambdaIntegrationUserInput');
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '{',
      '  "city": "$input.params(\'city\')",',
      '  "time": "$input.params(\'time\')",',
      '  "day":  "$input.params(\'day\')",',
      '  "name": "$inputRoot.callerName"',
      '}',
    ].join('\n');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', city.id, '--http-method', 'ANY',
      '--type', 'AWS', '--integration-http-method', 'POST', '--uri', lambdaUri(account, 'GetStartedLambdaIntegration'),
      '--request-templates', JSON.stringify({ 'application/json': template }), '--passthrough-behavior', 'WHEN_NO_TEMPLATES');
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', city.id, '--http-method', 'ANY', '--status-code', '200',
      '--response-models', 'application/json=Empty');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', city.id, '--http-method', 'ANY', '--status-code', '200',
      '--selection-pattern', '');

    // "Handle Lambda errors in API Gateway": a standard error matched by its errorMessage, and a custom
    // error whose JSON errorMessage the integration response reads into headers.
    const standard = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'standard-error');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', standard.id, '--http-method', 'GET', '--authorization-type', 'NONE');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', standard.id, '--http-method', 'GET',
      '--type', 'AWS', '--integration-http-method', 'POST', '--uri', lambdaUri(account, 'standardLambdaError'));
    for (const status of ['200', '400']) {
      await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', standard.id, '--http-method', 'GET', '--status-code', status);
    }
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', standard.id, '--http-method', 'GET', '--status-code', '200', '--selection-pattern', '');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', standard.id, '--http-method', 'GET', '--status-code', '400',
      '--selection-pattern', 'Malformed.*', '--response-templates', JSON.stringify({ 'application/json': '{"reason": $input.json(\'$.errorMessage\')}' }));

    const custom = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'custom-error');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', custom.id, '--http-method', 'GET', '--authorization-type', 'NONE');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', custom.id, '--http-method', 'GET',
      '--type', 'AWS', '--integration-http-method', 'POST', '--uri', lambdaUri(account, 'customLambdaError'));
    const errorHeaders = ['error_trace_function', 'error_status', 'error_type', 'error_trace'];
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', custom.id, '--http-method', 'GET', '--status-code', '200',
      '--response-parameters', errorHeaders.map((h) => `method.response.header.${h}=false`).join(','));
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', custom.id, '--http-method', 'GET', '--status-code', '200',
      '--selection-pattern', '', '--response-parameters', JSON.stringify({
        'method.response.header.error_trace_function': 'integration.response.body.errorMessage.trace.function',
        'method.response.header.error_status': 'integration.response.body.errorMessage.httpStatus',
        'method.response.header.error_type': 'integration.response.body.errorMessage.errorType',
        'method.response.header.error_trace': 'integration.response.body.errorMessage.trace',
      }));
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test');

    const greeting = await waitForStage(restApiId, 'test', '/Seattle?time=morning');
    assert.equal(greeting.status, 200, greeting.body);
    const posted = await invoke(restApiId, 'test', '/Seattle?time=morning', { method: 'POST', headers: { ...json, day: 'Wednesday' }, body: '{ "callerName": "John" }' });
    assert.deepEqual([posted.status, JSON.parse(posted.body)], [200, 'Good morning, John of Seattle. Happy Wednesday!']);
    assert.deepEqual(JSON.parse(greeting.body), 'Good morning, you of Seattle. ');
    // The guide's "Test" step, as the console sends it.
    const tested = await aws(account, 'test-invoke-method', '--rest-api-id', restApiId, '--resource-id', city.id, '--http-method', 'ANY',
      '--path-with-query-string', '/Seattle?time=morning', '--headers', 'day=Wednesday,Content-Type=application/json', '--body', '{ "callerName": "John" }');
    assert.deepEqual([tested.status, JSON.parse(tested.body)], [200, 'Good morning, John of Seattle. Happy Wednesday!']);
    assert.match(String(tested.log), /Endpoint request body after transformations: \{\n {2}"city": "Seattle",\n {2}"time": "morning",\n {2}"day": {2}"Wednesday",\n {2}"name": "John"\n\}/);

    const malformed = await invoke(restApiId, 'test', '/standard-error');
    assert.deepEqual([malformed.status, JSON.parse(malformed.body)], [400, { reason: 'Malformed input ...' }]);

    const customError = await invoke(restApiId, 'test', '/custom-error');
    assert.equal(customError.status, 200, customError.body);
    assert.equal(customError.headers.get('error_type'), 'InternalServerError');
    assert.equal(customError.headers.get('error_status'), '500');
    assert.equal(customError.headers.get('error_trace_function'), 'abc()');
    assert.deepEqual(JSON.parse(customError.headers.get('error_trace')!), { function: 'abc()', line: 123, file: 'abc.js' });
    assert.equal(JSON.parse(JSON.parse(customError.body).errorMessage).errorType, 'InternalServerError');
  });

  it('Simple Calculator API: GET with query strings, POST with a JSON body, GET with path parameters', async () => {
    const { account, restApiId, rootId } = await newApi('LambdaCalc');
    const schema = (value: unknown) => JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', ...(value as object) });
    await aws(account, 'create-model', '--rest-api-id', restApiId, '--name', 'Input', '--content-type', 'application/json', '--schema',
      schema({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string' } }, title: 'Input' }));
    await aws(account, 'create-model', '--rest-api-id', restApiId, '--name', 'Output', '--content-type', 'application/json', '--schema',
      schema({ type: 'object', properties: { c: { type: 'number' } }, title: 'Output' }));
    await aws(account, 'create-model', '--rest-api-id', restApiId, '--name', 'Result', '--content-type', 'application/json', '--schema', schema({
      type: 'object', title: 'Result',
      properties: { input: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Input` }, output: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Output` } },
    }));
    const calc = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', 'calc');
    const uri = lambdaUri(account, 'Calc');

    // GET /calc?operand1=&operand2=&operator=
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'GET', '--authorization-type', 'NONE',
      '--request-parameters', 'method.request.querystring.operand1=true,method.request.querystring.operand2=true,method.request.querystring.operator=true');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'GET', '--type', 'AWS',
      '--integration-http-method', 'POST', '--uri', uri, '--passthrough-behavior', 'WHEN_NO_TEMPLATES', '--request-templates', JSON.stringify({
        'application/json': '{\n    "a":  "$input.params(\'operand1\')",\n    "b":  "$input.params(\'operand2\')", \n    "op": "$input.params(\'operator\')"   \n}',
      }));
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'GET', '--status-code', '200', '--response-models', 'application/json=Empty');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'GET', '--status-code', '200', '--selection-pattern', '');

    // POST /calc with the Input model as the body, passed through
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'POST', '--authorization-type', 'NONE',
      '--request-models', 'application/json=Input');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'POST', '--type', 'AWS',
      '--integration-http-method', 'POST', '--uri', uri, '--passthrough-behavior', 'WHEN_NO_MATCH');
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'POST', '--status-code', '200', '--response-models', 'application/json=Output');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', calc.id, '--http-method', 'POST', '--status-code', '200', '--selection-pattern', '');

    // GET /calc/{operand1}/{operand2}/{operator}, answering the Result model
    const op1 = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', calc.id, '--path-part', '{operand1}');
    const op2 = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', op1.id, '--path-part', '{operand2}');
    const operator = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', op2.id, '--path-part', '{operator}');
    await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', operator.id, '--http-method', 'GET', '--authorization-type', 'NONE',
      '--request-parameters', 'method.request.path.operand1=true,method.request.path.operand2=true,method.request.path.operator=true');
    await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', operator.id, '--http-method', 'GET', '--type', 'AWS',
      '--integration-http-method', 'POST', '--uri', uri, '--passthrough-behavior', 'WHEN_NO_TEMPLATES', '--request-templates', JSON.stringify({
        'application/json': '{\n   "a": "$input.params(\'operand1\')",\n   "b": "$input.params(\'operand2\')",\n   "op": #if($input.params(\'operator\')==\'%2F\')"/"#{else}"$input.params(\'operator\')"#end\n}',
      }));
    await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', operator.id, '--http-method', 'GET', '--status-code', '200', '--response-models', 'application/json=Result');
    await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', operator.id, '--http-method', 'GET', '--status-code', '200', '--selection-pattern', '',
      '--response-templates', JSON.stringify({
        'application/json': '#set($inputRoot = $input.path(\'$\'))\n{\n  "input" : {\n    "a" : $inputRoot.a,\n    "b" : $inputRoot.b,\n    "op" : "$inputRoot.op"\n  },\n  "output" : {\n    "c" : $inputRoot.c\n  }\n}',
      }));
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test');

    const query = await waitForStage(restApiId, 'test', '/calc?operand1=1&operand2=2&operator=%2B');
    assert.deepEqual([query.status, JSON.parse(query.body)], [200, { a: 1, b: 2, op: '+', c: 3 }]);
    const invalid = await invoke(restApiId, 'test', '/calc?operand1=1&operand2=2&operator=pow');
    assert.deepEqual([invalid.status, JSON.parse(invalid.body)], [200, '400 Invalid Operator']);
    const posted = await invoke(restApiId, 'test', '/calc', { method: 'POST', headers: json, body: '{"a": 1, "b": 2, "op": "*"}' });
    assert.deepEqual([posted.status, JSON.parse(posted.body)], [200, { a: 1, b: 2, op: '*', c: 2 }]);
    const divided = await invoke(restApiId, 'test', '/calc/1/2/%2F');
    assert.deepEqual([divided.status, JSON.parse(divided.body)], [200, { input: { a: 1, b: 2, op: '/' }, output: { c: 0.5 } }]);
    const added = await invoke(restApiId, 'test', '/calc/3/4/add');
    assert.deepEqual(JSON.parse(added.body), { input: { a: 3, b: 4, op: 'add' }, output: { c: 7 } });
  });

  it('Use API Gateway Lambda authorizers: TOKEN and REQUEST', async () => {
    const { account, restApiId, rootId } = await newApi('LambdaAuthorizers');
    const token = await aws(account, 'create-authorizer', '--rest-api-id', restApiId, '--name', 'First_Token_Custom_Authorizer', '--type', 'TOKEN',
      '--authorizer-uri', lambdaUri(account, 'customAuthFunction'), '--identity-source', 'method.request.header.authorizationToken',
      '--authorizer-result-ttl-in-seconds', '300');
    const request = await aws(account, 'create-authorizer', '--rest-api-id', restApiId, '--name', 'First_Request_Custom_Authorizer', '--type', 'REQUEST',
      '--authorizer-uri', lambdaUri(account, 'requestAuthFunction'),
      '--identity-source', 'method.request.header.HeaderAuth1,method.request.querystring.QueryString1,stageVariables.StageVar1',
      '--authorizer-result-ttl-in-seconds', '300');
    // Each method answers what its authorizer passed on, through a MOCK integration's response template.
    const context = '{"principalId": "$context.authorizer.principalId", "stringKey": "$context.authorizer.stringKey", "numberKey": "$context.authorizer.numberKey", "booleanKey": "$context.authorizer.booleanKey"}';
    for (const [pathPart, authorizer] of [['token', token], ['request', request]] as const) {
      const res = await aws(account, 'create-resource', '--rest-api-id', restApiId, '--parent-id', rootId, '--path-part', pathPart);
      await aws(account, 'put-method', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET',
        '--authorization-type', 'CUSTOM', '--authorizer-id', authorizer.id);
      await aws(account, 'put-integration', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--type', 'MOCK',
        '--request-templates', '{"application/json": "{\\"statusCode\\": 200}"}');
      await aws(account, 'put-method-response', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--status-code', '200');
      await aws(account, 'put-integration-response', '--rest-api-id', restApiId, '--resource-id', res.id, '--http-method', 'GET', '--status-code', '200',
        '--selection-pattern', '', '--response-templates', JSON.stringify({ 'application/json': context }));
    }
    await aws(account, 'create-deployment', '--rest-api-id', restApiId, '--stage-name', 'test', '--variables', 'StageVar1=stageValue1');

    const allowed = await waitForStage(restApiId, 'test', '/token');
    assert.deepEqual([allowed.status, JSON.parse(allowed.body)], [401, { message: 'Unauthorized' }], 'no token: 401');
    const allow = await invoke(restApiId, 'test', '/token', { headers: { authorizationToken: 'allow' } });
    assert.deepEqual([allow.status, JSON.parse(allow.body)], [200, { principalId: 'user', stringKey: 'stringval', numberKey: '123', booleanKey: 'true' }]);
    const deny = await invoke(restApiId, 'test', '/token', { headers: { authorizationToken: 'deny' } });
    assert.deepEqual([deny.status, JSON.parse(deny.body)], [403, { Message: 'User is not authorized to access this resource with an explicit deny' }]);
    const unauthorized = await invoke(restApiId, 'test', '/token', { headers: { authorizationToken: 'unauthorized' } });
    assert.deepEqual([unauthorized.status, JSON.parse(unauthorized.body)], [401, { message: 'Unauthorized' }]);
    const invalid = await invoke(restApiId, 'test', '/token', { headers: { authorizationToken: 'fail' } });
    assert.deepEqual([invalid.status, JSON.parse(invalid.body)], [500, { message: null }]);

    const request1 = await invoke(restApiId, 'test', '/request?QueryString1=queryValue1', { headers: { HeaderAuth1: 'headerValue1' } });
    assert.deepEqual([request1.status, JSON.parse(request1.body)], [200, { principalId: 'me', stringKey: 'stringval', numberKey: '123', booleanKey: 'true' }]);
    const wrongValue = await invoke(restApiId, 'test', '/request?QueryString1=other', { headers: { HeaderAuth1: 'headerValue1' } });
    assert.deepEqual([wrongValue.status, JSON.parse(wrongValue.body)], [401, { message: 'Unauthorized' }]);
    const missingSource = await invoke(restApiId, 'test', '/request', { headers: { HeaderAuth1: 'headerValue1' } });
    assert.deepEqual([missingSource.status, JSON.parse(missingSource.body)], [401, { message: 'Unauthorized' }]);

    // The guide's "Test authorizer" steps: TestInvokeAuthorizer with each authorizer's identity sources.
    const tokenAllowed = await aws(account, 'test-invoke-authorizer', '--rest-api-id', restApiId, '--authorizer-id', token.id, '--headers', 'authorizationToken=allow');
    assert.deepEqual([tokenAllowed.clientStatus, tokenAllowed.principalId], [200, 'user']);
    assert.equal(JSON.parse(tokenAllowed.policy).Statement[0].Effect, 'Allow');
    const tokenDenied = await aws(account, 'test-invoke-authorizer', '--rest-api-id', restApiId, '--authorizer-id', token.id, '--headers', 'authorizationToken=deny');
    assert.deepEqual([tokenDenied.clientStatus, JSON.parse(tokenDenied.policy).Statement[0].Effect], [200, 'Deny']);
    const tokenRefused = await aws(account, 'test-invoke-authorizer', '--rest-api-id', restApiId, '--authorizer-id', token.id, '--headers', 'authorizationToken=unauthorized');
    assert.equal(tokenRefused.clientStatus, 401);
    const requestAllowed = await aws(account, 'test-invoke-authorizer', '--rest-api-id', restApiId, '--authorizer-id', request.id,
      '--headers', 'HeaderAuth1=headerValue1', '--path-with-query-string', '/request?QueryString1=queryValue1', '--stage-variables', 'StageVar1=stageValue1');
    assert.deepEqual([requestAllowed.clientStatus, requestAllowed.principalId], [200, 'me']);
    const requestRefused = await aws(account, 'test-invoke-authorizer', '--rest-api-id', restApiId, '--authorizer-id', request.id,
      '--headers', 'HeaderAuth1=headerValue1', '--path-with-query-string', '/request?QueryString1=queryValue1');
    assert.equal(requestRefused.clientStatus, 401);
  });
});
