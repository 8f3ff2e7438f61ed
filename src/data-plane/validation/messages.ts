// Why a body failed its model, worded as API Gateway words it in $context.error.validationErrorString:
// the messages of the Java JSON Schema validator it runs (one per failed keyword, composite
// keywords reported once without their branches' failures), rendered as a Java list.
import type { ErrorObject } from 'ajv';

const json = (value: unknown) => JSON.stringify(value);

/** The validator's name for an instance's type; JSON numbers without a fraction are integers. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const codePoints = (s: unknown) => [...String(s)].length;

const count = (value: unknown) => (Array.isArray(value) ? value.length : typeof value === 'object' && value ? Object.keys(value).length : 0);

function typesAllowed(schema: unknown): string[] {
  const types = Array.isArray(schema) ? schema.map(String) : String(schema).split(',');
  return [...types].sort();
}

function limitMessage(error: ErrorObject): string {
  const { comparison, limit } = error.params as { comparison: string; limit: unknown };
  const exclusive = comparison === '<' || comparison === '>';
  if (error.keyword === 'minimum') {
    return exclusive
      ? `numeric instance is not strictly greater than the required minimum ${limit}`
      : `numeric instance is lower than the required minimum (minimum: ${limit}, found: ${error.data})`;
  }
  return exclusive
    ? `numeric instance is not strictly lower than the required maximum ${limit}`
    : `numeric instance is greater than the required maximum (maximum: ${limit}, found: ${error.data})`;
}

function passingCount(error: ErrorObject): number {
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  return Array.isArray(passing) ? passing.length : 0;
}

/** The message of one failed keyword; `group` holds the errors of keywords reported once per object. */
function message(error: ErrorObject, group: ErrorObject[]): string {
  const { data, schema } = error;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `instance type (${typeOf(data)}) does not match any allowed primitive type (allowed: ${json(typesAllowed(schema))})`;
    case 'required':
      return `object has missing required properties (${json(group.map((e) => (e.params as { missingProperty: string }).missingProperty))})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${json(group.map((e) => (e.params as { additionalProperty: string }).additionalProperty).sort())}`;
    case 'dependencies':
      return `property "${params.property}" of object has missing property dependencies (schema requires ${json(String(params.deps).split(', '))}; missing: ${json(group.map((e) => (e.params as { missingProperty: string }).missingProperty))})`;
    case 'enum':
      return `instance value (${json(data)}) not found in enum (possible values: ${json(params.allowedValues)})`;
    case 'minimum':
    case 'maximum':
      return limitMessage(error);
    case 'multipleOf':
      return `remainder of division is not zero (${data} / ${schema})`;
    case 'minLength':
      return `string "${data}" is too short (length: ${codePoints(data)}, required minimum: ${schema})`;
    case 'maxLength':
      return `string "${data}" is too long (length: ${codePoints(data)}, maximum allowed: ${schema})`;
    case 'pattern':
      return `ECMA 262 regex "${schema}" does not match input string "${data}"`;
    case 'minItems':
      return `array is too short: must have at least ${schema} elements but instance has ${count(data)} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${schema} elements but instance has ${count(data)} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'additionalItems':
      return `schema only allows ${params.limit} elements in array but instance has ${count(data)} elements`;
    case 'minProperties':
      return `object has too few properties (found ${count(data)} but schema requires at least ${schema})`;
    case 'maxProperties':
      return `object has too many properties (found ${count(data)} but schema requires at most ${schema})`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${count(schema)}`;
    case 'oneOf':
      return `instance failed to match exactly one schema (matched ${passingCount(error)} out of ${count(schema)})`;
    case 'not':
      return 'instance matched a schema which it should not have';
    default:
      return error.message ?? `failed keyword ${error.keyword}`;
  }
}

const isWithin = (path: string, ancestor: string) => path === ancestor || path.startsWith(`${ancestor}/`);

/**
 * Whether `error` came from a branch of the failed composite keyword `composite`: it is about the
 * same instance or one inside it, and its keyword is not a sibling of the composite in the same
 * schema (errors of models a branch refers to carry those models' paths).
 */
function isBranchError(error: ErrorObject, composite: ErrorObject): boolean {
  if (!isWithin(error.instancePath, composite.instancePath)) return false;
  if (isWithin(error.schemaPath, composite.schemaPath)) return true;
  const parent = composite.schemaPath.slice(0, composite.schemaPath.lastIndexOf('/'));
  return !isWithin(error.schemaPath, parent);
}

/** Ajv's errors, in evaluation order, as the validator's messages. */
export function validationMessages(errors: ErrorObject[]): string[] {
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    // A composite keyword's error follows those of its branches: it replaces them.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      while (kept.length && isBranchError(kept[kept.length - 1]!, error)) kept.pop();
    }
    kept.push(error);
  }
  const groups = new Map<string, ErrorObject[]>();
  for (const error of kept) {
    const perObject = ['required', 'additionalProperties', 'dependencies'].includes(error.keyword);
    const key = perObject ? `${error.keyword} ${error.instancePath} ${error.schemaPath} ${(error.params as { property?: string }).property ?? ''}` : String(groups.size);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(error);
  }
  return [...groups.values()].map((group) => message(group[0]!, group));
}

/** A Java list's toString: `[first, second]`. */
export const validationErrorString = (messages: string[]) => `[${messages.join(', ')}]`;
