// What a template or a parameter mapping sees of an invocation: $input, $context, $stageVariables
// and $util for templates, the same request, stage and context for mappings.
import { logger } from '../../logger.js';
import type { HeaderMap, InvocationContext } from '../pipeline/context.js';
import { contextVariables, type ContextVariables, type ErrorVariables } from './context-variables.js';
import { inputVariable } from './input.js';
import type { ParameterSources } from './parameters.js';
import { utilVariable } from './util.js';
import { TemplateRenderError, type CompiledTemplate, type TemplateVariables } from './vtl.js';

const stageVariablesOf = (ctx: InvocationContext): Record<string, string> => ({ ...(ctx.stage?.config.variables ?? {}) });

/** The variables of one render; `payload` is what $input.body and $input.path read. */
export function templateVariables(ctx: InvocationContext, payload: Buffer, context: ContextVariables): TemplateVariables {
  return {
    input: inputVariable(payload, { path: ctx.pathParams, query: ctx.query, headers: ctx.headers, rawHeaderNames: ctx.rawHeaderNames }),
    context,
    stageVariables: stageVariablesOf(ctx),
    util: utilVariable(),
  };
}

export function parameterSources(ctx: InvocationContext, context: ContextVariables, integrationResponse?: { headers: HeaderMap; body: Buffer }): ParameterSources {
  return {
    pathParams: ctx.pathParams,
    query: ctx.query,
    headers: ctx.headers,
    body: ctx.body,
    stageVariables: stageVariablesOf(ctx),
    context,
    ...(integrationResponse ? { integrationResponse } : {}),
  };
}

/** Renders, logging why a template failed (the client only sees 500 Internal server error). */
export function renderTemplate(template: CompiledTemplate, variables: TemplateVariables, ctx: InvocationContext): string {
  try {
    return template.render(variables);
  } catch (err) {
    if (err instanceof TemplateRenderError) logger.warn({ requestId: ctx.requestId, reason: err.detail }, 'mapping template failed');
    throw err;
  }
}

/** Renders a gateway response template, with $context.error.* describing the error. */
export function renderGatewayTemplate(template: CompiledTemplate, ctx: InvocationContext, error: ErrorVariables): string {
  return renderTemplate(template, templateVariables(ctx, ctx.body, contextVariables(ctx, error)), ctx);
}
