// Model schemas: the checks API Gateway applies to a model's JSON Schema (draft 4, references to
// other models of the API by URL) and the flattening GetModel offers.
import AjvDraft04 from 'ajv-draft-04';
import { badRequest } from '../protocol/errors.js';

// The package is CommonJS: under NodeNext its class is the module's `default` member.
const Ajv = AjvDraft04.default;

const canonicalRef = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/([^/]+)\/models\/([^/#]+)$/;

const invalidModel = (errors: string[]) => badRequest(`Invalid model specified: Validation Result: warnings : [], errors : [${errors.join(', ')}]`);
const invalidSchema = () => invalidModel(['Invalid model schema specified']);

type Problems = { unknownKeywords: Set<string>; references: string[] };

/**
 * Compiles the schema once; Ajv reports the first unresolvable $ref, so each reference found is
 * registered (as a permissive placeholder) and compilation starts again until every one is known.
 */
function compile(schema: object, knownUrls: Set<string>, problems: Problems): string | undefined {
  const ajv = new Ajv({
    strictSchema: 'log',
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: false,
    logger: {
      log: () => undefined,
      warn: (message: string) => {
        const keyword = /unknown keyword: "(.*)"/.exec(message)?.[1];
        if (keyword !== undefined) problems.unknownKeywords.add(keyword);
      },
      error: () => undefined,
    },
  });
  for (const url of knownUrls) ajv.addSchema({}, url);
  try {
    ajv.compile(schema);
    return undefined;
  } catch (e) {
    const missing = (e as { missingSchema?: string }).missingSchema;
    if (typeof missing !== 'string' || knownUrls.has(missing)) throw invalidSchema();
    return missing;
  }
}

function parseSchemaObject(text: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidSchema();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidSchema();
  return parsed;
}

/**
 * Throws API Gateway's BadRequest for a model schema that is missing, is not a JSON Schema draft 4
 * object, uses keywords draft 4 does not define, or refers to anything but existing models of this API.
 */
export function checkModelSchema(text: string | undefined, restApiId: string, modelNames: Set<string>): void {
  if (text === undefined || text.trim() === '') throw badRequest('Model schema must have at least 1 property or array items defined');
  const schema = parseSchemaObject(text);
  const problems: Problems = { unknownKeywords: new Set(), references: [] };
  const knownUrls = new Set<string>();
  for (let missing = compile(schema, knownUrls, problems); missing !== undefined; missing = compile(schema, knownUrls, problems)) {
    // A local reference that does not resolve (e.g. to OpenAPI's #/components/schemas) cannot be stood in for.
    if (missing === '') {
      problems.references.push('Model reference must be in canonical form');
      break;
    }
    knownUrls.add(missing);
    problems.unknownKeywords.clear();
    const [, apiId, name] = canonicalRef.exec(missing) ?? [];
    if (apiId !== restApiId || name === undefined) problems.references.push('Model reference must be in canonical form');
    else if (!modelNames.has(name)) problems.references.push(`Invalid model specified: ${name}`);
  }
  const errors = [...new Set(problems.references)];
  if (problems.unknownKeywords.size) {
    errors.unshift(`Invalid model schema specified. Unsupported keyword(s): ${JSON.stringify([...problems.unknownKeywords].sort())}`);
  }
  if (errors.length) throw invalidModel(errors);
}

/** Names of this API's models that a schema refers to directly. */
function referencedModels(node: unknown, restApiId: string, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => referencedModels(item, restApiId, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      const match = key === '$ref' && typeof value === 'string' ? canonicalRef.exec(value) : null;
      if (match && match[1] === restApiId) found.add(match[2]!);
      else referencedModels(value, restApiId, found);
    }
  }
  return found;
}

/** Rewrites references to this API's models into local `#/definitions/{name}` references. */
function localizeReferences(node: unknown, restApiId: string): unknown {
  if (Array.isArray(node)) return node.map((item) => localizeReferences(item, restApiId));
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      const match = key === '$ref' && typeof value === 'string' ? canonicalRef.exec(value) : null;
      return [key, match && match[1] === restApiId ? `#/definitions/${match[2]}` : localizeReferences(value, restApiId)];
    }),
  );
}

/**
 * GetModel with flatten: the schema with every model it refers to (directly or through other
 * models) copied under `definitions`, so that it stands alone. Schemas without references are
 * returned as stored.
 */
export function flattenSchema(text: string, restApiId: string, schemas: Map<string, string>): string {
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(text);
  } catch {
    return text;
  }
  const pending = [...referencedModels(root, restApiId, new Set())];
  if (!pending.length) return text;
  const definitions: Record<string, unknown> = { ...(root.definitions as Record<string, unknown> | undefined) };
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (name in definitions || !schemas.has(name)) continue;
    const referenced: unknown = JSON.parse(schemas.get(name)!);
    definitions[name] = localizeReferences(referenced, restApiId);
    pending.push(...referencedModels(referenced, restApiId, new Set()));
  }
  return JSON.stringify({ ...(localizeReferences(root, restApiId) as object), definitions });
}
