// Request validation's dense parts: which parameters are required and missing, which model applies,
// the validator's messages for $context.error.validationErrorString, and compiling a deployment's
// models once, a broken one failing alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Method } from '../../src/control-plane/protocol/shapes.js';
import type { DeploymentSnapshot } from '../../src/shared/worker-config.js';
import { bodyErrors, compileRequestValidation, missingParameters, modelFor, requiredParameters } from '../../src/data-plane/validation/index.js';
import { validationErrorString } from '../../src/data-plane/validation/messages.js';
import { modelCompiler, modelUrl } from '../../src/data-plane/validation/models.js';

const restApiId = 'a1b2c3d4e5';
const ref = (name: string) => ({ $ref: modelUrl(restApiId, name) });

function snapshot(models: Record<string, object | string>, methods: Record<string, Method> = {}): DeploymentSnapshot {
  return {
    restApiId,
    deploymentId: 'dep123',
    accountId: '123456789012',
    api: { name: 'unit' },
    resources: [{ id: 'r1', path: '/', methods }],
    models: Object.entries(models).map(([name, schema]) => ({ name, contentType: 'application/json', schema: typeof schema === 'string' ? schema : JSON.stringify(schema) })),
    requestValidators: [{ id: 'v1', name: 'all', validateRequestBody: true, validateRequestParameters: true }],
    authorizers: [],
    gatewayResponses: [],
  };
}

/** The messages for `body` against `schema` (with the models `others` to refer to). */
function messages(schema: object, body: unknown, others: Record<string, object> = {}): string[] | undefined {
  const model = modelCompiler(snapshot({ ...others, Subject: schema }))('Subject');
  assert.ok('validate' in model, 'compiles');
  return bodyErrors(model.validate, Buffer.from(JSON.stringify(body)));
}

describe('required request parameters', () => {
  it('are the required ones, sorted by full name so headers come before path and query string', () => {
    const required = requiredParameters({
      'method.request.querystring.qs1': true,
      'method.request.path.issuer': true,
      'method.request.header.x-header-param': true,
      'method.request.header.a-optional': false,
      'method.request.multivaluequerystring.tags': true,
      'method.request.header.X-Api': true,
    });
    assert.deepEqual(required.map((p) => `${p.location}:${p.name}`), ['header:X-Api', 'header:x-header-param', 'querystring:tags', 'path:issuer', 'querystring:qs1']);
  });

  it('are present when not blank, headers by any case', () => {
    const required = requiredParameters({ 'method.request.header.X-Tenant': true, 'method.request.querystring.q': true, 'method.request.path.id': true });
    assert.deepEqual(missingParameters(required, { pathParams: {}, query: {}, headers: {} }), ['X-Tenant', 'id', 'q']);
    assert.deepEqual(missingParameters(required, { pathParams: { id: '1' }, query: { q: ['x'] }, headers: { 'x-tenant': ['y'] } }), []);
    assert.deepEqual(missingParameters(required, { pathParams: { id: '1' }, query: { q: [''] }, headers: { 'x-tenant': [' '] } }).length, 2);
  });
});

describe('the model that applies', () => {
  const models = modelCompiler(snapshot({ Pet: { type: 'object' } }));
  const json = models('Pet');
  const fallback = models('Empty');

  it('is the Content-Type one, JSON without a Content-Type, else $default, else none', () => {
    const map = new Map([['application/json', json]]);
    assert.equal(modelFor(map, 'Application/JSON; charset=utf-8'), json);
    assert.equal(modelFor(map, undefined), json);
    assert.equal(modelFor(map, 'text/plain'), undefined);
    map.set('$default', fallback);
    assert.equal(modelFor(map, 'text/plain'), fallback);
  });
});

