// The Developer Guide's sample APIs, written as OpenAPI documents, imported with ImportRestApi
// (failonwarnings), deployed and called: the Simple Calculator (Swagger 2.0 YAML, Lambda custom
// integrations, models with $refs), basic request validation (validators by name, required
// parameters and a body model), and the photo album, news article, sales invoice and employee record
// model examples (OpenAPI 3.0, components with $refs, mapping templates reshaping the payloads).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDeploymentCommand, GetModelsCommand, GetRequestValidatorsCommand, ImportRestApiCommand } from '@aws-sdk/client-api-gateway';
import { stringify as toYaml } from 'yaml';
import { newClient } from '../helpers/client.js';
import { invoke, waitForStage, type Invocation } from '../helpers/invoke.js';

const client = newClient();
const lambda = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:${name}/invocations`;
const json = { 'content-type': 'application/json' };

async function importAndDeploy(body: string) {
  const api = await client.send(new ImportRestApiCommand({ body: Buffer.from(body), failOnWarnings: true }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }));
  return api.id!;
}

const post = (restApiId: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  invoke(restApiId, 'test', path, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

function answers(r: Invocation, status: number, body: unknown) {
  assert.equal(r.status, status, r.body);
  assert.deepEqual(JSON.parse(r.body), body);
}

const resultTemplate = `#set($inputRoot = $input.path('$'))
{
  "input" : { "a" : $inputRoot.a, "b" : $inputRoot.b, "op" : "$inputRoot.op" },
  "output" : { "c" : $inputRoot.c }
}`;

const calcIntegration = (requestTemplate?: string) => ({
  type: 'aws',
  httpMethod: 'POST',
  uri: lambda('Calc'),
  passthroughBehavior: requestTemplate ? 'when_no_templates' : 'when_no_match',
  ...(requestTemplate ? { requestTemplates: { 'application/json': requestTemplate } } : {}),
  responses: { default: { statusCode: '200', responseTemplates: { 'application/json': resultTemplate } } },
});

const resultResponse = { '200': { description: 'the operands, the operator and the result', schema: { $ref: '#/definitions/Result' } } };

const calculator = toYaml({
  swagger: '2.0',
  info: { title: 'LambdaCalc', version: '2024-06-01' },
  basePath: '/test',
  schemes: ['https'],
  'x-amazon-apigateway-request-validators': {
    body: { validateRequestBody: true, validateRequestParameters: false },
    params: { validateRequestBody: false, validateRequestParameters: true },
  },
  paths: {
    '/calc': {
      get: {
        produces: ['application/json'],
        parameters: ['operand1', 'operand2', 'operator'].map((name) => ({ name, in: 'query', required: true, type: 'string' })),
        responses: resultResponse,
        'x-amazon-apigateway-request-validator': 'params',
        'x-amazon-apigateway-integration': calcIntegration(`{ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": "$input.params('operator')" }`),
      },
      post: {
        consumes: ['application/json'],
        produces: ['application/json'],
        parameters: [{ in: 'body', name: 'Input', required: true, schema: { $ref: '#/definitions/Input' } }],
        responses: resultResponse,
        'x-amazon-apigateway-request-validator': 'body',
        'x-amazon-apigateway-integration': calcIntegration(),
      },
    },
    '/calc/{operand1}/{operand2}/{operator}': {
      get: {
        produces: ['application/json'],
        parameters: ['operand1', 'operand2', 'operator'].map((name) => ({ name, in: 'path', required: true, type: 'string' })),
        responses: resultResponse,
        'x-amazon-apigateway-integration': calcIntegration(
          `{ "a": "$input.params('operand1')", "b": "$input.params('operand2')", "op": #if($input.params('operator')=='%2F')"/"#{else}"$input.params('operator')"#end }`,
        ),
      },
    },
  },
  definitions: {
    Input: {
      type: 'object',
      required: ['a', 'b', 'op'],
      properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string', enum: ['+', 'add', '-', 'sub', '*', 'mul', '/', 'div'] } },
    },
    Output: { type: 'object', properties: { c: { type: 'number' } } },
    Result: { type: 'object', properties: { input: { $ref: '#/definitions/Input' }, output: { $ref: '#/definitions/Output' } } },
  },
});

