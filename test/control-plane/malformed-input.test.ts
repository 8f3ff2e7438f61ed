// No management operation answers 5xx to malformed input. Every operation Portico builds is probed,
// from its description in openapi/apigateway.json, with bogus path ids, unparsable and mistyped
// bodies, missing required members, broken patch operations and bad query values, against a real
// API (resources, method, integration, model, validator, authorizer, gateway response, stage), so
// that the handlers' own checks run too. Every answer must be below 500, and every error must be
// AWS-shaped: an x-amzn-ErrorType header and a JSON body with a non-empty message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import aws4 from 'aws4';
import { definePetsApi, LAMBDA_URI } from '../helpers/pets-api.js';
import { handlers } from '../../src/control-plane/operations.js';
import type { Schema } from '../../src/control-plane/protocol/openapi.js';
import { endpoint, newClient } from '../helpers/client.js';

// ---- The management API as its OpenAPI description tells it -------------------------------------

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema };
type RawOperation = {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Operation = { name: string; method: string; uri: string; parameters: Parameter[]; body?: Schema; rawBody: boolean; target?: Schema };

const document: { paths: Record<string, Record<string, RawOperation>>; components: { schemas: Record<string, Schema> } } = JSON.parse(
  readFileSync(new URL('../../openapi/apigateway.json', import.meta.url), 'utf8'),
);

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s.$ref) s = document.components.schemas[s.$ref.split('/').pop()!]!;
  return s;
}

const builtOperations: Operation[] = Object.entries(document.paths).flatMap(([uri, methods]) =>
  Object.entries(methods)
    .filter(([, raw]) => handlers[raw.operationId])
    .map(([method, raw]) => {
      const success = Object.entries(raw.responses).find(([status]) => Number(status) < 300)?.[1];
      return {
        name: raw.operationId,
        method: method.toUpperCase(),
        uri,
        parameters: raw.parameters,
        body: raw.requestBody?.content['application/json']?.schema,
        rawBody: Boolean(raw.requestBody?.content['application/octet-stream']),
        target: success?.content?.['application/json']?.schema,
      };
    }),
);

// ---- Values ------------------------------------------------------------------------------------

/** 100 KB that does not compress: the database sees it at full size. */
const BIG = Array.from({ length: 100_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(i * 7919 + ((i * i) % 104729)) % 36]).join('');
const LONG = 'a'.repeat(300);
const DEPTH = 5000;
/** Stands for an array nested DEPTH levels deep, which JSON.stringify cannot write: json() puts it in. */
const DEEP_ARRAY = '<array nested 5000 deep>';
/** A JSON Schema (or policy) nested DEPTH levels deep, as text. */
const DEEP_TEXT = '{"items":'.repeat(DEPTH) + '{}' + '}'.repeat(DEPTH);

/** Ids no path should make the server choke on; the raw ones go unencoded (invalid UTF-8, a lone surrogate). */
const badIds = ['\u0000', LONG, ' ü🙂 ', '..', ''];
const rawBadIds = ['%FF', '%ED%A0%80'];

/** Values that make the body's members valid enough to pass, so a single broken member is what's tested. */
const memberHints: Record<string, unknown> = {
  name: 'fuzz',
  pathPart: 'fuzz',
  stageName: 'fuzz',
  authorizerUri: LAMBDA_URI,
  identitySource: 'method.request.header.Auth',
  uri: 'http://example.com/',
  httpMethod: 'GET',
  authorizationType: 'NONE',
  schema: '{"type":"object"}',
  contentType: 'application/json',
  tags: { fuzz: 'x' },
};

/** Body members that name something of the fixture, by the path parameter naming the same. */
const realMembers: Record<string, string> = { deploymentId: 'deployment_id', keyId: 'keyId' };

function validValue(wire: string, schema: Schema, real: Record<string, string>): unknown {
  if (wire in realMembers) return real[realMembers[wire]!];
  if (wire in memberHints) return memberHints[wire];
  const s = resolve(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string': return 'fuzz';
    case 'integer': case 'number': return 1;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return s.additionalProperties ? {} : baseline(s, real);
    default: return undefined;
  }
}

