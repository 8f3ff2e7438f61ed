// Builds an operation's typed input from the HTTP request (URI labels, query string, headers,
// JSON body or raw payload) and validates it against the model, answering as API Gateway does:
// constraint violations as "N validation error(s) detected: ...", unparsable bodies as BadRequest.
import { ApiError, badRequest } from './errors.js';
import { resolveSchema, type OperationSpec, type Schema } from './openapi.js';

export type RawRequest = {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/** API Gateway lists enum values in its own order in messages; where it is known, use it. */
const enumMessageOrder: Record<string, string[]> = {
  'add,remove,replace,move,copy,test': ['add', 'remove', 'move', 'test', 'replace', 'copy'],
  'REGIONAL,EDGE,PRIVATE': ['PRIVATE', 'EDGE', 'REGIONAL'],
  'HTTP,AWS,MOCK,HTTP_PROXY,AWS_PROXY': ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'],
};
const gatewayResponseTypeOrder = [
  'REQUEST_TOO_LARGE', 'RESOURCE_NOT_FOUND', 'AUTHORIZER_CONFIGURATION_ERROR', 'MISSING_AUTHENTICATION_TOKEN',
  'BAD_REQUEST_BODY', 'INVALID_SIGNATURE', 'INVALID_API_KEY', 'BAD_REQUEST_PARAMETERS', 'AUTHORIZER_FAILURE',
  'UNAUTHORIZED', 'INTEGRATION_TIMEOUT', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'WAF_FILTERED',
  'QUOTA_EXCEEDED', 'THROTTLED', 'API_CONFIGURATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE', 'INTEGRATION_FAILURE',
  'EXPIRED_TOKEN',
];
const documentationPartTypeOrder = [
  'RESPONSE_BODY', 'RESPONSE', 'METHOD', 'MODEL', 'AUTHORIZER', 'RESPONSE_HEADER', 'RESOURCE', 'PATH_PARAMETER',
  'REQUEST_BODY', 'QUERY_PARAMETER', 'API', 'REQUEST_HEADER',
];

function enumList(values: string[]): string {
  const key = values.join(',');
  const ordered =
    enumMessageOrder[key] ??
    (values.includes('EXPIRED_TOKEN') ? gatewayResponseTypeOrder : values.includes('RESPONSE_BODY') ? documentationPartTypeOrder : values);
  return `[${ordered.join(', ')}]`;
}

/** Constraints API Gateway enforces on URI labels beyond the model's types. */
const labelPatterns: Record<string, { pattern: RegExp; text: string }> = {
  statusCode: { pattern: /^[1-5]\d\d$/, text: '[1-5]\\d\\d' },
};

type Violation = { kind: 'null' | 'enum' | 'pattern'; text: string };

const javaTypes: Record<string, string> = { integer: 'java.lang.Integer', number: 'java.lang.Double', boolean: 'java.lang.Boolean' };

function typeMismatch(at: string, expected: Schema, value: unknown): ApiError {
  const expectedName = expected.type === 'object' ? 'an object' : expected.type === 'array' ? 'a list' : javaTypes[expected.type!] ?? 'java.lang.String';
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return badRequest(`Could not parse request body into json: Cannot deserialize value of type ${expectedName} from ${actual} at '${at}'`);
}

// Postgres (text and jsonb alike) cannot hold U+0000, and jsonb refuses unpaired surrogates: no
// input string may carry the one, and the other becomes U+FFFD, as it would on its way to a text column.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function checkText(text: string, at: string): string {
  if (text.includes('\u0000')) throw badRequest(`Invalid character U+0000 in value at '${at}'`);
  return text.replace(LONE_SURROGATE, '\ufffd');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => String(v)).join(', ')}]`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Walks a JSON value against its schema; returns the value with wire names mapped to member names. */
function checkValue(schema: Schema, value: unknown, at: string, violations: Violation[]): unknown {
  const s = resolveSchema(schema);
  if (value === null || value === undefined) return undefined;
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(at, s, value);
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      if (s.additionalProperties) {
        // A null entry of a string map is a key without a value (an empty mapping template); in a map
        // of lists or structures there is nothing it could stand for, so it is no entry at all.
        const valueType = resolveSchema(s.additionalProperties).type;
        for (const [k, v] of Object.entries(input)) {
          if (v === null && (valueType === 'array' || valueType === 'object')) continue;
          out[checkText(k, at)] = checkValue(s.additionalProperties, v, `${at}.${k}`, violations);
        }
        return out;
      }
      const memberNames = s['x-aws-member-names'] ?? {};
      for (const required of s.required ?? []) {
        const wire = Object.entries(memberNames).find(([, m]) => m === required)?.[0] ?? required;
        if (input[wire] === null || input[wire] === undefined) {
          violations.push({ kind: 'null', text: `Value null at '${at}.${required}' failed to satisfy constraint: Member must not be null` });
        }
      }
      for (const [wire, propertySchema] of Object.entries(s.properties ?? {})) {
        if (!(wire in input)) continue;
        const member = memberNames[wire] ?? wire;
        const checked = checkValue(propertySchema, input[wire], `${at}.${member}`, violations);
        if (checked !== undefined) out[member] = checked;
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) throw typeMismatch(at, s, value);
      const itemSchema = resolveSchema(s.items!);
      if (itemSchema.enum) {
        const bad = value.some((v) => typeof v === 'string' && !itemSchema.enum!.includes(v));
        if (bad) {
          violations.push({
            kind: 'enum',
            text: `Value '${describe(value)}' at '${at}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: ${enumList(itemSchema.enum)}]`,
          });
        }
      }
      // As a null member is an absent one, a null item is no item.
      return value
        .map((item, i) => checkValue(s.items!, item, `${at}.${i + 1}.member`, itemSchema.enum ? [] : violations))
        .filter((item) => item !== undefined);
    }
    case 'string': {
      if (typeof value !== 'string' && (s.format === 'binary' || typeof value === 'object')) throw typeMismatch(at, s, value);
      // Jackson coerces scalars into strings; the coerced text must still be one of an enum's values.
      const text = typeof value === 'string' ? checkText(value, at) : String(value);
      if (s.enum && !s.enum.includes(text)) {
        violations.push({ kind: 'enum', text: `Value '${text}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: ${enumList(s.enum)}` });
      }
      return text;
    }
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      throw typeMismatch(at, s, value);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      throw typeMismatch(at, s, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw typeMismatch(at, s, value);
    default:
      return value;
  }
}

