// GetExport: a stage's deployed API as Swagger 2.0 and OpenAPI 3.0.1, JSON and YAML, compared with
// what AWS exported for the PetStore; with extensions, export-then-import gives back the same API.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateDocumentationVersionCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  GetDocumentationPartsCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  GetMethodCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  ImportRestApiCommand,
  PutMethodCommand,
  PutRestApiCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { parse as parseYaml } from 'yaml';
import { expectError, newClient } from '../helpers/client.js';

const reference = new URL('../../../shared/reference/', import.meta.url).pathname;
const skip = existsSync(`${reference}openapi-fixtures`) ? false : `the shared reference (${reference}) is not present`;
const fixture = (name: string) => readFileSync(`${reference}openapi-fixtures/${name}`, 'utf8');

type Client = APIGatewayClient & { accountId: string };

const LAMBDA_ARN = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:importer/invocations';

const petstore = () =>
  fixture('petstore-authorizer.swagger.json')
    .replaceAll('${uri}', 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets')
    .replaceAll('arn:aws:iam::account-id:role', 'arn:aws:iam::123456789012:role/importer');

async function exported(client: Client, restApiId: string, exportType: string, parameters?: Record<string, string>, accepts?: string) {
  const response = await client.send(new GetExportCommand({ restApiId, stageName: 'local', exportType, parameters, accepts }));
  const text = Buffer.from(response.body!).toString('utf8');
  return { response, text, document: accepts?.includes('yaml') ? parseYaml(text) : JSON.parse(text) };
}

async function importAndDeploy(client: Client, body: string) {
  const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body), failOnWarnings: true }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'local' }));
  return api.id!;
}

