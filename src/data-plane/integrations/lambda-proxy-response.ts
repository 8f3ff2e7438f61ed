// A Lambda proxy function's output as the method response: `statusCode` (default 200), `headers`
// and `multiValueHeaders` (merged, the multi-valued first, named as the function wrote them),
// `body`, and `isBase64Encoded` (decoded to binary when the client's first Accept type is one of
// binaryMediaTypes). Anything else — another field, a status that is not a number, a header list
// that is not a list — is malformed: 502.
import { firstValue, type HeaderMap, type InvocationContext, type MethodResult } from '../pipeline/context.js';
import { proxyResponseHeaders } from './http-headers.js';

export class MalformedProxyResponse extends Error {}

const FIELDS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const absent = (value: unknown) => value === undefined || value === null;

/** A header value or body as API Gateway reads it: scalars become their text, structures are malformed. */
function text(value: unknown, what: string): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MalformedProxyResponse(`${what} is not a string`);
}

function statusCode(value: unknown): number {
  if (absent(value)) return 200;
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(code) || code < 100 || code > 599) throw new MalformedProxyResponse('statusCode is not an HTTP status code');
  return code;
}

/** The headers, merged by lower-cased name, and the name each was first written with. */
function headers(single: unknown, multi: unknown): { merged: HeaderMap; names: Record<string, string> } {
  if (!absent(single) && !isObject(single)) throw new MalformedProxyResponse('headers is not an object');
  if (!absent(multi) && !isObject(multi)) throw new MalformedProxyResponse('multiValueHeaders is not an object');
  const merged: HeaderMap = {};
  const names: Record<string, string> = {};
  const listOf = (name: string) => {
    const lower = name.toLowerCase();
    names[lower] ??= name;
    return (merged[lower] ??= []);
  };
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (!Array.isArray(values)) throw new MalformedProxyResponse(`multiValueHeaders.${name} is not a list`);
    listOf(name).push(...values.flatMap((v) => text(v, `multiValueHeaders.${name}`) ?? []));
  }
  // A value given both ways appears once, as the multi-valued list has it.
  for (const [name, value] of Object.entries(single ?? {})) {
    const one = text(value, `headers.${name}`);
    if (one === undefined) continue;
    const list = listOf(name);
    if (!list.includes(one)) list.push(one);
  }
  return { merged, names };
}

/** API Gateway passes header names on as the function wrote them, remapped ones as `x-amzn-Remapped-{name}`. */
function headerNames(returned: HeaderMap, names: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const lower of Object.keys(returned)) {
    const remapped = /^x-amzn-remapped-(.+)$/.exec(lower);
    const own = names[lower] ?? (remapped && names[remapped[1]!] !== undefined ? `x-amzn-Remapped-${names[remapped[1]!]}` : undefined);
    if (own !== undefined && own !== lower) result[lower] = own;
  }
  return result;
}

function isBase64Encoded(value: unknown): boolean {
  if (absent(value)) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new MalformedProxyResponse('isBase64Encoded is not a boolean');
}

function parse(payload: Buffer): Record<string, unknown> {
  let output: unknown;
  try {
    output = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new MalformedProxyResponse('the output is not JSON');
  }
  if (!isObject(output)) throw new MalformedProxyResponse('the output is not a JSON object');
  const unknown = Object.keys(output).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) throw new MalformedProxyResponse(`unexpected field ${unknown}`);
  return output;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function proxyResponse(ctx: InvocationContext, payload: Buffer): MethodResult {
  const output = parse(payload);
  const status = statusCode(output.statusCode);
  const { merged, names } = headers(output.headers, output.multiValueHeaders);
  const body = text(output.body, 'body') ?? '';
  let bytes = Buffer.from(body, 'utf8');
  // Binary goes out as binary only to a client whose first Accept type is binary; others get the base64 text.
  if (isBase64Encoded(output.isBase64Encoded) && ctx.stage!.deployment.binaryMediaTypes.acceptsBinary(firstValue(ctx.headers, 'accept'))) {
    const compact = body.replace(/\s+/g, '');
    if (!BASE64.test(compact)) throw new MalformedProxyResponse('body is not base64');
    bytes = Buffer.from(compact, 'base64');
  }
  const returned = proxyResponseHeaders(merged);
  returned['content-type'] ??= ['application/json'];
  return { statusCode: status, headers: returned, body: bytes, headerNames: headerNames(returned, names) };
}