describe('body validation messages', () => {
  const pet = { type: 'object', required: ['name', 'kind'], properties: { name: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[A-Z]' }, age: { type: 'integer', minimum: 0, maximum: 30 } } };

  it('reports missing properties of an object once, in the order the schema requires them', () => {
    assert.deepEqual(messages(pet, {}), ['object has missing required properties (["name","kind"])']);
    assert.equal(messages(pet, { name: 'Rex', kind: 'dog' }), undefined);
  });

  it('takes an empty body as an empty object and fails a body that is not JSON', () => {
    const model = modelCompiler(snapshot({ Pet: pet, Empty: { type: 'object' } }));
    const validate = (name: string) => (model(name) as { validate: Parameters<typeof bodyErrors>[0] }).validate;
    assert.deepEqual(bodyErrors(validate('Pet'), Buffer.alloc(0)), ['object has missing required properties (["name","kind"])']);
    assert.equal(bodyErrors(validate('Empty'), Buffer.from('  \n')), undefined);
    assert.deepEqual(bodyErrors(validate('Empty'), Buffer.from('{"a":')), ['request body is not valid JSON']);
  });

  it('words types, bounds, lengths and patterns as the Java validator does', () => {
    assert.deepEqual(messages(pet, { name: 7, kind: 'cat', age: 1.5 }), [
      'instance type (integer) does not match any allowed primitive type (allowed: ["string"])',
      'instance type (number) does not match any allowed primitive type (allowed: ["integer"])',
    ]);
    assert.deepEqual(messages(pet, { name: 'x', kind: 'cat', age: -1 }), [
      'string "x" is too short (length: 1, required minimum: 2)',
      'ECMA 262 regex "^[A-Z]" does not match input string "x"',
      'numeric instance is lower than the required minimum (minimum: 0, found: -1)',
    ]);
    assert.deepEqual(messages(pet, { name: 'Rexxy', kind: 'cat', age: 31 }), [
      'string "Rexxy" is too long (length: 5, maximum allowed: 4)',
      'numeric instance is greater than the required maximum (maximum: 30, found: 31)',
    ]);
    assert.deepEqual(messages({ type: ['string', 'null', 'array'] }, 1), ['instance type (integer) does not match any allowed primitive type (allowed: ["array","null","string"])']);
    assert.deepEqual(messages({ minimum: 1, exclusiveMinimum: true }, 1), ['numeric instance is not strictly greater than the required minimum 1']);
    assert.deepEqual(messages({ enum: ['a', 1] }, 'b'), ['instance value ("b") not found in enum (possible values: ["a",1])']);
    assert.deepEqual(messages({ multipleOf: 3 }, 7), ['remainder of division is not zero (7 / 3)']);
  });

  it('lists properties the schema does not allow once, sorted', () => {
    assert.deepEqual(messages({ type: 'object', properties: { a: {} }, additionalProperties: false }, { z: 1, a: 1, b: 2 }), [
      'object instance has properties which are not allowed by the schema: ["b","z"]',
    ]);
  });

  it('words arrays and object sizes', () => {
    assert.deepEqual(messages({ type: 'array', minItems: 2, uniqueItems: true }, [1]), ['array is too short: must have at least 2 elements but instance has 1 elements']);
    assert.deepEqual(messages({ type: 'array', maxItems: 1, uniqueItems: true }, [1, 1]), [
      'array is too long: must have at most 1 elements but instance has 2 elements',
      'array must not contain duplicate elements',
    ]);
    assert.deepEqual(messages({ type: 'object', minProperties: 2 }, { a: 1 }), ['object has too few properties (found 1 but schema requires at least 2)']);
  });

  it('reports a failed anyOf or oneOf once, without its branches, and keeps sibling failures', () => {
    const schema = { type: 'object', required: ['id'], properties: { status: { oneOf: [{ type: 'null' }, ref('Status')] }, tag: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } };
    const others = { Status: { type: 'object', required: ['code'], properties: { code: { type: 'integer' } } } };
    assert.deepEqual(messages(schema, { status: { code: 'x' }, tag: true }, others), [
      'object has missing required properties (["id"])',
      'instance failed to match exactly one schema (matched 0 out of 2)',
      'instance failed to match at least one required schema among 2',
    ]);
    assert.equal(messages(schema, { id: 1, status: { code: 2 }, tag: 3 }, others), undefined);
    assert.deepEqual(messages({ oneOf: [{ type: 'integer' }, { type: 'number' }] }, 1), ['instance failed to match exactly one schema (matched 2 out of 2)']);
    assert.deepEqual(messages({ not: { type: 'string' } }, 'a'), ['instance matched a schema which it should not have']);
  });

  it('follows references through other models', () => {
    const others = { Address: { type: 'object', required: ['city'] }, Person: { type: 'object', properties: { address: ref('Address') } } };
    assert.deepEqual(messages({ type: 'array', items: ref('Person') }, [{ address: {} }], others), ['object has missing required properties (["city"])']);
  });

  it('renders the messages as a Java list', () => {
    assert.equal(validationErrorString(['a', 'b']), '[a, b]');
  });
});

describe('compiling a deployment', () => {
  const method = (requestModels: Record<string, string>): Method => ({ httpMethod: 'POST', requestValidatorId: 'v1', requestModels });

  it('compiles each model once, and a model that does not compile fails alone', () => {
    const post = method({ 'application/json': 'Person', 'text/plain': 'Pattern' });
    const put = method({ 'application/json': 'Person', $default: 'Unresolved' });
    const get: Method = { httpMethod: 'GET', requestParameters: { 'method.request.querystring.q': true } };
    const compiled = compileRequestValidation(snapshot(
      {
        Address: { type: 'object' },
        Person: { type: 'object', properties: { address: ref('Address') } },
        Pattern: { type: 'string', pattern: '(' },
        Unresolved: { properties: { x: ref('Gone') } },
      },
      { POST: post, PUT: put, GET: get },
    ));
    assert.equal(compiled.has(get), false, 'a method without a validator is not validated');
    const postModels = compiled.get(post)!.models!;
    const putModels = compiled.get(put)!.models!;
    assert.ok('validate' in postModels.get('application/json')!);
    assert.equal(postModels.get('application/json'), putModels.get('application/json'));
    assert.ok('error' in postModels.get('text/plain')!);
    assert.ok('error' in putModels.get('$default')!);
    assert.deepEqual(compiled.get(post)!.requiredParameters, []);
  });

  it('validates only what the validator asks for', () => {
    const onlyParams = { ...method({ 'application/json': 'Empty' }), requestValidatorId: 'params', requestParameters: { 'method.request.header.h': true } };
    const snap = snapshot({ Empty: { type: 'object' } }, { POST: onlyParams });
    snap.requestValidators.push({ id: 'params', name: 'params', validateRequestParameters: true, validateRequestBody: false });
    const compiled = compileRequestValidation(snap).get(onlyParams)!;
    assert.deepEqual(compiled, { requiredParameters: [{ location: 'header', name: 'h' }] });
  });
});
