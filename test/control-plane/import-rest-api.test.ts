// ImportRestApi and PutRestApi: every OpenAPI fixture of the shared reference imported as AWS
// recorded it (the API, its models, authorizers, validators, resources, methods and integrations,
// compared with the recorded responses), base paths, merge and overwrite, warnings and errors, YAML,
// and the rule that a failed import writes nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CreateRestApiCommand,
  GetAuthorizersCommand,
  GetDocumentationPartsCommand,
  GetGatewayResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { expectError, newClient } from '../helpers/client.js';

const reference = new URL('../../../shared/reference/', import.meta.url).pathname;
const fixturesAvailable = existsSync(`${reference}openapi-fixtures`);
const skip = fixturesAvailable ? false : `the shared reference (${reference}) is not present`;
const fixture = (name: string) => readFileSync(`${reference}openapi-fixtures/${name}`, 'utf8');
const recorded = (): Record<string, { 'recorded-content': Record<string, unknown> }> =>
  JSON.parse(readFileSync(`${reference}aws-recorded/test_apigateway_import.snapshot.json`, 'utf8'));
const scenario = (name: string) => recorded()[`tests/aws/services/apigateway/test_apigateway_import.py::TestApiGatewayImportRestApi::${name}`]!['recorded-content'];

const LAMBDA_ARN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:importer/invocations';
const POOL_ARN = 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_ABC123';

type Client = APIGatewayClient & { accountId: string };

/**
 * Whether `actual` is what AWS recorded: `<...>` placeholders (ids, names, region) stand for any
 * text, "datetime" for any date, a recorded object for a JSON string (the recorder parses templates
 * and schemas), and key order does not matter.
 */
