// Reading an OpenAPI 3 or Swagger 2 document sent as JSON or YAML, and resolving the local
// `$ref`s it uses for parameters, responses, request bodies and integrations.
import { parse as parseYaml } from 'yaml';

export type Json = Record<string, unknown>;

export type ApiDocument = { kind: 'swagger' | 'oas30'; doc: Json };

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document as a plain object, or undefined when the body is neither JSON nor YAML of an object. */
export function parseBody(body: Buffer | string | undefined): Json | undefined {
  const text = (Buffer.isBuffer(body) ? body.toString('utf8') : body ?? '').trim();
  if (!text) return undefined;
  try {
    const parsed: unknown = text.startsWith('{') ? JSON.parse(text) : parseYaml(text, { schema: 'core' });
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** An OpenAPI 3.x or Swagger 2.0 document with paths; anything else is not one. */
export function readApiDocument(body: Buffer | string | undefined): ApiDocument | undefined {
  const doc = parseBody(body);
  if (!doc) return undefined;
  if (typeof doc.openapi === 'string' && doc.openapi.startsWith('3.')) return { kind: 'oas30', doc };
  if (String(doc.swagger) === '2.0' || String(doc.swagger) === '2') return { kind: 'swagger', doc };
  return undefined;
}

/** Follows a local reference (`#/components/...`), once per hop, refusing cycles. */
export function deref(doc: Json, value: unknown, seen = new Set<string>()): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  const ref = value.$ref;
  if (seen.has(ref)) return undefined;
  seen.add(ref);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return deref(doc, node, seen);
}

/** The model a schema names by reference (`#/definitions/Pet`, `#/components/schemas/Pet`). */
export function referencedModel(schema: unknown): string | undefined {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return undefined;
  const match = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(schema.$ref);
  return match?.[1];
}

export const stringOf = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value);
