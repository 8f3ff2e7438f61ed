// Documentation part locations: which fields each location type takes, the defaults API Gateway
// fills in (path "/", method "*", statusCode "*"), and the key that makes a location unique.
import { badRequest } from '../protocol/errors.js';
import type { DocumentationPartLocation, DocumentationPartType } from '../protocol/shapes.js';

type Field = 'path' | 'method' | 'statusCode' | 'name';

/** The fields a location type may carry; `name` is required wherever it is allowed. */
const fieldsOf: Record<DocumentationPartType, Field[]> = {
  API: [],
  AUTHORIZER: ['name'],
  MODEL: ['name'],
  RESOURCE: ['path'],
  METHOD: ['path', 'method'],
  PATH_PARAMETER: ['path', 'method', 'name'],
  QUERY_PARAMETER: ['path', 'method', 'name'],
  REQUEST_HEADER: ['path', 'method', 'name'],
  REQUEST_BODY: ['path', 'method'],
  RESPONSE: ['path', 'method', 'statusCode'],
  RESPONSE_HEADER: ['path', 'method', 'statusCode', 'name'],
  RESPONSE_BODY: ['path', 'method', 'statusCode'],
};

const defaults: Partial<Record<Field, string>> = { path: '/', method: '*', statusCode: '*' };
const STATUS_CODE = /^([1-5]\d\d|\*)$/;
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', '*'];

export const locationTypes = Object.keys(fieldsOf) as DocumentationPartType[];

/** Checks a location against its type and returns it with the defaults filled in. */
export function normalizeLocation(location: DocumentationPartLocation): DocumentationPartLocation {
  const allowed = fieldsOf[location.type];
  if (!allowed) throw badRequest(`Invalid documentation part type: ${location.type}`);
  const out: DocumentationPartLocation = { type: location.type };
  for (const field of ['path', 'method', 'statusCode', 'name'] as Field[]) {
    const value = location[field];
    if (!allowed.includes(field)) {
      if (value !== undefined) throw badRequest(`Invalid documentation part location: ${field} is not allowed for type ${location.type}`);
      continue;
    }
    if (field === 'name' && !value) throw badRequest(`Invalid documentation part location: name is required for type ${location.type}`);
    out[field] = value || defaults[field];
  }
  if (out.path !== undefined && !out.path.startsWith('/')) throw badRequest(`Invalid documentation part location: invalid path ${out.path}`);
  if (out.method !== undefined) {
    out.method = out.method.toUpperCase();
    if (!METHODS.includes(out.method)) throw badRequest(`Invalid documentation part location: invalid method ${location.method}`);
  }
  if (out.statusCode !== undefined && !STATUS_CODE.test(out.statusCode)) {
    throw badRequest(`Invalid documentation part location: invalid statusCode ${out.statusCode}`);
  }
  return out;
}

export const locationKey = (l: DocumentationPartLocation) => JSON.stringify([l.type, l.path ?? null, l.method ?? null, l.statusCode ?? null, l.name ?? null]);

/** Properties are a JSON object, kept as the text the caller gave. */
export function checkProperties(properties: string | undefined): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(properties ?? '');
  } catch {
    throw badRequest('Invalid documentation content specified: properties must be a valid JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Invalid documentation content specified: properties must be a valid JSON object');
  }
  return properties!;
}
