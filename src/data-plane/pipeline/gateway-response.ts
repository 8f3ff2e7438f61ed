// Gateway responses: every error the worker produces is answered with the response of its type —
// the API's customization if the deployment has one, else a customized DEFAULT_4XX / DEFAULT_5XX,
// else AWS's default — with its status code, mapped headers and rendered template.
import type { GatewayResponseType } from '../../control-plane/protocol/shapes.js';
import { builtInGatewayResponse, gatewayResponseDefaults } from '../../shared/gateway-responses.js';
import { logger } from '../../logger.js';
import type { CompiledGatewayResponseMappings } from '../compile/templates.js';
import { contextVariables } from '../mapping/context-variables.js';
import { responseTemplateFor } from '../mapping/media-types.js';
import { applyParameters } from '../mapping/parameters.js';
import { compileTemplate } from '../mapping/vtl.js';
import { parameterSources, renderGatewayTemplate } from '../mapping/variables.js';
import { firstValue, type HeaderMap, type InvocationContext, type MethodResult } from './context.js';
import type { GatewayError } from './errors.js';

const defaultTemplate = compileTemplate(builtInGatewayResponse('DEFAULT_4XX').responseTemplates!['application/json']!);
const defaultMappings: CompiledGatewayResponseMappings = { templates: [{ mediaType: 'application/json', template: defaultTemplate }], parameters: [] };

function familyOf(statusCode: number): GatewayResponseType {
  return statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/** The customization that applies: the type's own, else its family's (which also lends its status). */
function customizationFor(ctx: InvocationContext, type: GatewayResponseType, builtInStatus: number) {
  const customized = ctx.stage?.deployment.snapshot.gatewayResponses ?? [];
  const own = customized.find((r) => r.responseType === type);
  const family = own ? undefined : customized.find((r) => r.responseType === familyOf(builtInStatus));
  const response = own ?? family;
  const mappings = response && ctx.stage!.deployment.mappings.gatewayResponses.get(response.responseType!);
  return { response, mappings };
}

export function gatewayResponse(ctx: InvocationContext, error: GatewayError): MethodResult {
  const defaults = gatewayResponseDefaults[error.type];
  const builtInStatus = Number(error.statusCode ?? defaults.statusCode ?? 500);
  const { response, mappings } = customizationFor(ctx, error.type, builtInStatus);
  const statusCode = Number(response?.statusCode ?? builtInStatus);
  const errorVariables = { message: error.errorMessage, responseType: error.type };
  ctx.gatewayError = errorVariables;

  const headers: HeaderMap = { 'x-amzn-errortype': [error.options.errorType ?? defaults.errorType] };
  if (!mappings && error.options.defaultBody !== undefined) {
    return { statusCode, headers: { ...headers, 'content-type': ['application/json'] }, body: Buffer.from(error.options.defaultBody) };
  }
  const effective = mappings ?? defaultMappings;
  try {
    const mapped = applyParameters(effective.parameters, parameterSources(ctx, () => contextVariables(ctx, errorVariables)));
    Object.assign(headers, mapped.headers);
    const chosen = responseTemplateFor(effective.templates, firstValue(ctx.headers, 'accept')) ?? responseTemplateFor(defaultMappings.templates, undefined)!;
    const body = renderGatewayTemplate(chosen.template, ctx, errorVariables);
    headers['content-type'] = [chosen.mediaType];
    return { statusCode, headers, body: Buffer.from(body) };
  } catch (err) {
    // A customization that cannot render must not hide the error: answer with AWS's default shape.
    logger.warn({ requestId: ctx.requestId, err: (err as Error).message, responseType: error.type }, 'gateway response customization failed');
    headers['content-type'] = ['application/json'];
    return { statusCode, headers, body: Buffer.from(JSON.stringify({ message: error.errorMessage })) };
  }
}
