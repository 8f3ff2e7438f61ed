// $input: the payload a template maps (the method request's body in request templates, the
// integration response's in response templates) and the method request's parameters.
import type { HeaderMap, QueryMap } from '../pipeline/context.js';
import { TemplateMethodError } from './java-methods.js';
import { HostObject, javaString, parseJson } from './java-values.js';
import { jsonPath, JsonPathError } from './jsonpath.js';

export type MethodRequestParameters = {
  path: Record<string, string>;
  query: QueryMap;
  headers: HeaderMap;
  /** the header names as the client sent them, by lower-cased name */
  rawHeaderNames: Record<string, string>;
};

const last = (values: string[] | undefined) => values?.[values.length - 1];

function paramsMap(params: MethodRequestParameters) {
  const header: Record<string, string> = {};
  for (const [name, values] of Object.entries(params.headers)) header[params.rawHeaderNames[name] ?? name] = last(values) ?? '';
  const querystring: Record<string, string> = {};
  for (const [name, values] of Object.entries(params.query)) querystring[name] = last(values) ?? '';
  return { path: { ...params.path }, querystring, header };
}

/** `$input.params(name)`: path, then query string, then header (any case); empty when absent. */
function param(params: MethodRequestParameters, name: string): string {
  if (Object.hasOwn(params.path, name)) return params.path[name]!;
  if (Object.hasOwn(params.query, name)) return last(params.query[name]) ?? '';
  return last(params.headers[name.toLowerCase()]) ?? '';
}

/** `forOutput`: the value is only serialized (`$input.json`), so JSON lists need no marking as such. */
function read(body: string, path: unknown, forOutput = false): unknown {
  let document: unknown;
  try {
    document = forOutput ? JSON.parse(body) : parseJson(body);
  } catch {
    return undefined;
  }
  try {
    return jsonPath(javaString(path)).read(document);
  } catch (err) {
    if (err instanceof JsonPathError) throw new TemplateMethodError(err.message);
    throw err;
  }
}

export function inputVariable(payload: Buffer, params: MethodRequestParameters): HostObject {
  // API Gateway maps an empty payload as an empty JSON object.
  const body = payload.length ? payload.toString('utf8') : '{}';
  return new HostObject(
    { body },
    {
      // Each call parses anew, so a template changing one result never changes the next.
      path: (path) => read(body, path),
      json: (path) => {
        const value = read(body, path, true);
        return value === undefined ? '' : JSON.stringify(value);
      },
      params: (name) => (name === undefined || name === null ? paramsMap(params) : param(params, javaString(name))),
    },
  );
}