/** A body with every required member set, and the hinted ones that make it pass the handler's checks. */
function baseline(schema: Schema, real: Record<string, string>): Record<string, unknown> {
  const s = resolve(schema);
  const wireOf = Object.fromEntries(Object.entries(s['x-aws-member-names'] ?? {}).map(([wire, member]) => [member, wire]));
  const wires = [...(s.required ?? []).map((member) => wireOf[member] ?? member), ...Object.keys(s.properties ?? {}).filter((w) => w in memberHints || w in realMembers)];
  return Object.fromEntries(wires.map((wire) => [wire, validValue(wire, s.properties![wire]!, real)]));
}

/** Wrong or hostile values for a member of the given schema. */
function badValues(schema: Schema): unknown[] {
  const s = resolve(schema);
  switch (s.type) {
    case 'string':
      return [123, {}, BIG, DEEP_TEXT, '\u0000', 'a\ud800b ü🙂\u0001\u001f', '', ...(s.enum ? ['NOT_AN_ENUM_VALUE'] : [])];
    case 'integer':
      return ['abc', 1.5, -1, 2147483648, '99999999999999999999', 1e400, true, {}];
    case 'number':
      return ['abc', -1, 1e308, true, {}];
    case 'boolean':
      return ['abc', 1, {}];
    case 'array':
      return ['abc', {}, [1], [{}], [null], [BIG], ['\u0000'], Array.from({ length: 1000 }, (_, i) => `v${i}`), DEEP_ARRAY];
    case 'object':
      if (s.additionalProperties) {
        return [
          'abc', [], DEEP_ARRAY, { k: 1 }, { k: {} }, { k: null }, { '\u0000': 'v' }, { [LONG]: 'v' }, { k: BIG },
          Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'v'])),
        ];
      }
      return ['abc', [], DEEP_ARRAY];
    default:
      return [];
  }
}

// ---- Requests ----------------------------------------------------------------------------------

type Probe = { operation: string; method: string; path: string; query: string; body?: Buffer; note: string };

const json = (value: unknown) => Buffer.from(JSON.stringify(value).replaceAll(JSON.stringify(DEEP_ARRAY), '['.repeat(DEPTH) + ']'.repeat(DEPTH)));

function pathOf(op: Operation, values: Record<string, string>, raw: Record<string, string> = {}): string {
  return op.uri.split('?')[0]!.replace(/\{([^}]+)\}/g, (_, name: string) => raw[name] ?? encodeURIComponent(values[name]!));
}

/** Valid values for the query parameters an operation requires. */
const queryHints: Record<string, string> = { startDate: '2024-01-01', endDate: '2024-01-31', format: 'csv', tagKeys: 'fuzz' };

/** The query every probe starts from: the literals selecting the operation and its required parameters, but `except`. */
function baseQuery(op: Operation, except?: string): string {
  const required = op.parameters.filter((p) => p.in === 'query' && p.required && p.name !== except);
  return [op.uri.split('?')[1], ...required.map((p) => `${p.name}=${queryHints[p.name] ?? 'fuzz'}`)].filter(Boolean).join('&');
}