function scalarFromText(schema: Schema, text: string, name: string): unknown {
  const s = resolveSchema(schema);
  if (s.type === 'integer') {
    if (!/^-?\d+$/.test(text)) throw badRequest(`Invalid value for parameter ${name}: ${text}`);
    return Number(text);
  }
  if (s.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw badRequest(`Invalid value for parameter ${name}: ${text}`);
    return text === 'true';
  }
  return text;
}

function headerValue(headers: RawRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

export function inputPrefix(operation: string): string {
  return `${operation[0]!.toLowerCase()}${operation.slice(1)}Input`;
}

export function parseInput(spec: OperationSpec, req: RawRequest): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const violations: Violation[] = [];
  const labelViolations: Violation[] = [];

  if (spec.body) {
    if (spec.body.payloadMember) {
      if (req.body.length > 0 || spec.body.raw) input[spec.body.payloadMember] = spec.body.raw ? req.body : parseJson(req.body);
    } else {
      const json = parseJson(req.body);
      Object.assign(input, checkValue(spec.body.schema, json ?? {}, inputPrefix(spec.name), violations) as object);
    }
  }

  for (const p of spec.parameters) {
    const s = resolveSchema(p.schema);
    let value: unknown;
    if (p.in === 'path') value = req.pathParams[p.name];
    else if (p.in === 'header') value = headerValue(req.headers, p.name);
    else if (s.type === 'array') {
      const all = req.query.getAll(p.name).flatMap((v) => v.split(','));
      value = all.length ? all : undefined;
    } else if (s.type === 'object') {
      const map: Record<string, string> = {};
      for (const [k, v] of req.query) if (!(k in spec.queryLiterals) && !spec.parameters.some((q) => q.name === k)) map[checkText(k, p.member)] = checkText(v, p.member);
      value = Object.keys(map).length ? map : undefined;
    } else value = req.query.get(p.name) ?? undefined;

    if (value === undefined || value === null) {
      if (p.required) labelViolations.push({ kind: 'null', text: `Value null at '${p.member}' failed to satisfy constraint: Member must not be null` });
      continue;
    }
    if (Array.isArray(value)) value = value.map((v) => checkText(v, p.member));
    if (typeof value === 'string') {
      value = scalarFromText(p.schema, checkText(value, p.member), p.name);
      if (s.enum && !s.enum.includes(value as string)) {
        labelViolations.push({ kind: 'enum', text: `Value '${value}' at '${p.member}' failed to satisfy constraint: Member must satisfy enum value set: ${enumList(s.enum)}` });
      }
      const pattern = p.in === 'path' ? labelPatterns[p.member] : undefined;
      if (pattern && !pattern.pattern.test(value as string)) {
        labelViolations.push({ kind: 'pattern', text: `Value '${value}' at '${p.member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.text}` });
      }
    }
    input[p.member] = value;
  }

  const all = [...violations, ...labelViolations];
  if (all.length) {
    const type = all.every((v) => v.kind === 'null') ? 'BadRequestException' : 'ValidationException';
    const count = `${all.length} validation error${all.length > 1 ? 's' : ''} detected: `;
    throw new ApiError(type, 400, count + all.map((v) => v.text).join('; '));
  }
  return input;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`Could not parse request body into json: ${(e as Error).message}`);
  }
}
