// What a template or a parameter mapping sees of an invocation: $input, $context, $stageVariables
// and $util for templates, the same request, stage and context for mappings.
import { logger } from '../../logger.js';
import type { HeaderMap, InvocationContext } from '../pipeline/context.js';
import { contextVariables, type ContextVariables, type ErrorVariables } from './context-variables.js';
import { inputVariable } from './input.js';
import type { ParameterSources } from './parameters.js';
import { utilVariable } from './util.js';
import { TemplateRenderError, type CompiledTemplate, type TemplateUses, type TemplateVariables } from './vtl.js';

const NO_STAGE_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});

/** $context, or what builds it when first read: variables nothing reads are never built. */
export type LazyContext = ContextVariables | (() => ContextVariables);

const resolve = (context: LazyContext): ContextVariables => (typeof context === 'function' ? context() : context);

/**
 * The variables of one render; `payload` is what $input.body and $input.path read. Given the
 * template's `uses`, only the variables it names are built.
 */
export function templateVariables(ctx: InvocationContext, payload: Buffer, context: LazyContext, uses?: TemplateUses): TemplateVariables {
  const variables: TemplateVariables = {};
  if (!uses || uses.input) variables.input = inputVariable(payload, { path: ctx.pathParams, query: ctx.query, headers: ctx.headers, rawHeaderNames: ctx.rawHeaderNames });
  if (!uses || uses.context) variables.context = resolve(context);
  // A copy: a template's #set on it stays within its render.
  if (!uses || uses.stageVariables) variables.stageVariables = { ...(ctx.stage?.config.variables ?? {}) };
  if (!uses || uses.util) variables.util = utilVariable();
  return variables;
}

/** What parameter mappings read; $context is built only when a mapping reads it. */
export function parameterSources(ctx: InvocationContext, context: LazyContext, integrationResponse?: { headers: HeaderMap; body: Buffer }): ParameterSources {
  let resolved: ContextVariables | undefined;
  return {
    pathParams: ctx.pathParams,
    query: ctx.query,
    headers: ctx.headers,
    body: ctx.body,
    // Mappings only read it.
    stageVariables: ctx.stage?.config.variables ?? NO_STAGE_VARIABLES,
    get context() {
      return (resolved ??= resolve(context));
    },
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
  return renderTemplate(template, templateVariables(ctx, ctx.body, () => contextVariables(ctx, error), template.uses), ctx);
}