/** Placeholders of the recording: `<...>` is any text; the deployment date stands as "date". */
function sameAsRecorded(actual: unknown, expected: unknown, at = '$'): string[] {
  if (typeof expected === 'string') {
    const text = typeof actual === 'string' ? actual.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'date') : actual;
    const pattern = new RegExp(`^${expected.split(/<[^>]+>/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 's');
    return typeof text === 'string' && pattern.test(text) ? [] : [`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
    return expected.flatMap((e, i) => sameAsRecorded(actual[i], e, `${at}[${i}]`));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return [`${at}: ${JSON.stringify(actual)} vs an object`];
    const keys = (o: object) => Object.keys(o).filter((k) => k !== 'ResponseMetadata').sort();
    if (JSON.stringify(keys(actual)) !== JSON.stringify(keys(expected))) return [`${at}: keys ${keys(actual)} vs ${keys(expected)}`];
    return keys(expected).flatMap((k) => sameAsRecorded((actual as never)[k], (expected as never)[k], `${at}.${k}`));
  }
  return actual === expected ? [] : [`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
}

describe('GetExport', () => {
  it('exports the PetStore as AWS did, without and with extensions, Swagger and OpenAPI 3', { skip }, async () => {
    const recordings = JSON.parse(readFileSync(`${reference}aws-recorded/test_apigateway_extended.snapshot.json`, 'utf8'));
    const client = newClient();
    const restApiId = await importAndDeploy(client, fixture('petstore-swagger.json').replaceAll('${uri}', 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets'));
    for (const type of ['swagger', 'oas30']) {
      const key = `tests/aws/services/apigateway/test_apigateway_extended.py::test_export_${type === 'swagger' ? 'swagger' : 'oas30'}_openapi[TEST_IMPORT_PETSTORE_SWAGGER]`;
      const recording = recordings[key]['recorded-content'];
      for (const [name, parameters] of [['get-export', undefined], ['get-export-with-extensions', { extensions: 'apigateway' }]] as const) {
        const { response, document } = await exported(client, restApiId, type, parameters);
        const actual = { body: document, contentType: response.contentType, contentDisposition: response.contentDisposition };
        assert.deepEqual(sameAsRecorded(actual, recording[name]), [], `${type} ${name}`);
      }
    }
  });

  it('answers YAML when asked, and refuses unknown stages and export types', async () => {
    const client = newClient();
    const restApiId = await importAndDeploy(
      client,
      JSON.stringify({
        openapi: '3.0.1',
        info: { title: 'yaml', version: '3' },
        paths: { '/': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
      }),
    );
    const { response, document } = await exported(client, restApiId, 'oas30', undefined, 'application/yaml');
    assert.equal(response.contentDisposition, 'attachment; filename="oas30_3.yaml"');
    assert.equal(document.openapi, '3.0.1');
    assert.deepEqual(document.info, { title: 'yaml', version: '3' });
    assert.deepEqual(document.servers, [{ url: `https://${restApiId}.execute-api.us-east-1.amazonaws.com/{basePath}`, variables: { basePath: { default: 'local' } } }]);
    await expectError(client.send(new GetExportCommand({ restApiId, stageName: 'nope', exportType: 'swagger' })), 'NotFoundException', 404, 'Invalid stage identifier specified');
    await expectError(client.send(new GetExportCommand({ restApiId: 'nosuchapi', stageName: 'local', exportType: 'swagger' })), 'NotFoundException', 404);
    await expectError(client.send(new GetExportCommand({ restApiId, stageName: 'local', exportType: 'raml' })), 'BadRequestException', 400);
  });

  it('exports what is deployed, not later changes', async () => {
    const client = newClient();
    const restApiId = await importAndDeploy(
      client,
      JSON.stringify({
        swagger: '2.0',
        info: { title: 'frozen', version: '1' },
        paths: { '/a': { get: { responses: { '200': { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock' } } } },
      }),
    );
    const resources = await client.send(new GetResourcesCommand({ restApiId }));
    const a = resources.items!.find((r) => r.path === '/a')!;
    await client.send(new PutMethodCommand({ restApiId, resourceId: a.id, httpMethod: 'POST', authorizationType: 'NONE' }));
    const { document } = await exported(client, restApiId, 'swagger');
    assert.deepEqual(Object.keys(document.paths['/a']), ['get']);
  });

  for (const type of ['swagger', 'oas30']) {
    it(`round-trips the PetStore with authorizers through a ${type} export with extensions=apigateway`, { skip }, async () => {
      const client = newClient();
      const document = JSON.parse(petstore());
      document['x-amazon-apigateway-request-validators'] = { all: { validateRequestBody: true, validateRequestParameters: true } };
      document['x-amazon-apigateway-request-validator'] = 'all';
      document['x-amazon-apigateway-gateway-responses'] = { DEFAULT_4XX: { statusCode: '400', responseTemplates: { 'application/json': '{"oops":true}' } } };
      document['x-amazon-apigateway-minimum-compression-size'] = 1024;
      document['x-amazon-apigateway-api-key-source'] = 'AUTHORIZER';
      document.paths['/pets'].get.security.push({ api_key: [] });
      document.securityDefinitions.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
      const original = await importAndDeploy(client, JSON.stringify(document));
      await client.send(new CreateDocumentationVersionCommand({ restApiId: original, documentationVersion: 'v1', stageName: 'local' }));
      const { text } = await exported(client, original, type, { extensions: 'apigateway' });
      const copy = await client.send(new ImportRestApiCommand({ body: Buffer.from(text), failOnWarnings: true }));
      await assertSameApi(client, original, copy.id!);
    });
  }

  /** Every reference fixture, its placeholders filled in as a deployment would fill them. */
  const everyFixture = () =>
    readdirSync(`${reference}openapi-fixtures`).sort().map((name) => [
      name,
      fixture(name)
        .replaceAll('${uri}', 'http://petstore.execute-api.us-east-1.amazonaws.com/petstore/pets')
        .replaceAll('${lambda_invocation_arn}', LAMBDA_ARN)
        .replaceAll('${authorizer_lambda_invocation_arn}', LAMBDA_ARN)
        .replaceAll('${cognito_pool_arn}', 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_ABC123')
        .replaceAll('arn:aws:iam::account-id:role', 'arn:aws:iam::123456789012:role/importer'),
    ] as const);

  for (const [type, accepts] of [['swagger', 'application/json'], ['oas30', 'application/yaml']]) {
    it(`round-trips every reference fixture through a ${type} export (${accepts}) with extensions=apigateway`, { skip }, async () => {
      const client = newClient();
      const roundTripped: string[] = [];
      for (const [name, body] of everyFixture()) {
        const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body) }));
        // Documents with methods but no integrations import, yet cannot be deployed (nor exported).
        const deployed = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'local' })).catch((e: Error) => {
          if (e.message !== 'No integration defined for method') throw e;
        });
        if (!deployed) continue;
        await client.send(new CreateDocumentationVersionCommand({ restApiId: api.id, documentationVersion: 'v1', stageName: 'local' }));
        const { text, document } = await exported(client, api.id!, type!, { extensions: 'apigateway' }, accepts);
        const copy = await client.send(new ImportRestApiCommand({ body: Buffer.from(text) }));
        const original = await describeApi(client, api.id!);
        // As on AWS, an API without a version exports the deployment date as its version.
        original.api.version ??= document.info.version;
        assert.deepEqual(await describeApi(client, copy.id!), original, `${name} comes back the same`);
        roundTripped.push(name);
      }
      assert.ok(roundTripped.length >= 14, `round-tripped: ${roundTripped.join(', ')}`);
    });
  }

  it('puts an export back over its own API without change', { skip }, async () => {
    const client = newClient();
    const restApiId = await importAndDeploy(client, petstore());
    await client.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1', stageName: 'local' }));
    const before = await describeApi(client, restApiId);
    assert.equal(before.parts.length, 14);
    const { text } = await exported(client, restApiId, 'oas30', { extensions: 'apigateway' });
    await client.send(new PutRestApiCommand({ restApiId, mode: 'overwrite', body: Buffer.from(text), failOnWarnings: true }));
    assert.deepEqual(await describeApi(client, restApiId), before);
  });

  it('exports a Postman collection with extensions=postman', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'postman' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    const { PutIntegrationCommand } = await import('@aws-sdk/client-api-gateway');
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'local' }));
    const { document } = await exported(client, api.id!, 'swagger', { extensions: 'postman' });
    assert.equal(document.info.name, 'postman');
    assert.deepEqual(document.item.map((i: { name: string }) => i.name), ['GET /']);
  });
});