const mock = (responseTemplate: string) => ({
  type: 'mock',
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  responses: { default: { statusCode: '200', responseTemplates: { 'application/json': responseTemplate } } },
});

const validation = JSON.stringify({
  swagger: '2.0',
  info: { title: 'ReqValidators Sample', version: '1.0.0' },
  'x-amazon-apigateway-request-validators': {
    all: { validateRequestBody: true, validateRequestParameters: true },
    'params-only': { validateRequestBody: false, validateRequestParameters: true },
  },
  paths: {
    '/validation': {
      get: {
        parameters: [{ name: 'q1', in: 'query', required: true, type: 'string' }],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/ArrayOfPets' } } },
        'x-amazon-apigateway-request-validator': 'params-only',
        'x-amazon-apigateway-integration': mock(`[{"id": 1, "type": "$input.params('q1')", "price": 249.99}]`),
      },
      post: {
        consumes: ['application/json'],
        parameters: [
          { name: 'h1', in: 'header', required: true, type: 'string' },
          { in: 'body', name: 'RequestBodyModel', required: true, schema: { $ref: '#/definitions/RequestBodyModel' } },
        ],
        responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        'x-amazon-apigateway-request-validator': 'all',
        'x-amazon-apigateway-integration': { type: 'aws', httpMethod: 'POST', uri: lambda('passthrough'), passthroughBehavior: 'when_no_match', responses: { default: { statusCode: '200' } } },
      },
    },
  },
  definitions: {
    RequestBodyModel: {
      type: 'object',
      required: ['price', 'type'],
      properties: { id: { type: 'integer' }, type: { type: 'string', enum: ['dog', 'cat', 'fish'] }, name: { type: 'string' }, price: { type: 'number', minimum: 25, maximum: 500 } },
    },
    Pet: { type: 'object', properties: { id: { type: 'integer' }, type: { type: 'string' }, price: { type: 'number' } } },
    ArrayOfPets: { type: 'array', items: { $ref: '#/definitions/Pet' } },
  },
});

/** A POST method whose body the model validates and a template reshapes; `passthrough` answers the result. */
const reshaping = (input: string, output: string, template: string) => ({
  post: {
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${input}` } } } },
    responses: { '200': { description: 'reshaped', content: { 'application/json': { schema: { $ref: `#/components/schemas/${output}` } } } } },
    'x-amazon-apigateway-request-validator': 'body',
    'x-amazon-apigateway-integration': {
      type: 'aws',
      httpMethod: 'POST',
      uri: lambda('passthrough'),
      passthroughBehavior: 'never',
      requestTemplates: { 'application/json': template },
      responses: { default: { statusCode: '200' } },
    },
  },
});