/** Bodies that are wrong as a whole: not JSON, not an object, nested too deep, too big. */
function wholeBodies(base: unknown): [string, Buffer][] {
  return [
    ['invalid JSON', Buffer.from('{"name": ')],
    ['not JSON', Buffer.from('not json')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['NUL byte', Buffer.from('\u0000')],
    ['a JSON array', json([base])],
    ['JSON null', json(null)],
    ['a JSON string', json('text')],
    ['a JSON number', json(42)],
    ['nested 5000 deep', Buffer.from('{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH))],
    ['empty object', json({})],
    ['unknown members', json({ ...(base as object), notAMember: BIG, '\u0000': 1 })],
    ['100 KB', Buffer.from(BIG)],
  ];
}

/** Every member (and member of a nested structure) set to each of its bad values, or removed when required. */
function bodyProbes(op: Operation, real: Record<string, string>, probe: (note: string, body: Buffer) => void) {
  const schema = resolve(op.body!);
  const base = baseline(schema, real);
  for (const [note, body] of wholeBodies(base)) probe(`body: ${note}`, body);
  for (const [wire, memberSchema] of Object.entries(schema.properties ?? {})) {
    for (const value of badValues(memberSchema)) probe(`body.${wire} = ${describeValue(value)}`, json({ ...base, [wire]: value }));
    const nested = resolve(memberSchema);
    if (nested.type === 'object' && !nested.additionalProperties) {
      const nestedBase = baseline(nested, real);
      for (const [sub, subSchema] of Object.entries(nested.properties ?? {})) {
        for (const value of badValues(subSchema)) {
          probe(`body.${wire}.${sub} = ${describeValue(value)}`, json({ ...base, [wire]: { ...nestedBase, [sub]: value } }));
        }
      }
    }
  }
  const wireOf = Object.fromEntries(Object.entries(schema['x-aws-member-names'] ?? {}).map(([wire, member]) => [member, wire]));
  for (const member of schema.required ?? []) {
    const { [wireOf[member] ?? member]: _missing, ...rest } = base;
    probe(`body without required ${member}`, json(rest));
  }
}

/** Patch paths the target resource could have: its members, their entries and their members. */
function patchPaths(target: Schema | undefined): string[] {
  if (!target) return ['/name'];
  const paths: string[] = [];
  for (const [member, schema] of Object.entries(resolve(target).properties ?? {})) {
    const s = resolve(schema);
    if (s['x-aws-timestamp']) continue;
    paths.push(`/${member}`);
    if (s.type === 'array') paths.push(`/${member}/x`);
    if (s.type === 'object' && s.additionalProperties) paths.push(`/${member}/k`, `/${member}/application~1json`, `/${member}/method.response.header.x`);
    // Small nested structures (endpointConfiguration, canarySettings, tlsConfig, ...) are patched member by member.
    if (s.type === 'object' && !s.additionalProperties && Object.keys(s.properties ?? {}).length <= 6) {
      for (const [sub, subSchema] of Object.entries(s.properties ?? {})) {
        const t = resolve(subSchema).type;
        if (t !== 'object') paths.push(`/${member}/${sub}`);
        if (t === 'array') paths.push(`/${member}/${sub}/x`);
      }
    }
  }
  return paths;
}

/** Paths the model does not describe: stage method settings and the account throttle. */
const extraPatchPaths: Record<string, string[]> = {
  Stage: [
    '/*/*/throttling/burstLimit', '/*/*/throttling/rateLimit', '/*/*/caching/ttlInSeconds', '/*/*/logging/loglevel', '/*/*/metrics/enabled',
    '/~1pets~1{petId}/GET/caching/enabled', '/pets/{petId}/GET/caching/unauthorizedCacheControlHeaderStrategy', '/*/*',
  ],
  Account: ['/throttle/rateLimit', '/throttle/burstLimit'],
};

const patchValues: (string | undefined)[] = [undefined, BIG, 'abc', '99999999999999999999', DEEP_TEXT];

function patchProbes(op: Operation, probe: (note: string, body: Buffer) => void) {
  const patch = (note: string, patchOperations: unknown) => probe(`patchOperations ${note}`, json({ patchOperations }));
  patch('op missing', [{ path: '/name', value: 'x' }]);
  patch('path missing', [{ op: 'replace', value: 'x' }]);
  patch('op unknown', [{ op: 'nope', path: '/name', value: 'x' }]);
  patch('op a number', [{ op: 1, path: '/name' }]);
  const ops = ['replace', 'add', 'remove'];
  [1, {}, '/', '//', '/~1x', '~', '/~2', 'name', '/name/', '/a/b/c/d/e/f/g', `/${BIG}`, '/\u0000', '/ü🙂', '/*/*', '/~1/GET/x'].forEach((path, i) => {
    patch(`${ops[i % 3]} ${describeValue(path)}`, [{ op: ops[i % 3], path, value: 'x' }]);
  });
  for (const value of [1, true, {}, [], null, '\u0000', '']) patch(`value ${describeValue(value)}`, [{ op: 'replace', path: '/name', value }]);
  patch('from a number', [{ op: 'copy', path: '/name', from: 1 }]);
  const targetName = op.target?.$ref?.split('/').pop() ?? '';
  const paths = [...patchPaths(op.target), ...(extraPatchPaths[targetName] ?? [])];
  for (const path of paths) {
    for (const value of patchValues) patch(`replace ${path} = ${describeValue(value)}`, [{ op: 'replace', path, ...(value === undefined ? {} : { value }) }]);
    patch(`remove ${path}`, [{ op: 'remove', path }]);
  }
  for (const o of ['move', 'copy', 'test']) patch(`${o} ${paths[0]}`, [{ op: o, path: paths[0], from: '/description', value: 'x' }]);
  patch('1000 valid-looking operations', Array.from({ length: 1000 }, () => ({ op: 'replace', path: paths[0] ?? '/name', value: 'x' })));
  patch('1000 invalid operations', Array.from({ length: 1000 }, (_, i) => ({ op: 'replace', path: `/nope${i}`, value: 'x' })));
}

const queryValues: Record<string, string[]> = {
  integer: ['abc', '-1', '0', '99999', '99999999999999999999', '%00'],
  boolean: ['abc', '', '%00'],
  array: ['x', '', '%00', 'a,,b', LONG, '%C3%BC%F0%9F%99%82'],
  string: ['garbage', '%00', LONG, '%FF', ''],
};

const describeValue = (value: unknown): string => {
  const text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
};

/** Path ids the fixture's resources answer to, with a few swapped where the put must not find the thing already there. */
const realOverrides: Record<string, Record<string, string>> = {
  PutMethod: { http_method: 'POST' },
  PutMethodResponse: { status_code: '201' },
};

function probesFor(op: Operation, fixture: Record<string, string>): Probe[] {
  // A path parameter the fixture has nothing for gets a well-formed id that names nothing.
  const unknown = Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'a1b2c3d4e5']));
  const real = { ...unknown, ...fixture, ...realOverrides[op.name] };
  const probes: Probe[] = [];
  const add = (note: string, path: string, query: string, body?: Buffer) => probes.push({ operation: op.name, method: op.method, path, query, body, note });
  const base = op.body ? json(baseline(op.body, real)) : undefined;
  const query = baseQuery(op);
  const isDelete = op.method === 'DELETE';

  // Path parameters: one at a time bogus, the others real; the routing-only cases once, on the first.
  op.parameters.filter((q) => q.in === 'path').forEach((p, i) => {
    for (const value of i === 0 ? badIds : badIds.slice(0, 3)) add(`${p.name} = ${describeValue(value)}`, pathOf(op, { ...real, [p.name]: value }), query, base);
    for (const raw of i === 0 ? rawBadIds : []) add(`${p.name} raw ${raw}`, pathOf(op, real, { [p.name]: raw }), query, base);
  });
  // Query parameters, one at a time, against real ids: a delete's query (UntagResource's tagKeys) only narrows it.
  const path = pathOf(op, real);
  for (const p of op.parameters.filter((q) => q.in === 'query')) {
    const type = resolve(p.schema).type ?? 'string';
    for (const value of queryValues[type] ?? queryValues.string!) {
      add(`?${p.name}=${describeValue(value)}`, path, [baseQuery(op, p.name), `${p.name}=${value}`].filter(Boolean).join('&'), base);
    }
  }
  if (op.parameters.some((q) => q.in === 'query' && q.required)) add('without its required query parameters', path, op.uri.split('?')[1] ?? '', base);
  // Deletes with every id real would take the fixture away; the rest run against real ids.
  if (isDelete) return probes;
  add('unknown and repeated query parameters', path, [query, 'foo=bar&limit=1&limit=2&position=a&position=b'].filter(Boolean).join('&'), base);
  const addBody = (note: string, body: Buffer) => add(note, path, query, body);
  if (op.rawBody) for (const [note, body] of wholeBodies({})) addBody(`payload: ${note}`, body);
  if (!op.body) return probes;
  bodyProbes(op, real, addBody);
  if (resolve(op.body).properties?.patchOperations) patchProbes(op, addBody);
  return probes;
}

