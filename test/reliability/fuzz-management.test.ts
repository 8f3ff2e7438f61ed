// A fuzzer of the management API, driven by the service model (openapi/apigateway.json, generated
// from AWS's model of API Gateway; when the model itself is at hand, the two must list the same
// operations). Every one of the 124 operations gets malformed input, correctly signed, over raw HTTP:
// bogus path ids, bad query values, bodies that are not JSON or nested thousands deep, members of
// the wrong type, missing, huge or full of odd unicode, and broken patch operations, against real
// ids of a fixture holding one of every kind of resource. The values come from a seeded generator
// (PORTICO_FUZZ_SEED), so a run is repeatable. Every answer must be below 500, and every error
// AWS-shaped: an x-amzn-ErrorType header and a JSON body with a clear message (no JavaScript or SQL
// internals). Afterwards the control plane still serves the fixture.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import aws4 from 'aws4';
import { handlers } from '../../src/control-plane/operations.js';
import { operations, resolveSchema, type OperationSpec, type Schema } from '../../src/control-plane/protocol/openapi.js';
import { createEverything, LAMBDA_URI } from './helpers/everything.js';
import { clientFor, killAll, randomAccountId, startControlPlaneProcess, startPostgres, type Postgres } from './helpers/processes.js';

const SEED = Number(process.env.PORTICO_FUZZ_SEED ?? 20260709);
/** Random probes per operation, on top of the systematic ones. */
const RANDOM_PROBES = 16;
const CONCURRENCY = 6;
const REQUEST_TIMEOUT_MS = 60_000;
const MODEL = new URL('../../../shared/reference/aws-model/apigateway-2015-07-09.service-2.json', import.meta.url);

// ---- A seeded generator ------------------------------------------------------------------------

type Rng = { next: () => number; int: (n: number) => number; pick: <T>(items: readonly T[]) => T };

function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

const hash = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

// ---- Hostile values, as JSON text (so that nesting depth is not bounded by JSON.stringify) ------

const text = (s: string) => JSON.stringify(s);
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789 -_./{}$#"\'\\ü漢🙂\u202e\u200b\ufeff\u0007';

function randomText(r: Rng, length: number): string {
  const chars = [...ALPHABET];
  return Array.from({ length }, () => r.pick(chars)).join('');
}

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Strings no input should make the server choke on. */
function badString(r: Rng): string {
  const fixed = [
    '', ' ', '\u0000', 'a\u0000b', '\u0001\u001f\u007f', 'ü漢字🙂\u202e\u200b\ufeff', 'a\ud800b', '\udfff', 'a'.repeat(256), 'a'.repeat(1025), 'a'.repeat(2049),
    "'; DROP TABLE rest_apis; --", '${jndi:ldap://x}', '#set($x = 1)$x', '{{7*7}}', '../../../../etc/passwd', '%00%2F..%2F', '\\', 'arn:aws:::', 'NaN', '1e309', '-0',
    '{"type":"object"}', 'null', '[]', '\n\r\t',
  ];
  if (r.next() < 0.2) return randomText(r, 20_000 + r.int(200_000));
  if (r.next() < 0.2) return randomText(r, 1 + r.int(300));
  return r.pick(fixed);
}

const deep = (r: Rng) => (r.next() < 0.5 ? deepArray : deepObject)(500 + r.int(20_000));

