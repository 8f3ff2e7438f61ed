// An authorizer's identity sources (`method.request.header.X`, `method.request.querystring.X`,
// `stageVariables.X`, `context.X`, comma-separated): compiled once per deployment, read per request.
// Their values key the result cache; a source that is missing or empty means 401 Unauthorized.
import { contextVariables } from '../mapping/context-variables.js';
import { compileParameterSource, type ParameterSource, type ParameterSources } from '../mapping/parameters.js';
import type { InvocationContext } from '../pipeline/context.js';

export type IdentitySources = { expressions: string[]; sources: ParameterSource[]; readsContext: boolean };

export function compileIdentitySources(identitySource: string | undefined): IdentitySources {
  const expressions = (identitySource ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { expressions, sources: expressions.map(compileParameterSource), readsContext: expressions.some((e) => e.startsWith('context.')) };
}

/**
 * An identityValidationExpression, matched as Java's String.matches does: the whole value. One that
 * JavaScript cannot read matches nothing.
 */
export function validationExpression(expression: string | undefined): RegExp | undefined {
  if (!expression) return undefined;
  try {
    return new RegExp(`^(?:${expression})$`);
  } catch {
    return /(?!)/;
  }
}

/** The value of each source, in order; undefined when any is missing or empty. */
export function readIdentity(ctx: InvocationContext, identity: IdentitySources): string[] | undefined {
  if (!identity.sources.length) return [];
  const sources: ParameterSources = {
    pathParams: ctx.pathParams,
    query: ctx.query,
    headers: ctx.headers,
    body: ctx.body,
    stageVariables: ctx.stage?.config.variables ?? {},
    context: identity.readsContext ? contextVariables(ctx) : {},
  };
  const values: string[] = [];
  for (const source of identity.sources) {
    const value = source(sources)?.join(',');
    if (!value) return undefined;
    values.push(value);
  }
  return values;
}
