// What the benchmark deploys through the management API: one API with a MOCK, an HTTP_PROXY, a
// Lambda proxy and a full-featured method (API key and usage plan, request validation, mapping
// templates, HTTP integration), all answering the benchmark's body.
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  UpdateAccountCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
  type PutIntegrationCommandInput,
  type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { BODY } from './body.js';

export const API_KEY = 'bench-api-key-0123456789abcdefghij';
export type BenchApi = { restApiId: string; stage: string };

type Method = { path: string; httpMethod: string; method?: Partial<PutMethodCommandInput>; integration: Partial<PutIntegrationCommandInput>; responseTemplate?: string };

export async function deployBenchApi(client: APIGatewayClient, backendUrl: string): Promise<BenchApi> {
  // AWS's default account throttle (10,000 requests/s, burst 5,000) would refuse some of a MOCK
  // method's peak here: the bench measures the gateway's cost, so its account gets a higher one.
  await client.send(new UpdateAccountCommand({ patchOperations: [{ op: 'replace', path: '/throttle/rateLimit', value: '1000000' }, { op: 'replace', path: '/throttle/burstLimit', value: '500000' }] }));
  const api = await client.send(new CreateRestApiCommand({ name: 'bench' }));
  const restApiId = api.id!;
  await client.send(new CreateModelCommand({
    restApiId, name: 'Pet', contentType: 'application/json',
    schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } } }),
  }));
  const validator = await client.send(new CreateRequestValidatorCommand({ restApiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
  const lambdaUri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:bench-hello/invocations';
  const methods: Method[] = [
    { path: 'mock', httpMethod: 'GET', integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, responseTemplate: BODY },
    { path: 'proxy', httpMethod: 'GET', integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/` } },
    { path: 'lambda', httpMethod: 'GET', integration: { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri } },
    {
      path: 'full',
      httpMethod: 'POST',
      method: { apiKeyRequired: true, requestValidatorId: validator.id, requestParameters: { 'method.request.querystring.name': true }, requestModels: { 'application/json': 'Pet' } },
      integration: {
        type: 'HTTP', integrationHttpMethod: 'POST', uri: `${backendUrl}/`,
        requestTemplates: { 'application/json': '{"name": "$input.params(\'name\')", "pet": $input.json(\'$\'), "requestId": "$context.requestId"}' },
      },
      responseTemplate: "$input.json('$')",
    },
  ];
  for (const m of methods) {
    const resource = await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: m.path }));
    const ids = { restApiId, resourceId: resource.id!, httpMethod: m.httpMethod };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE', ...m.method }));
    await client.send(new PutIntegrationCommand({ ...ids, ...m.integration } as PutIntegrationCommandInput));
    if (m.responseTemplate !== undefined) {
      await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
      await client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: '200', responseTemplates: { 'application/json': m.responseTemplate } }));
    }
  }
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'bench' }));
  const key = await client.send(new CreateApiKeyCommand({ name: 'bench', enabled: true, value: API_KEY }));
  const plan = await client.send(new CreateUsagePlanCommand({
    name: 'bench', apiStages: [{ apiId: restApiId, stage: 'bench' }],
    throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 }, quota: { limit: 1_000_000_000, period: 'DAY' },
  }));
  await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
  return { restApiId, stage: 'bench' };
}

/** An OpenAPI 3 document of `paths` paths `/res{i}/{id}`, each a MOCK GET. */
export function openApiDocument(paths: number): string {
  const doc = { openapi: '3.0.1', info: { title: `bench-${paths}`, version: '1' }, paths: {} as Record<string, unknown> };
  for (let i = 0; i < paths; i++) {
    doc.paths[`/res${i}/{id}`] = {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
        'x-amazon-apigateway-integration': {
          type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': BODY } } },
        },
      },
    };
  }
  return JSON.stringify(doc);
}