/** JSON texts that are wrong, or hostile, for a member of this schema. */
function badValue(schema: Schema, r: Rng): string {
  const s = resolveSchema(schema);
  const common = () => r.pick([() => 'null', () => deep(r), () => text(badString(r))])();
  switch (s.type) {
    case 'string':
      return r.pick([() => text(badString(r)), () => text(badString(r)), () => r.pick(['123', '-1.5', 'true', '{}', '[]', '["a"]']), () => text('NOT_AN_ENUM_VALUE'), common])();
    case 'integer':
    case 'number':
      return r.pick(['"abc"', '"12"', '1.5', '-1', '0', '2147483648', '9007199254740993', '1e308', '-1e308', '1e400', 'true', '{}', '[]', 'null', text(badString(r))]);
    case 'boolean':
      return r.pick(['"true"', '"abc"', '1', '0', 'null', '{}', '[]', text(badString(r))]);
    case 'array':
      return r.pick([
        () => text('abc'), () => '{}', () => '[null]', () => '[1]', () => '[{}]', () => `[${text(badString(r))}]`, () => `[${deep(r)}]`,
        () => `[${Array.from({ length: 5000 }, (_, i) => text(`v${i}`)).join(',')}]`, common,
      ])();
    case 'object':
      if (s.additionalProperties) {
        return r.pick([
          () => text('abc'), () => '[]', () => '{"k":1}', () => '{"k":null}', () => '{"k":{}}', () => '{"":"v"}', () => '{"\\u0000":"v"}',
          () => `{${text(badString(r))}:${text(badString(r))}}`, () => `{${Array.from({ length: 2000 }, (_, i) => `"k${i}":"v"`).join(',')}}`, common,
        ])();
      }
      return r.pick([() => text('abc'), () => '[]', () => '{}', () => '{"notAMember":1}', common])();
    default:
      return common();
  }
}

// ---- Valid values, so that a single broken member is what a probe tests ------------------------

/** Members that need a particular value to get past the handler's first checks. */
function memberHints(ids: Record<string, string>): Record<string, unknown> {
  return {
    name: 'fuzz', pathPart: 'fuzz', stageName: 'fuzz', authorizerUri: LAMBDA_URI, identitySource: 'method.request.header.Auth', uri: 'http://example.com/',
    httpMethod: 'GET', authorizationType: 'NONE', schema: '{"type":"object"}', contentType: 'application/json', tags: { fuzz: 'x' },
    deploymentId: ids.deployment_id, keyId: ids.api_Key, keyType: 'API_KEY', restApiId: ids.restapi_id, domainNameArn: ids.domainNameArn,
    certificateArn: `arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012`,
    targetArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1234567890abcdef'], location: { type: 'API' },
    properties: '{"description":"d"}', documentationVersion: 'fuzz', accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0',
  };
}

function validValue(wire: string, schema: Schema, hints: Record<string, unknown>): unknown {
  if (wire in hints) return hints[wire];
  const s = resolveSchema(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string': return 'fuzz';
    case 'integer': case 'number': return 1;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return s.additionalProperties ? {} : baseline(s, hints);
    default: return undefined;
  }
}

function wireNames(s: Schema): { required: string[]; wires: string[] } {
  const wireOf = Object.fromEntries(Object.entries(s['x-aws-member-names'] ?? {}).map(([wire, member]) => [member, wire]));
  return { required: (s.required ?? []).map((m) => wireOf[m] ?? m), wires: Object.keys(s.properties ?? {}) };
}

/** A body with every required member set, and the hinted ones. */
function baseline(schema: Schema, hints: Record<string, unknown>): Record<string, unknown> {
  const s = resolveSchema(schema);
  const { required, wires } = wireNames(s);
  const chosen = [...new Set([...required, ...wires.filter((w) => w in hints)])];
  return Object.fromEntries(chosen.map((wire) => [wire, validValue(wire, s.properties?.[wire] ?? {}, hints)]));
}

/** The body as JSON text with some members replaced by raw JSON texts (or removed, when undefined). */
function bodyWith(base: Record<string, unknown>, replaced: Record<string, string | undefined>): string {
  const members = { ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, JSON.stringify(v)])), ...replaced };
  return `{${Object.entries(members).filter(([, v]) => v !== undefined).map(([k, v]) => `${text(k)}:${v}`).join(',')}}`;
}

// ---- Probes --------------------------------------------------------------------------------------

type Probe = { operation: string; method: string; path: string; query: string; headers: Record<string, string>; body?: Buffer; note: string };