function mismatches(actual: unknown, expected: unknown, at = '$'): string[] {
  if (typeof expected === 'string') {
    if (expected === 'datetime') return actual instanceof Date || typeof actual === 'string' ? [] : [`${at}: expected a date`];
    const pattern = new RegExp(`^${expected.split(/<[^>]+>/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 's');
    return typeof actual === 'string' && pattern.test(actual) ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    return expected.flatMap((e, i) => mismatches(actual[i], e, `${at}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    let value = actual;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        return [`${at}: expected JSON ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
      }
    }
    if (typeof value !== 'object' || value === null) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    const e = expected as Record<string, unknown>;
    const a = value as Record<string, unknown>;
    const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== 'ResponseMetadata' && k !== '$metadata' && o[k] !== undefined).sort();
    if (JSON.stringify(keys(a)) !== JSON.stringify(keys(e))) return [`${at}: keys ${JSON.stringify(keys(a))}, expected ${JSON.stringify(keys(e))}`];
    return keys(e).flatMap((k) => mismatches(a[k], e[k], `${at}.${k}`));
  }
  return actual === expected ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function assertRecorded(actual: unknown, expected: unknown, what: string) {
  const problems = mismatches(actual, expected);
  assert.deepEqual(problems, [], `${what} differs from AWS's recording`);
}

async function asRecorded(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (e) {
    const err = e as Error;
    return { Error: { Code: err.name, Message: err.message }, message: err.message };
  }
}

/** Checks every recorded key of a scenario that the import's resources answer for. */
async function checkScenario(client: Client, restApiId: string, recording: Record<string, unknown>, prefix = '', resourcesKey = 'resources') {
  const resources = await client.send(new GetResourcesCommand({ restApiId }));
  const items = [...resources.items!].sort((a, b) => (a.path! < b.path! ? -1 : 1));
  assertRecorded({ items }, recording[resourcesKey], resourcesKey);
  for (const resource of items) {
    for (const httpMethod of Object.keys(resource.resourceMethods ?? {})) {
      const key = `${resource.path === '/' ? 'root' : resource.path!.slice(1)}-${httpMethod.toLowerCase()}`;
      const ids = { restApiId, resourceId: resource.id!, httpMethod };
      // Each call is wrapped as it starts: an error answer is part of the recording, and a rejection
      // left unhandled while an earlier call is awaited would fail the test.
      const checks: [string, Promise<unknown>][] = [
        [`${prefix}method-${key}`, asRecorded(client.send(new GetMethodCommand(ids)))],
        [`${prefix}method-response-${key}`, asRecorded(client.send(new GetMethodResponseCommand({ ...ids, statusCode: '200' })))],
        [`${prefix}integration-${key}`, asRecorded(client.send(new GetIntegrationCommand(ids)))],
        [`${prefix}integration-response-${key}`, asRecorded(client.send(new GetIntegrationResponseCommand({ ...ids, statusCode: '200' })))],
      ];
      for (const [name, answer] of checks) {
        assert.ok(name in recording, `the recording has ${name}`);
        assertRecorded(await answer, recording[name], name);
      }
    }
  }
}

async function importDocument(client: Client, body: string, parameters?: Record<string, string>) {
  return client.send(new ImportRestApiCommand({ body: Buffer.from(body), failOnWarnings: true, parameters }));
}

async function sortedModels(client: Client, restApiId: string) {
  const models = await client.send(new GetModelsCommand({ restApiId }));
  return { items: [...models.items!].sort((a, b) => (a.name! < b.name! ? -1 : 1)) };
}

describe('ImportRestApi: the reference fixtures as AWS recorded them', { skip }, () => {
  it('imports the Pulumi Swagger document (binary media types, gateway responses, two security schemes)', async () => {
    const client = newClient();
    const api = await importDocument(client, fixture('openapi.spec.pulumi.json'));
    assertRecorded(api, scenario('test_import_rest_api').import_rest_api, 'import_rest_api');
    const response = await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'UNAUTHORIZED' }));
    assert.equal(response.statusCode, '401');
    assert.equal(response.defaultResponse, false);
    assert.equal(response.responseTemplates?.['application/json'], '{"message":$context.error.messageString}');
    const authorizers = await client.send(new GetAuthorizersCommand({ restApiId: api.id }));
    assert.deepEqual(authorizers.items?.map((a) => [a.name, a.type, a.identitySource]), [['Auth0', 'TOKEN', 'method.request.header.Authorization']]);
  });

  it('imports the PetStore with authorizers as recorded', async () => {
    const client = newClient();
    const body = fixture('petstore-authorizer.swagger.json')
      .replaceAll('${uri}', 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets')
      .replaceAll('arn:aws:iam::account-id:role', 'arn:aws:iam::123456789012:role/importer');
    const recording = scenario('test_import_swagger_api');
    const api = await importDocument(client, body);
    assertRecorded(api, recording['import-swagger'], 'import-swagger');
    assertRecorded(await client.send(new GetAuthorizersCommand({ restApiId: api.id })), recording['get-authorizers'], 'get-authorizers');
    assertRecorded(await sortedModels(client, api.id!), recording['get-models'], 'get-models');
    await checkScenario(client, api.id!, recording);
    const parts = await client.send(new GetDocumentationPartsCommand({ restApiId: api.id, limit: 500 }));
    assert.equal(parts.items?.length, 14, 'the documentation parts come along');
  });

  for (const name of ['openapi.spec.tf.json', 'swagger-mock-cors.json']) {
    it(`imports ${name} as recorded`, async () => {
      const client = newClient();
      const recording = scenario(`test_import_and_validate_rest_api[${name}]`);
      const api = await importDocument(client, fixture(name));
      assertRecorded(api, recording.import_tf_rest_api, 'import');
      assertRecorded(await sortedModels(client, api.id!), recording['get-models'], 'get-models');
      await checkScenario(client, api.id!, recording);
    });
  }

  for (const mode of ['ignore', 'prepend', 'split']) {
    it(`puts a Swagger document with a basePath (basepath=${mode})`, async () => {
      const client = newClient();
      const recording = scenario(`test_import_rest_apis_with_base_path_swagger[${mode}]`);
      const created = await client.send(new CreateRestApiCommand({ name: 'base-path' }));
      const body = fixture('swagger.json')
        .replace(/arn:aws:apigateway:us-east-1:lambda:path[^"]+/, LAMBDA_ARN)
        .replace(/arn:aws:iam::000000000000:role\/[^"]+/, 'arn:aws:iam::123456789012:role/importer');
      const put = await client.send(new PutRestApiCommand({ restApiId: created.id, body: Buffer.from(body), mode: 'overwrite', parameters: { basepath: mode } }));
      assertRecorded(put, recording['put-rest-api-swagger-json'], 'put-rest-api-swagger-json');
      assert.equal(put.name, 'Import swagger JSON');
      assert.equal(put.rootResourceId, created.rootResourceId);
      await checkScenario(client, created.id!, recording, '', 'get-resources-swagger-json');
    });

    it(`puts OpenAPI 3 YAML with a basePath server variable, then a server URL (basepath=${mode})`, async () => {
      const client = newClient();
      const recording = scenario(`test_import_rest_api_with_base_path_oas30[${mode}]`);
      const created = await client.send(new CreateRestApiCommand({ name: 'base-path-oas' }));
      const restApiId = created.id!;
      const first = await client.send(
        new PutRestApiCommand({ restApiId, body: Buffer.from(fixture('openapi-basepath-server-variable.yaml')), mode: 'overwrite', parameters: { basepath: mode } }),
      );
      assertRecorded(first, recording['put-rest-api-oas30-srv-var'], 'put-rest-api-oas30-srv-var');
      await checkScenario(client, restApiId, recording, 'srv-var-', 'get-resources-oas30-srv-var');
      const before = await client.send(new GetResourcesCommand({ restApiId }));
      const second = await client.send(
        new PutRestApiCommand({ restApiId, body: Buffer.from(fixture('openapi-basepath-url.yaml')), mode: 'overwrite', parameters: { basepath: mode } }),
      );
      assertRecorded(second, recording['put-rest-api-oas30-srv-url'], 'put-rest-api-oas30-srv-url');
      await checkScenario(client, restApiId, recording, 'srv-url-', 'get-resources-oas30-srv-url');
      // Overwriting keeps the ids of resources whose paths stay.
      const after = await client.send(new GetResourcesCommand({ restApiId }));
      for (const resource of after.items!) {
        const same = before.items!.find((r) => r.path === resource.path);
        if (same) assert.equal(resource.id, same.id, resource.path);
      }
    });
  }

  it('imports a global API-key-source authorizer and the ANY method', async () => {
    const client = newClient();
    const recording = scenario('test_import_with_global_api_key_authorizer');
    const api = await importDocument(client, fixture('openapi.spec.global-auth.json').replaceAll('${authorizer_lambda_invocation_arn}', LAMBDA_ARN));
    assertRecorded(api, recording['import-swagger'], 'import-swagger');
    assertRecorded(await client.send(new GetAuthorizersCommand({ restApiId: api.id })), recording['get-authorizers'], 'get-authorizers');
    await checkScenario(client, api.id!, recording);
  });

  it('imports circular models, with and without a default request validator', async () => {
    for (const [file, name] of [
      ['openapi.spec.circular-ref.json', 'test_import_with_circular_models'],
      ['openapi.spec.circular-ref-with-request-body.json', 'test_import_with_circular_models_and_request_validation'],
    ] as const) {
      const client = newClient();
      const recording = scenario(name);
      const api = await importDocument(client, fixture(file));
      assertRecorded(api, recording['import-api'], `${name} import-api`);
      const models = await sortedModels(client, api.id!);
      // The recorder sorts `required`; the order is not AWS's to keep.
      for (const model of models.items) {
        const schema = JSON.parse(model.schema!);
        if (schema.required) model.schema = JSON.stringify({ ...schema, required: [...schema.required].sort() });
      }
      assertRecorded(models, recording['get-models'], `${name} get-models`);
      if (recording['request-validators']) {
        assertRecorded(await client.send(new GetRequestValidatorsCommand({ restApiId: api.id })), recording['request-validators'], 'request-validators');
      }
      await checkScenario(client, api.id!, recording);
    }
  });

  it('imports an AWS integration with its httpMethod and a MOCK without one', async () => {
    const client = newClient();
    const api = await importDocument(client, fixture('openapi-http-method-integration.json').replaceAll('${lambda_invocation_arn}', LAMBDA_ARN));
    await checkScenario(client, api.id!, scenario('test_import_with_http_method_integration'));
  });

  it('imports Cognito user pool authorizers with scopes', async () => {
    const client = newClient();
    const recording = scenario('test_import_with_cognito_auth_identity_source');
    const api = await importDocument(client, fixture('openapi.cognito-auth.json').replaceAll('${cognito_pool_arn}', POOL_ARN));
    assertRecorded(api, recording['import-swagger'], 'import-swagger');
    const authorizers = await client.send(new GetAuthorizersCommand({ restApiId: api.id }));
    assertRecorded(authorizers.items, recording['get-authorizers'], 'get-authorizers');
    await checkScenario(client, api.id!, recording);
  });

  it('imports YAML with integer status codes', async () => {
    const client = newClient();
    const api = await importDocument(client, fixture('openapi-method-int.spec.yaml'));
    await checkScenario(client, api.id!, scenario('test_import_with_integer_http_status_code'));
  });

  it('imports every other fixture', async () => {
    const client = newClient();
    for (const name of ['oas30_documentation_parts.json', 'openapi-mock.json', 'openapi.spec.json', 'openapi.spec.stage-variables.json', 'petstore-swagger.json']) {
      const body = fixture(name).replaceAll('${uri}', 'http://petstore.example.com/petstore/pets');
      const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body) }));
      const resources = await client.send(new GetResourcesCommand({ restApiId: api.id }));
      assert.ok(resources.items!.some((r) => r.resourceMethods), `${name} has methods`);
    }
  });
});

describe('ImportRestApi and PutRestApi', () => {
  const petsDocument = (title: string, mediaTypes: string[]) =>
    JSON.stringify({
      swagger: '2.0',
      info: { title, version: '1.0.0' },
      'x-amazon-apigateway-binary-media-types': mediaTypes,
      paths: {
        '/pets': {
          get: {
            responses: { '200': { description: 'ok' } },
            'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } },
          },
        },
      },
    });

  for (const mode of ['merge', 'overwrite'] as const) {
    it(`puts binary media types in ${mode} mode as AWS does`, async () => {
      const client = newClient();
      const created = await client.send(new CreateRestApiCommand({ name: 'binary', binaryMediaTypes: ['image/heif'] }));
      const put = await client.send(new PutRestApiCommand({ restApiId: created.id, mode, body: Buffer.from(petsDocument('Simple PetStore', ['image/png', 'image/jpg'])) }));
      // The recorded answer is compared where the shared reference is present; the values below hold either way.
      const recording = fixturesAvailable ? recorded()[`tests/aws/services/apigateway/test_apigateway_import.py::TestApiGatewayImportRestApi::test_put_rest_api_mode_binary_media_types[${mode}]`] : undefined;
      if (recording) assertRecorded(put, recording['recorded-content']['put-api'], 'put-api');
      assert.deepEqual(put.binaryMediaTypes, mode === 'merge' ? ['image/heif', 'image/png', 'image/jpg'] : ['image/png', 'image/jpg']);
      assert.equal(put.version, '1.0.0');
      assert.equal(put.name, 'Simple PetStore');
    });
  }

  it('merge keeps what the document does not mention; overwrite removes it', async () => {
    const client = newClient();
    const api = await importDocument(client, petsDocument('merging', []));
    const other = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'merging', version: '2' },
      paths: { '/owners': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
    });
    await client.send(new PutRestApiCommand({ restApiId: api.id, mode: 'merge', body: Buffer.from(other) }));
    let paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/owners', '/pets']);
    await client.send(new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: Buffer.from(other) }));
    paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/owners']);
  });

  it('answers a document it cannot read as AWS does', async () => {
    const client = newClient();
    const recording = fixturesAvailable ? scenario('test_import_api_bad_file') : undefined;
    for (const body of ['not: [valid', '{"openapi": "3.0.1", "info": ', 'just text', '{"hello": "world"}']) {
      const err = await expectError(client.send(new ImportRestApiCommand({ body: Buffer.from(body) })), 'BadRequestException', 400, 'Invalid OpenAPI input.');
      if (recording) assert.equal(err.message, (recording['import-api-bad-json-file'] as { message: string }).message);
    }
    const created = await client.send(new CreateRestApiCommand({ name: 'bad' }));
    await expectError(client.send(new PutRestApiCommand({ restApiId: created.id, body: Buffer.from('not: [valid') })), 'BadRequestException', 400, 'Invalid OpenAPI input.');
    await expectError(
      client.send(new PutRestApiCommand({ restApiId: 'nosuchapi', body: Buffer.from(petsDocument('x', [])) })),
      'NotFoundException',
      404,
      `Invalid API identifier specified ${client.accountId}:nosuchapi`,
    );
  });

  it('reports warnings, and fails on them only with failonwarnings', async () => {
    const client = newClient();
    const document = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'warned', version: '1' },
      paths: {
        '/test': {
          get: {
            responses: { '200': { description: 'ok' } },
            'x-amazon-apigateway-integration': { type: 'mock', requestParameters: { 'integration.request.header.flag': true, 'integration.request.header.kept': "'yes'" } },
          },
        },
      },
    });
    const warning = "Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.flag' of resource '/test' and method 'GET' but got 'true'";
    const before = (await client.send(new GetRestApisCommand({}))).items?.length ?? 0;
    await expectError(
      client.send(new ImportRestApiCommand({ body: Buffer.from(document), failOnWarnings: true })),
      'BadRequestException',
      400,
      `Warnings found during import:\n\t${warning}`,
    );
    assert.equal((await client.send(new GetRestApisCommand({}))).items?.length ?? 0, before, 'nothing was created');
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(document) }));
    assert.deepEqual(api.warnings, [warning]);
    const resource = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/test')!;
    const integration = await client.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: 'GET' }));
    assert.deepEqual(integration.requestParameters, { 'integration.request.header.kept': "'yes'" });
  });

  it('fails on errors without writing anything, in one transaction', async () => {
    const client = newClient();
    const created = await client.send(new CreateRestApiCommand({ name: 'untouched', description: 'as created' }));
    const broken = JSON.stringify({
      swagger: '2.0',
      info: { title: 'broken', version: '9' },
      definitions: { Good: { type: 'object' } },
      paths: {
        '/good': { get: { responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Good' } } }, 'x-amazon-apigateway-integration': { type: 'mock' } } },
        '/bad': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'GET', uri: 'not a url' } } },
      },
    });
    await expectError(
      client.send(new PutRestApiCommand({ restApiId: created.id, mode: 'overwrite', body: Buffer.from(broken) })),
      'BadRequestException',
      400,
      "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/bad': Invalid HTTP endpoint specified for URI",
    );
    const api = await client.send(new GetRestApiCommand({ restApiId: created.id }));
    assert.equal(api.name, 'untouched');
    assert.equal(api.description, 'as created');
    const models = await client.send(new GetModelsCommand({ restApiId: created.id }));
    assert.deepEqual(models.items?.map((m) => m.name).sort(), ['Empty', 'Error']);
    const resources = await client.send(new GetResourcesCommand({ restApiId: created.id }));
    assert.deepEqual(resources.items?.map((r) => r.path), ['/']);
  });

  it('reports models, methods and paths it cannot create', async () => {
    const client = newClient();
    const document = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'errors', version: '1' },
      components: { schemas: { 'Not-Alnum': { type: 'object' }, Loose: { type: 'object', properties: { a: { $ref: '#/components/schemas/Missing' } } } } },
      paths: { '/a/{x}': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nowhere' } } } } } } } },
    });
    const err = await expectError(client.send(new ImportRestApiCommand({ body: Buffer.from(document) })), 'BadRequestException', 400);
    assert.match(err.message, /^Errors found during import:\n\t/);
    assert.match(err.message, /Unable to create model for 'Not-Alnum': Model name must be alphanumeric: Not-Alnum/);
    assert.match(err.message, /Unable to create model for 'Loose': Invalid model specified: Validation Result: warnings : \[\], errors : \[Invalid model specified: Missing\]/);
    assert.match(err.message, /Unable to put method 'GET' on resource at path '\/a\/\{x\}': Invalid model identifier specified: Nowhere/);
  });

  it('sets the endpoint type from endpointConfigurationTypes and skips documentation on ignore=documentation', async () => {
    const client = newClient();
    const document = JSON.stringify({
      swagger: '2.0',
      info: { title: 'regional', version: '1' },
      paths: { '/': { get: { responses: {}, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
      'x-amazon-apigateway-documentation': { version: '1', documentationParts: [{ location: { type: 'API' }, properties: { description: 'documented' } }] },
    });
    const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(document), parameters: { endpointConfigurationTypes: 'REGIONAL', ignore: 'documentation' } }));
    assert.deepEqual(api.endpointConfiguration, { types: ['REGIONAL'], ipAddressType: 'ipv4' });
    assert.deepEqual((await client.send(new GetDocumentationPartsCommand({ restApiId: api.id }))).items, []);
    const withDocs = await client.send(new ImportRestApiCommand({ body: Buffer.from(document) }));
    const parts = await client.send(new GetDocumentationPartsCommand({ restApiId: withDocs.id }));
    assert.deepEqual(parts.items?.map((p) => [p.location, JSON.parse(p.properties!)]), [[{ type: 'API' }, { description: 'documented' }]]);
  });
});