const modelExamples = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'Model examples', version: '1' },
  'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
  paths: {
    '/photos': reshaping('PhotosInput', 'PhotosOutput', `#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($photo in $inputRoot.photos.photo)
    {
      "id": "$photo.id",
      "photographedBy": "$photo.photographer_first_name $photo.photographer_last_name",
      "title": "$photo.title",
      "ispublic": $photo.ispublic
    }#if($foreach.hasNext),#end
#end
  ]
}`),
    '/articles': reshaping('NewsInput', 'NewsOutput', `#set($inputRoot = $input.path('$'))
{
  "count": $inputRoot.count,
  "headlines": [
#foreach($item in $inputRoot.items)
    "$item.title (by $item.author)"#if($foreach.hasNext),#end
#end
  ]
}`),
    '/invoices': reshaping('InvoiceInput', 'InvoiceOutput', `#set($inputRoot = $input.path('$'))
#set($total = 0)
#foreach($line in $inputRoot.lineItems)#set($total = $total + $line.quantity * $line.unitPriceCents)#end
{
  "invoice": "$inputRoot.invoiceId",
  "customer": "$inputRoot.customer.name",
  "lines": $inputRoot.lineItems.size(),
  "totalCents": $total
}`),
    '/employees': reshaping('EmployeesInput', 'EmployeesOutput', `#set($inputRoot = $input.path('$'))
{
  "engineers": [
#foreach($employee in $inputRoot.employees)
#if($employee.department == "Engineering")
    { "id": "$employee.id", "name": "$employee.lastName, $employee.firstName" },
#end
#end
    { "id": "end", "name": "" }
  ]
}`),
  },
  components: {
    schemas: {
      Photo: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' }, owner: { type: 'string' }, photographer_first_name: { type: 'string' }, photographer_last_name: { type: 'string' },
          title: { type: 'string' }, ispublic: { type: 'boolean' }, farm: { type: 'integer' },
        },
      },
      PhotosInput: {
        type: 'object',
        properties: {
          photos: {
            type: 'object',
            required: ['photo'],
            properties: { page: { type: 'integer' }, pages: { type: 'string' }, perpage: { type: 'integer', minimum: 10 }, photo: { type: 'array', items: { $ref: '#/components/schemas/Photo' } } },
          },
        },
      },
      PhotosOutput: { type: 'object', properties: { photos: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, photographedBy: { type: 'string' }, title: { type: 'string' }, ispublic: { type: 'boolean' } } } } } },
      Article: { type: 'object', required: ['title', 'author'], properties: { title: { type: 'string' }, author: { type: 'string' }, published: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } },
      NewsInput: { type: 'object', required: ['count', 'items'], properties: { count: { type: 'integer' }, items: { type: 'array', items: { $ref: '#/components/schemas/Article' } } } },
      NewsOutput: { type: 'object', properties: { count: { type: 'integer' }, headlines: { type: 'array', items: { type: 'string' } } } },
      LineItem: { type: 'object', required: ['quantity', 'unitPriceCents'], properties: { description: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, unitPriceCents: { type: 'integer' } } },
      InvoiceInput: {
        type: 'object',
        required: ['invoiceId', 'lineItems'],
        properties: {
          invoiceId: { type: 'string' },
          customer: { type: 'object', properties: { name: { type: 'string' } } },
          lineItems: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/LineItem' } },
        },
      },
      InvoiceOutput: { type: 'object', properties: { invoice: { type: 'string' }, customer: { type: 'string' }, lines: { type: 'integer' }, totalCents: { type: 'integer' } } },
      Employee: {
        type: 'object',
        required: ['id', 'department'],
        properties: { id: { type: 'string' }, firstName: { type: 'string' }, lastName: { type: 'string' }, department: { type: 'string' }, hireDate: { type: 'string' } },
      },
      EmployeesInput: { type: 'object', properties: { employees: { type: 'array', items: { $ref: '#/components/schemas/Employee' } } } },
      EmployeesOutput: { type: 'object', properties: { engineers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } } } },
    },
  },
});