// ---- Sending and judging -------------------------------------------------------------------------

type Answer = { status: number; errorType?: string; contentType?: string; body: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function send(probe: Probe, accountId: string): Promise<Answer> {
  const url = new URL(endpoint);
  const path = probe.query ? `${probe.path}?${probe.query}` : probe.path;
  const body = probe.body ?? Buffer.alloc(0);
  const signed = aws4.sign(
    { host: url.host, path, method: probe.method, service: 'apigateway', region: 'us-east-1', body, headers: body.length ? { 'Content-Type': 'application/json' } : {} },
    { accessKeyId: accountId, secretAccessKey: 'malformed-input-secret' },
  );
  return new Promise((resolveAnswer, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: probe.method, path, headers: signed.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const errorType = res.headers['x-amzn-errortype'];
        resolveAnswer({
          status: res.statusCode ?? 0,
          errorType: Array.isArray(errorType) ? errorType.join(',') : errorType,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What is wrong with an answer, or undefined when it is a success or an AWS-shaped 4xx. */
function judge(answer: Answer): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 300) {
    if (answer.body && answer.contentType?.includes('json')) {
      try {
        JSON.parse(answer.body);
      } catch {
        return 'success with a body that is not JSON';
      }
    }
    return undefined;
  }
  if (!answer.errorType) return 'error without x-amzn-ErrorType';
  let message: unknown;
  try {
    message = (JSON.parse(answer.body) as { message?: unknown }).message;
  } catch {
    return 'error body is not JSON';
  }
  if (typeof message !== 'string' || message === '') return 'error body without a message';
  if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(message)) return 'message shows a JavaScript artifact';
  return undefined;
}

async function runAll<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const clip = (text: string, n = 200) => (text.length > n ? `${text.slice(0, n)}…(${text.length} chars)` : text);

// ---- The fixture: a realistic API, so that real ids exist --------------------------------------

async function realisticApi() {
  const client = newClient();
  const api = await client.send(new CreateRestApiCommand({ name: 'malformed-input' }));
  const restApiId = api.id!;
  const pets = await definePetsApi(client, restApiId, api.rootResourceId!);
  const deployment = await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'test', variables: { v: '1' } }));
  const stageArn = `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/test`;
  await client.send(new TagResourceCommand({ resourceArn: stageArn, tags: { team: 'pets' } }));
  const keys: Record<string, string> = {};
  if (handlers.CreateUsagePlan && handlers.CreateApiKey && handlers.CreateUsagePlanKey) {
    const key = await client.send(new CreateApiKeyCommand({ name: 'pets-client', enabled: true }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'pets', apiStages: [{ apiId: restApiId, stage: 'test' }], throttle: { rateLimit: 10, burstLimit: 5 } }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    Object.assign(keys, { usageplanId: plan.id!, api_Key: key.id!, keyId: key.id! });
  }
  const real: Record<string, string> = {
    restapi_id: restApiId,
    parent_id: pets.parentId,
    resource_id: pets.resourceId,
    http_method: 'GET',
    status_code: '200',
    model_name: pets.modelName,
    requestvalidator_id: pets.validatorId,
    authorizer_id: pets.authorizerId,
    deployment_id: deployment.id!,
    stage_name: 'test',
    response_type: 'MISSING_AUTHENTICATION_TOKEN',
    resource_arn: stageArn,
    ...keys,
  };
  return { accountId: client.accountId, real };
}

describe('malformed input', () => {
  it('gets a 4xx in AWS shape from every built operation, never a 5xx', async (t) => {
    const { accountId, real } = await realisticApi();
    const probes = builtOperations.flatMap((op) => probesFor(op, real));
    t.diagnostic(`${probes.length} probes of ${builtOperations.length} operations`);

    const failures = new Map<string, { count: number; example: string }>();
    await runAll(probes, 8, async (probe) => {
      let problem: string | undefined;
      let answer: Answer | undefined;
      try {
        answer = await send(probe, accountId);
        problem = judge(answer);
      } catch (e) {
        problem = `request failed: ${(e as Error).message}`;
      }
      if (!problem) return;
      const subject = probe.note.split(' = ')[0];
      const key = `${probe.operation} (${subject}): ${problem} ${answer?.errorType ?? ''} ${clip(answer?.body ?? '', 160)}`;
      const seen = failures.get(key);
      if (seen) seen.count++;
      else {
        const request = `${probe.method} ${clip(probe.path, 120)}${probe.query ? `?${clip(probe.query, 80)}` : ''} body ${clip(probe.body?.toString('utf8') ?? '', 120)}`;
        failures.set(key, { count: 1, example: `${probe.note}\n      ${request}` });
      }
    });

    const report = [...failures].map(([key, { count, example }]) => `  ${key}\n    ×${count}, e.g. ${example}`).join('\n');
    assert.equal(failures.size, 0, `${failures.size} kinds of bad answer among ${probes.length} probes of ${builtOperations.length} operations:\n${report}`);
    assert.ok(probes.length > 1000, `only ${probes.length} probes`);
  });

  it('answers what it found as AWS would', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'findings' }));
    const call = async (method: string, path: string, query = '', body?: unknown) => {
      const answer = await send({ operation: '', method, path, query, body: body === undefined ? undefined : json(body), note: '' }, client.accountId);
      return { status: answer.status, type: answer.errorType, message: answer.body ? (JSON.parse(answer.body) as { message?: string }).message : undefined };
    };
    const badRequest = (message: string) => ({ status: 400, type: 'BadRequestException', message });
    // Postgres can hold no U+0000, so no input string may carry one.
    assert.deepEqual(await call('GET', '/restapis/%00'), badRequest("Invalid character U+0000 in value at 'restApiId'"));
    assert.deepEqual(await call('POST', '/restapis', '', { name: 'a\u0000b' }), badRequest("Invalid character U+0000 in value at 'createRestApiInput.name'"));
    // A number coerced into an enum's string must still be one of its values.
    assert.deepEqual(await call('POST', `/restapis/${api.id}/stages`, '', { stageName: 's', deploymentId: 'd', cacheClusterSize: 123 }), {
      status: 400,
      type: 'ValidationException',
      message: "1 validation error detected: Value '123' at 'createStageInput.cacheClusterSize' failed to satisfy constraint: Member must satisfy enum value set: [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237]",
    });
    // Required query parameters are checked like required members.
    const arn = encodeURIComponent(`arn:aws:apigateway:us-east-1::/restapis/${api.id}`);
    assert.deepEqual(await call('DELETE', `/tags/${arn}`), badRequest("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"));
    // A missing op or value reads null, never undefined.
    assert.deepEqual(
      await call('PATCH', `/restapis/${api.id}/resources/${api.rootResourceId}`, '', { patchOperations: [{ path: '/pathPart', value: 'x' }] }),
      badRequest("Invalid patch path  '/pathPart' specified for op 'null'. Please choose supported operations"),
    );
    assert.deepEqual(await call('PATCH', `/restapis/${api.id}`, '', { patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint' }] }), badRequest('Invalid boolean value: null'));
    // An account's first updates, all at once, each find the account row.
    const updates = await Promise.all(Array.from({ length: 8 }, () => call('PATCH', '/account', '', { patchOperations: [] })));
    assert.deepEqual(updates.map((u) => u.status), Array(8).fill(200));
  });
});
