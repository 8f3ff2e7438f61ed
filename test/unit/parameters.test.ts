// Parameter mappings: each source expression compiled once reads its value from the method
// request, the stage, the context or the integration response; targets get single or multiple values.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyParameters, compileParameters, compileParameterSource, type ParameterSources } from '../../src/data-plane/mapping/parameters.js';

const sources: ParameterSources = {
  pathParams: { petId: '42' },
  query: { color: ['red', 'blue'], single: ['one'] },
  headers: { 'x-tenant': ['acme'], accept: ['text/html', 'application/json'] },
  body: Buffer.from('{"pet": {"name": "Rex", "tags": ["a"]}, "count": 2}'),
  stageVariables: { backend: 'https://example.com' },
  context: { requestId: 'req-1', identity: { sourceIp: '10.0.0.7', caller: null } },
  integrationResponse: { headers: { 'x-backend': ['v1', 'v2'], etag: ['"abc"'] }, body: Buffer.from('{"id": 7, "links": {"self": "/pets/7"}}') },
};
const read = (expression: string) => compileParameterSource(expression)(sources);

it('reads method request parameters: path, query strings and headers, single (last) and multi-value', () => {
  assert.deepEqual(read('method.request.path.petId'), ['42']);
  assert.deepEqual(read('method.request.querystring.color'), ['blue']);
  assert.deepEqual(read('method.request.multivaluequerystring.color'), ['red', 'blue']);
  assert.deepEqual(read('method.request.header.X-Tenant'), ['acme']);
  assert.deepEqual(read('method.request.multivalueheader.Accept'), ['text/html', 'application/json']);
  assert.equal(read('method.request.path.missing'), undefined);
  assert.equal(read('method.request.querystring.missing'), undefined);
  assert.equal(read('method.request.header.missing'), undefined);
});

it('reads the request body whole or by JSONPath', () => {
  assert.deepEqual(read('method.request.body'), ['{"pet": {"name": "Rex", "tags": ["a"]}, "count": 2}']);
  assert.deepEqual(read('method.request.body.pet.name'), ['Rex']);
  assert.deepEqual(read('method.request.body.pet'), ['{"name":"Rex","tags":["a"]}']);
  assert.deepEqual(read('method.request.body.count'), ['2']);
  assert.equal(read('method.request.body.nothing'), undefined);
});

it('reads static values, stage variables and context variables', () => {
  assert.deepEqual(read("'application/json'"), ['application/json']);
  assert.deepEqual(read("''"), ['']);
  assert.deepEqual(read('stageVariables.backend'), ['https://example.com']);
  assert.equal(read('stageVariables.none'), undefined);
  assert.deepEqual(read('context.requestId'), ['req-1']);
  assert.deepEqual(read('context.identity.sourceIp'), ['10.0.0.7']);
  assert.equal(read('context.identity.caller'), undefined);
  assert.equal(read('context.toString'), undefined);
});

it('reads integration response headers and body on the way back', () => {
  assert.deepEqual(read('integration.response.header.X-Backend'), ['v2']);
  assert.deepEqual(read('integration.response.multivalueheader.X-Backend'), ['v1', 'v2']);
  assert.deepEqual(read('integration.response.body.links.self'), ['/pets/7']);
  assert.deepEqual(read('integration.response.body.id'), ['7']);
  assert.deepEqual(read('integration.response.body'), ['{"id": 7, "links": {"self": "/pets/7"}}']);
  assert.equal(compileParameterSource('integration.response.header.etag')({ ...sources, integrationResponse: undefined }), undefined);
});

it('yields nothing for what it does not know, and never throws on bad input', () => {
  assert.equal(read('method.request.nowhere.x'), undefined);
  assert.equal(read('process.env.HOME'), undefined);
  assert.equal(read('method.request.body.a[?('), undefined);
  assert.equal(compileParameterSource('method.request.body.pet')({ ...sources, body: Buffer.from('not json') }), undefined);
});

it('maps into path, query string and header targets, single- and multi-value', () => {
  const mapped = applyParameters(
    compileParameters({
      'integration.request.path.id': 'method.request.path.petId',
      'integration.request.querystring.colors': 'method.request.multivaluequerystring.color',
      'integration.request.multivaluequerystring.c': 'method.request.multivaluequerystring.color',
      'integration.request.header.X-Tenant-Id': 'method.request.header.x-tenant',
      'integration.request.header.X-Static': "'fixed'",
      'integration.request.header.X-Absent': 'method.request.header.none',
      'method.response.multivalueheader.X-All': 'integration.response.multivalueheader.x-backend',
      'not.a.target': "'ignored'",
    }),
    sources,
  );
  assert.deepEqual(mapped, {
    path: { id: '42' },
    query: { colors: ['red,blue'], c: ['red', 'blue'] },
    headers: { 'x-tenant-id': ['acme'], 'x-static': ['fixed'], 'x-all': ['v1', 'v2'] },
  });
});
