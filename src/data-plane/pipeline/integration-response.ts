// Integration response: selects the integration response for the integration's answer (its
// selectionPattern against the status code, or against a Lambda errorMessage; else the default)
// and maps it to the method response: status code, response parameters, template chosen by Accept.
import { methodMappings, type CompiledIntegrationResponse } from '../compile/templates.js';
import { contextVariables, type ContextVariables } from '../mapping/context-variables.js';
import { isMap, javaString } from '../mapping/java-values.js';
import { responseTemplateFor } from '../mapping/media-types.js';
import { applyParameters } from '../mapping/parameters.js';
import { parameterSources, renderTemplate, templateVariables } from '../mapping/variables.js';
import { methodResponsePayload } from '../payload/content-handling.js';
import { firstValue, traceFailure, type HeaderMap, type IntegrationResult, type InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

const configurationError = () => new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);

function isLambda(ctx: InvocationContext): boolean {
  return ctx.integration?.type === 'AWS' && /:lambda:path\//.test(ctx.integration.uri ?? '');
}

function select(ctx: InvocationContext, responses: CompiledIntegrationResponse[], result: IntegrationResult): CompiledIntegrationResponse | undefined {
  // Lambda's patterns match its errorMessage only; a successful invocation takes the default.
  const subject = result.errorMessage ?? (isLambda(ctx) ? undefined : String(result.statusCode));
  const matched = subject === undefined ? undefined : responses.find((r) => r.selectionPattern?.test(subject));
  return matched ?? responses.find((r) => !r.selectionPattern);
}

function statusCode(value: unknown): number {
  const code = Number(javaString(value));
  if (!Number.isInteger(code) || code < 100 || code > 599) throw configurationError();
  return code;
}

/** $context.responseOverride.* set by the template wins over the mapped status and headers. */
function applyOverrides(context: ContextVariables, headers: HeaderMap, status: number): number {
  const header: unknown = context.responseOverride.header;
  for (const [name, value] of isMap(header) ? Object.entries(header) : []) headers[name.toLowerCase()] = [javaString(value)];
  const override = context.responseOverride.status;
  return override === undefined || override === null || override === '' ? status : statusCode(override);
}

/**
 * What header mappings read as integration.response.body: for a Lambda error whose errorMessage is a
 * JSON object (a custom error), the error with that object in place of the string, since API Gateway
 * deserializes it for body-to-header mappings (`integration.response.body.errorMessage.errorType`).
 */
function headerMappingBody(result: IntegrationResult): Buffer {
  if (result.errorMessage === undefined) return result.body;
  try {
    const error = JSON.parse(result.body.toString('utf8')) as Record<string, unknown>;
    const message: unknown = JSON.parse(result.errorMessage);
    if (error && typeof error === 'object' && message && typeof message === 'object') return Buffer.from(JSON.stringify({ ...error, errorMessage: message }));
  } catch {
    // not JSON: mappings read the error as it is
  }
  return result.body;
}

export function integrationResponse(ctx: InvocationContext): void {
  // Proxy integrations answered the client themselves.
  if (ctx.response) return;
  const result = ctx.integrationResult!;
  const selected = select(ctx, methodMappings(ctx.stage?.deployment.mappings, ctx.method).integrationResponses, result);
  if (!selected) {
    traceFailure(ctx, `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${result.statusCode}`);
    throw configurationError();
  }
  // $context is built only when the template or a mapping reads it; the template's overrides are in it.
  let context: ContextVariables | undefined;
  const contextOf = () => (context ??= contextVariables(ctx));
  const template = responseTemplateFor(selected.templates, firstValue(ctx.headers, 'accept'));
  // contentHandling (or the client's Accept) converts the payload before the template sees it.
  const payload = methodResponsePayload(ctx, result, selected.contentHandling);
  const compiled = template?.template;
  const body = compiled ? Buffer.from(compiled.constant ?? renderTemplate(compiled, templateVariables(ctx, payload, contextOf, compiled.uses), ctx), 'utf8') : payload;
  const headers: HeaderMap = { 'content-type': [template?.mediaType ?? 'application/json'] };
  if (selected.parameters.length) {
    const mapped = applyParameters(selected.parameters, parameterSources(ctx, contextOf, { headers: result.headers, body: headerMappingBody(result) }));
    Object.assign(headers, mapped.headers);
  }
  const status = statusCode(selected.statusCode);
  ctx.response = { statusCode: context ? applyOverrides(context, headers, status) : status, headers, body };
}