/** An API's definition with ids replaced by what they name, so that two imports compare equal. */
async function describeApi(client: Client, restApiId: string) {
  const api = await client.send(new GetRestApiCommand({ restApiId }));
  const authorizers = (await client.send(new GetAuthorizersCommand({ restApiId }))).items ?? [];
  const validators = (await client.send(new GetRequestValidatorsCommand({ restApiId }))).items ?? [];
  const models = ((await client.send(new GetModelsCommand({ restApiId }))).items ?? []).map(({ id: _id, ...m }) => ({
    ...m,
    schema: JSON.parse(m.schema!.replaceAll(restApiId, 'API')),
  }));
  const responses = ((await client.send(new GetGatewayResponsesCommand({ restApiId }))).items ?? []).filter((r) => !r.defaultResponse);
  const resources = ((await client.send(new GetResourcesCommand({ restApiId }))).items ?? []).sort((a, b) => (a.path! < b.path! ? -1 : 1));
  const methods: Record<string, unknown> = {};
  for (const resource of resources) {
    for (const httpMethod of Object.keys(resource.resourceMethods ?? {})) {
      const { $metadata: _m, ...method } = await client.send(new GetMethodCommand({ restApiId, resourceId: resource.id, httpMethod }));
      const named = {
        ...method,
        authorizerId: authorizers.find((a) => a.id === method.authorizerId)?.name,
        requestValidatorId: validators.find((v) => v.id === method.requestValidatorId)?.name,
        methodIntegration: method.methodIntegration && { ...method.methodIntegration, cacheNamespace: method.methodIntegration.cacheNamespace === resource.id ? 'own' : method.methodIntegration.cacheNamespace },
      };
      methods[`${httpMethod} ${resource.path}`] = JSON.parse(JSON.stringify(named));
    }
  }
  const parts = ((await client.send(new GetDocumentationPartsCommand({ restApiId, limit: 500 }))).items ?? [])
    .map((p) => JSON.stringify([p.location, JSON.parse(p.properties!)]))
    .sort();
  return {
    parts,
    api: { name: api.name, description: api.description, version: api.version, binaryMediaTypes: api.binaryMediaTypes, apiKeySource: api.apiKeySource, minimumCompressionSize: api.minimumCompressionSize },
    authorizers: authorizers.map(({ id: _id, ...a }) => a),
    validators: validators.map(({ id: _id, ...v }) => v),
    models,
    responses,
    paths: resources.map((r) => r.path),
    methods,
  };
}

async function assertSameApi(client: Client, original: string, copy: string) {
  assert.deepEqual(await describeApi(client, copy), await describeApi(client, original));
}
