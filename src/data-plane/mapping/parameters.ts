// Parameter mappings, compiled once per deployment: each `target: source` pair becomes a function
// reading the source's value(s) from the request, the stage, the context or the integration response.
import type { HeaderMap } from '../pipeline/context.js';
import { javaString, parseJson } from './java-values.js';
import { compileJsonPath, type JsonPath } from './jsonpath.js';

/** Everything a mapping source may read; the integration response only on the way back. */
export type ParameterSources = {
  pathParams: Record<string, string>;
  query: Record<string, string[]>;
  headers: HeaderMap;
  body: Buffer;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
  integrationResponse?: { headers: HeaderMap; body: Buffer };
};

/** The value(s) a source yields; undefined when the source has nothing, and the target is then left out. */
export type ParameterSource = (sources: ParameterSources) => string[] | undefined;

export type ParameterLocation = 'path' | 'querystring' | 'multivaluequerystring' | 'header' | 'multivalueheader';

export type CompiledParameter = { location: ParameterLocation; name: string; source: ParameterSource };

const TARGET = /^(?:integration\.request|method\.response|gatewayresponse)\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/s;

const nonEmpty = (values: string[] | undefined) => (values && values.length ? values : undefined);
const lastOf = (values: string[] | undefined) => (values && values.length ? [values[values.length - 1]!] : undefined);
const one = (value: string | undefined) => (value === undefined ? undefined : [value]);

function bodySource(read: (s: ParameterSources) => Buffer | undefined, path: string | undefined): ParameterSource {
  if (path === undefined) return (s) => one(read(s)?.toString('utf8'));
  let compiled: JsonPath;
  try {
    compiled = compileJsonPath(`$.${path}`);
  } catch {
    return () => undefined;
  }
  return (s) => {
    const body = read(s);
    if (!body?.length) return undefined;
    let value: unknown;
    try {
      value = compiled.read(parseJson(body.toString('utf8')));
    } catch {
      return undefined;
    }
    if (value === undefined) return undefined;
    return [typeof value === 'string' ? value : JSON.stringify(value)];
  };
}

function contextSource(path: string[]): ParameterSource {
  return (s) => {
    let value: unknown = s.context;
    for (const key of path) {
      value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value === undefined || value === null ? undefined : [javaString(value)];
  };
}

/** Compiles one source expression; one that names nothing known yields nothing. */
export function compileParameterSource(expression: string): ParameterSource {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) {
    const value = [literal[1]!];
    return () => value;
  }
  let m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/s.exec(expression);
  if (m) {
    const name = m[2]!;
    const lower = name.toLowerCase();
    switch (m[1]) {
      case 'path':
        return (s) => one(Object.hasOwn(s.pathParams, name) ? s.pathParams[name] : undefined);
      case 'querystring':
        return (s) => lastOf(Object.hasOwn(s.query, name) ? s.query[name] : undefined);
      case 'multivaluequerystring':
        return (s) => nonEmpty(Object.hasOwn(s.query, name) ? s.query[name] : undefined);
      case 'header':
        return (s) => lastOf(s.headers[lower]);
      default:
        return (s) => nonEmpty(s.headers[lower]);
    }
  }
  m = /^method\.request\.body(?:\.(.+))?$/s.exec(expression);
  if (m) return bodySource((s) => s.body, m[1]);
  m = /^integration\.response\.(header|multivalueheader)\.(.+)$/s.exec(expression);
  if (m) {
    const lower = m[2]!.toLowerCase();
    return m[1] === 'header' ? (s) => lastOf(s.integrationResponse?.headers[lower]) : (s) => nonEmpty(s.integrationResponse?.headers[lower]);
  }
  m = /^integration\.response\.body(?:\.(.+))?$/s.exec(expression);
  if (m) return bodySource((s) => s.integrationResponse?.body, m[1]);
  m = /^stageVariables\.(.+)$/s.exec(expression);
  if (m) {
    const name = m[1]!;
    return (s) => one(Object.hasOwn(s.stageVariables, name) ? s.stageVariables[name] : undefined);
  }
  m = /^context\.(.+)$/s.exec(expression);
  if (m) return contextSource(m[1]!.split('.'));
  return () => undefined;
}

/** Compiles a requestParameters / responseParameters map; targets of unknown form are dropped. */
export function compileParameters(mappings: Record<string, string> | undefined): CompiledParameter[] {
  const compiled: CompiledParameter[] = [];
  for (const [target, expression] of Object.entries(mappings ?? {})) {
    const m = TARGET.exec(target);
    if (!m || typeof expression !== 'string') continue;
    compiled.push({ location: m[1] as ParameterLocation, name: m[2]!, source: compileParameterSource(expression.trim()) });
  }
  return compiled;
}

export type MappedParameters = { path: Record<string, string>; query: Record<string, string[]>; headers: HeaderMap };

/**
 * Evaluates compiled mappings. Single-value targets take the source's values joined by commas;
 * multi-value targets keep them apart. Header names are lower-cased, as the pipeline keeps them.
 */
export function applyParameters(parameters: CompiledParameter[], sources: ParameterSources): MappedParameters {
  const mapped: MappedParameters = { path: {}, query: {}, headers: {} };
  for (const { location, name, source } of parameters) {
    const values = source(sources);
    if (!values) continue;
    switch (location) {
      case 'path':
        mapped.path[name] = values.join(',');
        break;
      case 'querystring':
        mapped.query[name] = [values.join(',')];
        break;
      case 'multivaluequerystring':
        mapped.query[name] = values;
        break;
      case 'header':
        mapped.headers[name.toLowerCase()] = [values.join(',')];
        break;
      case 'multivalueheader':
        mapped.headers[name.toLowerCase()] = values;
        break;
    }
  }
  return mapped;
}