const BAD_IDS = ['a1b2c3d4e5', '\u0000', 'a'.repeat(3000), ' ü漢🙂\u202e ', '..', '.', "x'; DROP TABLE x; --", '*', '-1'];
const RAW_BAD_IDS = ['%FF', '%ED%A0%80', '%2F', '%25'];

const QUERY_VALUES: Record<string, string[]> = {
  integer: ['abc', '-1', '0', '501', '99999999999999999999', '1.5', '%00', ''],
  boolean: ['abc', '', '%00', 'TRUE', '1'],
  array: ['', '%00', 'a,,b', 'a'.repeat(3000), '%C3%BC%F0%9F%99%82', '%FF'],
  string: ['garbage', '%00', 'a'.repeat(3000), '%FF', '', '%C3%BC%F0%9F%99%82', '%ED%A0%80'],
  object: ['garbage', '%00', '%FF'],
};

const requiredQuery = (ids: Record<string, string>): Record<string, string> => ({
  startDate: '2026-01-01', endDate: '2026-01-31', format: 'csv', tagKeys: 'fuzz',
  domainNameAccessAssociationArn: encodeURIComponent(ids.domainNameAccessAssociationArn!), domainNameArn: encodeURIComponent(ids.domainNameArn!),
});

const WHOLE_BODIES: [string, string | Buffer][] = [
  ['invalid JSON', '{"name": '],
  ['not JSON', 'not json'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')])],
  ['NUL byte', '\u0000'],
  ['a JSON array', '[{}]'],
  ['JSON null', 'null'],
  ['a JSON string', '"text"'],
  ['a JSON number', '42'],
  ['nested 20000 deep', deepObject(20_000)],
  ['an array nested 20000 deep', deepArray(20_000)],
  ['a duplicate member', '{"name":"a","name":{}}'],
  ['a __proto__ member', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'],
  ['1 MB of text', 'x'.repeat(1_000_000)],
];

function pathOf(op: OperationSpec, values: Record<string, string>, raw: Record<string, string> = {}): string {
  return '/' + op.segments.map((seg) => {
    if (!seg.startsWith('{')) return seg;
    const name = seg.slice(1, -1);
    return raw[name] ?? encodeURIComponent(values[name] ?? 'a1b2c3d4e5');
  }).join('/');
}

function probesFor(op: OperationSpec, ids: Record<string, string>, r: Rng): Probe[] {
  const probes: Probe[] = [];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  // A delete runs against a bogus id in its last path parameter, so that the fixture stays.
  const real = op.method === 'DELETE' && pathParams.length ? { ...ids, [pathParams.at(-1)!.name]: 'a1b2c3d4e5' } : ids;
  const literals = Object.entries(op.queryLiterals).map(([k, v]) => `${k}=${v}`);
  const required = queryParams.filter((p) => p.required).map((p) => `${p.name}=${requiredQuery(ids)[p.name] ?? 'fuzz'}`);
  const query = (...extra: string[]) => [...literals, ...required, ...extra].join('&');
  const hints = memberHints(ids);
  const jsonBody = op.body && !op.body.raw ? resolveSchema(op.body.schema) : undefined;
  const base = jsonBody ? baseline(jsonBody, hints) : undefined;
  const baseText = base ? JSON.stringify(base) : op.body?.raw ? '{}' : undefined;
  const add = (note: string, p: { path?: string; query?: string; headers?: Record<string, string>; body?: string | Buffer }) =>
    probes.push({
      operation: op.name, method: op.method, path: p.path ?? pathOf(op, real), query: p.query ?? query(), headers: p.headers ?? {},
      body: p.body === undefined ? (baseText === undefined ? undefined : Buffer.from(baseText)) : Buffer.from(p.body), note,
    });

  // Path ids: each parameter bogus in turn, the others real.
  pathParams.forEach((p, i) => {
    for (const value of i === 0 ? BAD_IDS : BAD_IDS.slice(0, 4)) add(`${p.name} = ${show(value)}`, { path: pathOf(op, { ...real, [p.name]: value }) });
    for (const raw of RAW_BAD_IDS) add(`${p.name} raw ${raw}`, { path: pathOf(op, real, { [p.name]: raw }) });
  });
  // Query parameters, one at a time.
  for (const p of queryParams) {
    const type = resolveSchema(p.schema).type ?? 'string';
    const others = [...literals, ...queryParams.filter((q) => q.required && q.name !== p.name).map((q) => `${q.name}=${requiredQuery(ids)[q.name] ?? 'fuzz'}`)];
    for (const value of QUERY_VALUES[type] ?? QUERY_VALUES.string!) add(`?${p.name}=${show(value)}`, { query: [...others, `${p.name}=${value}`].join('&') });
    add(`?${p.name} twice`, { query: [...others, `${p.name}=a`, `${p.name}=b`].join('&') });
  }
  if (queryParams.some((p) => p.required)) add('without its required query parameters', { query: literals.join('&') });
  add('unknown query parameters', { query: query('foo=bar', '%FF=%FF', 'limit=-5') });
  for (const p of op.parameters.filter((q) => q.in === 'header')) {
    for (const value of ['garbage', 'application/json;;;', 'a'.repeat(3000), '*/*, text/html;q=abc']) add(`header ${p.name} = ${show(value)}`, { headers: { [p.name]: value } });
  }

  if (op.body?.raw) {
    for (const [note, body] of WHOLE_BODIES) add(`payload: ${note}`, { body });
    for (const body of ['swagger: "2.0"\ninfo: {title: 1}\npaths: 7', '{"openapi":"3.0.1","info":{"title":{}},"paths":[]}', '{"swagger":"2.0","paths":{"/a":{"get":{"x-amazon-apigateway-integration":7}}}}',
      'name,key,description,enabled\n\u0000,,,maybe', 'key\n' + 'a'.repeat(100_000), '{"x-amazon-apigateway-documentation":{"documentationParts":[{"location":7}]}}']) {
      add(`payload: ${show(body)}`, { body });
    }
  }
  if (!jsonBody || !base) return probes;

  for (const [note, body] of WHOLE_BODIES) add(`body: ${note}`, { body });
  const { required: requiredMembers, wires } = wireNames(jsonBody);
  for (const wire of requiredMembers) add(`body without required ${wire}`, { body: bodyWith(base, { [wire]: undefined }) });
  for (const wire of wires) {
    const schema = jsonBody.properties![wire]!;
    for (let i = 0; i < 2; i++) {
      const value = badValue(schema, r);
      add(`body.${wire} = ${show(value)}`, { body: bodyWith(base, { [wire]: value }) });
    }
    const nested = resolveSchema(schema);
    if (nested.type === 'object' && !nested.additionalProperties && nested.properties) {
      const nestedBase = baseline(nested, hints);
      for (const [sub, subSchema] of Object.entries(nested.properties)) {
        const value = badValue(subSchema, r);
        add(`body.${wire}.${sub} = ${show(value)}`, { body: bodyWith(base, { [wire]: bodyWith(nestedBase, { [sub]: value }) }) });
      }
    }
  }
  if (jsonBody.properties?.patchOperations) patchProbes(op, r, (note, body) => add(note, { body }));
  // Random combinations: a few members broken at once.
  for (let i = 0; i < RANDOM_PROBES && wires.length; i++) {
    const broken = Object.fromEntries(Array.from({ length: 1 + r.int(4) }, () => {
      const wire = r.pick(wires);
      return [wire, r.next() < 0.15 ? undefined : badValue(jsonBody.properties![wire]!, r)];
    }));
    add(`random: ${Object.keys(broken).join(', ')}`, { body: bodyWith(base, broken) });
  }
  return probes;
}

/** Paths the patched resource could have: its members, their entries and members, and some it never has. */
function patchPaths(target: Schema | undefined): string[] {
  const paths = ['/name', '/description', '/nope', '/*/*/throttling/rateLimit', '/~1pets/GET/caching/enabled', '/throttle/rateLimit'];
  for (const [member, schema] of Object.entries(target ? resolveSchema(target).properties ?? {} : {})) {
    const s = resolveSchema(schema);
    if (s['x-aws-timestamp']) continue;
    paths.push(`/${member}`);
    if (s.type === 'array') paths.push(`/${member}/x`, `/${member}/0`);
    if (s.type === 'object') paths.push(`/${member}/k`, `/${member}/application~1json`, ...Object.keys(s.properties ?? {}).map((sub) => `/${member}/${sub}`));
  }
  return paths;
}

function patchProbes(op: OperationSpec, r: Rng, add: (note: string, body: string) => void) {
  const patch = (note: string, operations: string) => add(`patchOperations ${note}`, `{"patchOperations":${operations}}`);
  for (const list of ['"x"', '{}', 'null', '[null]', '[1]', '["x"]', '[[]]', deepArray(10_000)]) patch(show(list), list);
  const fixed: [string, unknown][] = [
    ['op missing', { path: '/name', value: 'x' }], ['path missing', { op: 'replace', value: 'x' }], ['value missing', { op: 'replace', path: '/name' }],
    ['add without value', { op: 'add', path: '/name' }], ['op unknown', { op: 'nope', path: '/name', value: 'x' }], ['op a number', { op: 1, path: '/name' }],
    ['op null', { op: null, path: '/name', value: 'x' }], ['path a number', { op: 'replace', path: 1, value: 'x' }], ['path null', { op: 'replace', path: null }],
    ['move without from', { op: 'move', path: '/name' }], ['copy from a number', { op: 'copy', path: '/name', from: 1 }], ['test', { op: 'test', path: '/name', value: 'x' }],
  ];
  for (const [note, operation] of fixed) patch(note, JSON.stringify([operation]));
  for (const path of ['', '/', '//', '~', '/~2', 'name', '/name/', '/a/b/c/d/e/f/g/h/i', `/${'a'.repeat(5000)}`, '/\u0000', '/ü🙂\u202e', '/*/*', '/~1/GET/x', '/../..']) {
    patch(`path ${show(path)}`, JSON.stringify([{ op: r.pick(['replace', 'add', 'remove']), path, value: 'x' }]));
  }
  const paths = patchPaths(op.output);
  const anyValue = () => r.pick([() => text(badString(r)), () => r.pick(['1', 'true', '{}', '[]', 'null']), () => deep(r)])();
  for (const path of paths) {
    patch(`replace ${path}`, `[{"op":"replace","path":${text(path)},"value":${anyValue()}}]`);
    patch(`add ${path}`, `[{"op":"add","path":${text(path)},"value":${anyValue()}}]`);
    patch(`remove ${path}`, `[{"op":"remove","path":${text(path)}}]`);
  }
  patch('5000 operations', `[${Array.from({ length: 5000 }, (_, i) => `{"op":"replace","path":"/nope${i}","value":"x"}`).join(',')}]`);
  for (let i = 0; i < 10; i++) {
    const list = Array.from({ length: 1 + r.int(5) }, () => `{"op":${text(r.pick(['replace', 'add', 'remove', 'move', 'copy', 'test', 'REPLACE', '']))},"path":${text(r.pick(paths))},"value":${anyValue()}}`);
    patch(`random ${list.length}`, `[${list.join(',')}]`);
  }
}

/** A value every string member might be patched to: what a header, a log line or a template must survive. */
const POISON = 'ü\ud800\u0007"\r\nX-Injected: 1\t${x}#set($a=1)';

/** Every patchable path of an operation's resource set to POISON, one after the other (stored for the read-back). */
function poisonProbes(op: OperationSpec, ids: Record<string, string>): Probe[] {
  if (!op.body || op.body.raw || !resolveSchema(op.body.schema).properties?.patchOperations) return [];
  return patchPaths(op.output).map((path) => ({
    operation: op.name, method: op.method, path: pathOf(op, ids), query: '', headers: {}, note: `poison ${path}`,
    body: Buffer.from(JSON.stringify({ patchOperations: [{ op: 'replace', path, value: POISON }] })),
  }));
}

/** Every read of the fixture, after the fuzzing stored what it could: reads must survive what was stored. */
function readBackProbes(ids: Record<string, string>): Probe[] {
  const accepts = ['application/json', 'application/yaml', '*/*'];
  return operations.filter((op) => op.method === 'GET').flatMap((op) =>
    (op.parameters.some((p) => p.in === 'header') ? accepts : ['']).map((accept) => ({
      operation: op.name, method: 'GET', path: pathOf(op, ids), headers: accept ? { Accept: accept } : ({} as Record<string, string>), note: `read back ${accept}`,
      query: [...Object.entries(op.queryLiterals).map(([k, v]) => `${k}=${v}`), ...op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${requiredQuery(ids)[p.name] ?? 'fuzz'}`)].join('&'),
    })),
  );
}

const show = (value: string): string => {
  const shown = JSON.stringify(value);
  return shown.length > 60 ? `${shown.slice(0, 40)}…(${value.length} chars)` : shown;
};

// ---- Sending and judging -------------------------------------------------------------------------

type Answer = { status: number; errorType?: string; contentType?: string; body: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(endpoint: string, probe: Probe, accountId: string): Promise<Answer> {
  const url = new URL(endpoint);
  const path = probe.query ? `${probe.path}?${probe.query}` : probe.path;
  const body = probe.body ?? Buffer.alloc(0);
  const signed = aws4.sign(
    { host: url.host, path, method: probe.method, service: 'apigateway', region: 'us-east-1', body, headers: { ...(body.length ? { 'Content-Type': 'application/json' } : {}), ...probe.headers } },
    { accessKeyId: accountId, secretAccessKey: 'fuzz-secret' },
  );
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: probe.method, path, headers: signed.headers as http.OutgoingHttpHeaders, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const errorType = res.headers['x-amzn-errortype'];
        resolve({ status: res.statusCode ?? 0, errorType: Array.isArray(errorType) ? errorType.join(',') : errorType, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Internals no message may show: JavaScript artifacts, stack frames, driver and SQL errors. */
const INTERNALS = /\bundefined\b|\[object Object\]|\bNaN\b|TypeError|ReferenceError|SyntaxError|RangeError|\n\s+at |QueryFailedError|violates|relation "|syntax error at|ECONN|node_modules/;

/** An artifact counts unless the probe itself sent it (a message may quote the value it refuses). */
function showsInternals(message: string, probe: Probe): string | undefined {
  const sent = `${probe.path}?${probe.query} ${probe.body?.toString('utf8') ?? ''}`;
  const artifact = new RegExp(INTERNALS.source, 'g');
  return [...message.matchAll(artifact)].map((m) => m[0]).find((found) => !sent.includes(found.trim()));
}

function judge(answer: Answer, probe: Probe): string | undefined {
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
  if (!answer.errorType) return `status ${answer.status} without x-amzn-ErrorType`;
  let message: unknown;
  try {
    message = (JSON.parse(answer.body) as { message?: unknown }).message;
  } catch {
    return 'error body is not JSON';
  }
  if (typeof message !== 'string' || message.trim() === '') return 'error body without a message';
  if (showsInternals(message, probe)) return `message shows internals: ${clip(message, 120)}`;
  return undefined;
}

const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

async function runAll<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** Destructive operations go last, so that every other operation meets the fixture whole. */
const LAST = ['PutRestApi', 'ImportDocumentationParts', 'RejectDomainNameAccessAssociation', 'UpdateUsage'];
const order = (op: OperationSpec) => (op.method === 'DELETE' ? 2 : LAST.includes(op.name) ? 1 : 0);

describe('fuzzing the management API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-fuzz-'));
  let postgres: Postgres | undefined;
  after(async () => {
    await killAll();
    postgres?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every operation of the service model', () => {
    assert.equal(operations.length, 124);
    if (existsSync(MODEL)) {
      const model = JSON.parse(readFileSync(MODEL, 'utf8')) as { operations: Record<string, unknown> };
      assert.deepEqual(operations.map((o) => o.name).sort(), Object.keys(model.operations).sort());
    }
  });

  it('answers malformed input to every operation with an AWS error, never a 5xx', async (t) => {
    postgres = await startPostgres();
    const cp = await startControlPlaneProcess({ dataDir: dir, clusterSecret: 'fuzz-cluster-secret', databaseUrl: postgres?.url });
    const accountId = randomAccountId();
    const { ids } = await createEverything(clientFor(cp.url, accountId), accountId);

    const ordered = [...operations].sort((a, b) => order(a) - order(b));
    // One group of probes per operation; before the destructive ones, poison is stored and read back.
    const groups = ordered.map((op) => probesFor(op, ids, rng(SEED ^ hash(op.name))));
    const firstDestructive = ordered.findIndex((op) => order(op) > 0);
    groups.splice(firstDestructive, 0, ...ordered.filter((op) => order(op) === 0).map((op) => poisonProbes(op, ids)).filter((g) => g.length), readBackProbes(ids));
    const probes = groups.flat();
    const started = Date.now();
    const failures = new Map<string, { count: number; example: string }>();
    const statuses = new Map<number, number>();
    let serverErrors = 0;
    let notImplemented = 0;
    for (const group of groups) {
      await runAll(group, CONCURRENCY, async (probe) => {
        let problem: string | undefined;
        let answer: Answer | undefined;
        try {
          answer = await send(cp.url, probe, accountId);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500) serverErrors++;
          // Operations Portico does not build answer NotImplementedException before reading any input.
          if (answer.status === 501 && answer.errorType === 'NotImplementedException' && !handlers[probe.operation]) {
            notImplemented++;
            return;
          }
          problem = judge(answer, probe);
        } catch (e) {
          problem = `request failed: ${(e as Error).message}`;
        }
        if (!problem) return;
        const key = `${probe.operation} (${probe.note.split(' = ')[0]}): ${problem} ${answer?.errorType ?? ''} ${clip(answer?.body ?? '', 160)}`;
        const seen = failures.get(key);
        if (seen) seen.count++;
        else failures.set(key, { count: 1, example: `${probe.note}\n      ${probe.method} ${clip(probe.path, 100)}?${clip(probe.query, 80)} body ${clip(probe.body?.toString('utf8') ?? '', 100)}` });
      });
    }
    const seconds = (Date.now() - started) / 1000;

    const unbuilt = operations.filter((op) => !handlers[op.name]).map((op) => op.name);
    t.diagnostic(`seed ${SEED}: ${operations.length} operations fuzzed, ${probes.length} requests in ${seconds.toFixed(0)} s`);
    t.diagnostic(`5xx answers: ${serverErrors - notImplemented}${unbuilt.length ? ` (and ${notImplemented} NotImplementedException from the operations not built: ${unbuilt.join(', ')})` : ''}`);
    t.diagnostic(`statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);

    const internal = cp.output().split('\n').filter((line) => line.includes('internal failure')).slice(0, 10).map((line) => clip(line, 1500));
    const report = [...failures].map(([key, { count, example }]) => `  ${key}\n    ×${count}, e.g. ${example}`).join('\n') + `\n${internal.join('\n')}`;
    assert.equal(failures.size, 0, `${failures.size} kinds of bad answer among ${probes.length} probes:\n${report}`);
    assert.equal(serverErrors, notImplemented, 'no 5xx but NotImplementedException from operations not built');

    // The control plane is unharmed: it answers, and the fixture is still there.
    const health = await fetch(`${cp.url}/health`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    const api = await send(cp.url, { operation: 'GetRestApi', method: 'GET', path: `/restapis/${ids.restapi_id}`, query: '', headers: {}, note: '' }, accountId);
    assert.equal(api.status, 200, api.body);
    assert.equal(cp.child.exitCode, null, 'the control plane is running');
  });
});