describe("The Developer Guide's sample APIs, imported and run", () => {
  it('Simple Calculator: GET with query strings, POST with a JSON body, GET with path parameters', async () => {
    const restApiId = await importAndDeploy(calculator);
    const models = await client.send(new GetModelsCommand({ restApiId }));
    const result = JSON.parse(models.items!.find((m) => m.name === 'Result')!.schema!);
    assert.equal(result.properties.input.$ref, `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Input`);

    answers(await waitForStage(restApiId, 'test', '/calc?operand1=1&operand2=2&operator=%2B'), 200, { input: { a: 1, b: 2, op: '+' }, output: { c: 3 } });
    answers(await post(restApiId, '/calc', { a: 6, b: 3, op: 'div' }), 200, { input: { a: 6, b: 3, op: 'div' }, output: { c: 2 } });
    answers(await invoke(restApiId, 'test', '/calc/1/2/%2F'), 200, { input: { a: 1, b: 2, op: '/' }, output: { c: 0.5 } });
    answers(await invoke(restApiId, 'test', '/calc?operand2=2&operator=add'), 400, { message: 'Missing required request parameters: [operand1]' });
    answers(await post(restApiId, '/calc', { a: 6, b: 3, op: 'pow' }), 400, { message: 'Invalid request body' });
  });

  it('basic request validation: validators by name, required parameters and a body model', async () => {
    const restApiId = await importAndDeploy(validation);
    const validators = await client.send(new GetRequestValidatorsCommand({ restApiId }));
    assert.deepEqual(validators.items!.map((v) => v.name).sort(), ['all', 'params-only']);

    answers(await waitForStage(restApiId, 'test', '/validation?q1=cat'), 200, [{ id: 1, type: 'cat', price: 249.99 }]);
    answers(await invoke(restApiId, 'test', '/validation'), 400, { message: 'Missing required request parameters: [q1]' });
    const pet = { id: 7, type: 'dog', name: 'Rex', price: 249.99 };
    answers(await post(restApiId, '/validation', pet, { h1: 'v' }), 200, pet);
    answers(await post(restApiId, '/validation', pet), 400, { message: 'Missing required request parameters: [h1]' });
    answers(await post(restApiId, '/validation', { ...pet, price: 10 }, { h1: 'v' }), 400, { message: 'Invalid request body' });
    answers(await post(restApiId, '/validation', { type: 'bird', price: 30 }, { h1: 'v' }), 400, { message: 'Invalid request body' });
  });

  it('photo album, news article, sales invoice and employee record models with their mapping templates', async () => {
    const restApiId = await importAndDeploy(modelExamples);
    const models = await client.send(new GetModelsCommand({ restApiId }));
    assert.equal(models.items!.length, 12);
    const invoice = JSON.parse(models.items!.find((m) => m.name === 'InvoiceInput')!.schema!);
    assert.equal(invoice.properties.lineItems.items.$ref, `https://apigateway.amazonaws.com/restapis/${restApiId}/models/LineItem`);

    const photos = {
      photos: {
        page: 1, pages: '1234', perpage: 100,
        photo: [
          { id: '12345678901', owner: '23456789@A12', photographer_first_name: 'Saanvi', photographer_last_name: 'Sarkar', title: 'Sample photo 1', ispublic: true, farm: 1 },
          { id: '23456789012', owner: '34567890@B23', photographer_first_name: 'Richard', photographer_last_name: 'Roe', title: 'Sample photo 2', ispublic: false, farm: 2 },
        ],
      },
    };
    await waitForStage(restApiId, 'test', '/photos');
    answers(await post(restApiId, '/photos', photos), 200, {
      photos: [
        { id: '12345678901', photographedBy: 'Saanvi Sarkar', title: 'Sample photo 1', ispublic: true },
        { id: '23456789012', photographedBy: 'Richard Roe', title: 'Sample photo 2', ispublic: false },
      ],
    });
    answers(await post(restApiId, '/photos', { photos: { perpage: 5, photo: [] } }), 400, { message: 'Invalid request body' });

    const news = { count: 2, items: [{ title: 'Rain tomorrow', author: 'Ana', published: '2024-05-01' }, { title: 'Sun after', author: 'Bo', published: '2024-05-02' }] };
    answers(await post(restApiId, '/articles', news), 200, { count: 2, headlines: ['Rain tomorrow (by Ana)', 'Sun after (by Bo)'] });
    answers(await post(restApiId, '/articles', { count: 1, items: [{ title: 'x', author: 'y', published: 'May 1st' }] }), 400, { message: 'Invalid request body' });

    const sale = { invoiceId: 'INV-1', customer: { name: 'Example Corp' }, lineItems: [{ description: 'bolts', quantity: 3, unitPriceCents: 250 }, { description: 'nuts', quantity: 2, unitPriceCents: 125 }] };
    answers(await post(restApiId, '/invoices', sale), 200, { invoice: 'INV-1', customer: 'Example Corp', lines: 2, totalCents: 1000 });
    answers(await post(restApiId, '/invoices', { ...sale, lineItems: [] }), 400, { message: 'Invalid request body' });

    const staff = {
      employees: [
        { id: 'E1', firstName: 'Mary', lastName: 'Major', department: 'Engineering', hireDate: '2020-01-01' },
        { id: 'E2', firstName: 'John', lastName: 'Doe', department: 'Sales' },
        { id: 'E3', firstName: 'Jane', lastName: 'Roe', department: 'Engineering' },
      ],
    };
    answers(await post(restApiId, '/employees', staff), 200, { engineers: [{ id: 'E1', name: 'Major, Mary' }, { id: 'E3', name: 'Roe, Jane' }, { id: 'end', name: '' }] });
    answers(await post(restApiId, '/employees', { employees: [{ id: 'E4' }] }), 400, { message: 'Invalid request body' });
  });
});
