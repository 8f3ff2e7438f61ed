// Validation of what an integration maps: request parameters from the method request, response
// parameters into the method response, and the content types of mapping templates, in AWS's wording.
import { badRequest } from '../protocol/errors.js';
import type { Method } from '../protocol/shapes.js';

const PARAMETER_LOCATION = '(?:path|querystring|header|multivaluequerystring|multivalueheader)';
const INTEGRATION_REQUEST_TARGET = new RegExp(`^integration\\.request\\.${PARAMETER_LOCATION}\\.[^.\\s]+$`);
const METHOD_REQUEST_PARAMETER = new RegExp(`^method\\.request\\.${PARAMETER_LOCATION}\\.[^\\s]+$`);
const METHOD_REQUEST_BODY = /^method\.request\.body(?:\.\S+)?$/;
const METHOD_RESPONSE_HEADER = /^method\.response\.header\.[^.\s]+$/;
const INTEGRATION_RESPONSE_SOURCE = /^integration\.response\.(?:(?:header|multivalueheader)\.[^\s]+|body(?:\.\S+)?)$/;
// Values every mapping may take: a quoted static value, a context variable or a stage variable.
const ANY_MAPPING_SOURCE = /^(?:'.*'|context\.\S+|stageVariables\.\S+)$/s;
const CONTENT_TYPE = /^[\w.+*-]+\/[\w.+*-]+(?:\s*;.*)?$/;

const invalidExpression = (expression: string) => `Invalid mapping expression specified: ${expression}`;
const invalidParameter = (parameter: string) => `Invalid mapping expression parameter specified: ${parameter}`;

function mappingError(errors: string[]) {
  return badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [${errors.join(', ')}]`);
}

function requestSourceError(source: string, method: Method): string | undefined {
  if (ANY_MAPPING_SOURCE.test(source) || METHOD_REQUEST_BODY.test(source)) return undefined;
  if (METHOD_REQUEST_PARAMETER.test(source)) return method.requestParameters?.[source] === undefined ? invalidParameter(source) : undefined;
  return invalidExpression(source);
}

/** `integration.request.{location}.{name}` keys mapped from declared method request parameters or fixed values. */
export function checkRequestParameters(parameters: Record<string, string | undefined> | undefined, method: Method) {
  const errors: string[] = [];
  for (const [target, source] of Object.entries(parameters ?? {})) {
    if (!INTEGRATION_REQUEST_TARGET.test(target)) errors.push(invalidExpression(target));
    else if (!source) errors.push(invalidExpression(String(source)));
    else {
      const error = requestSourceError(source, method);
      if (error) errors.push(error);
    }
  }
  if (errors.length) throw mappingError(errors);
}

/**
 * `method.response.header.{name}` keys, each declared by the method response of the same status
 * code, mapped from the integration response or fixed values.
 */
export function checkResponseParameters(parameters: Record<string, string | undefined> | undefined, method: Method, statusCode: string) {
  const entries = Object.entries(parameters ?? {});
  if (!entries.length) return;
  const declared = method.methodResponses?.[statusCode];
  if (!declared) throw mappingError(['No method response exists for method.']);
  const errors: string[] = [];
  for (const [target, source] of entries) {
    if (!METHOD_RESPONSE_HEADER.test(target) || declared.responseParameters?.[target] === undefined) errors.push(invalidParameter(target));
    else if (!source || !(ANY_MAPPING_SOURCE.test(source) || INTEGRATION_RESPONSE_SOURCE.test(source))) errors.push(invalidExpression(String(source)));
  }
  if (errors.length) throw mappingError(errors);
}

/** Mapping templates are keyed by content type. */
export function checkTemplateContentTypes(templates: Record<string, unknown> | undefined) {
  const invalid = Object.keys(templates ?? {}).filter((contentType) => !CONTENT_TYPE.test(contentType));
  if (invalid.length) {
    throw badRequest(`Validation Result: warnings : [], errors : [${invalid.map((t) => `Invalid content type specified: ${t}`).join(', ')}]`);
  }
}

/** AWS keeps an empty template as a null one: the content type is listed, with no template. */
export function normalizeTemplates(templates: Record<string, string | undefined> | undefined): Record<string, string> | undefined {
  if (!templates) return undefined;
  return Object.fromEntries(Object.entries(templates).map(([type, template]) => [type, template ? template : null])) as Record<string, string>;
}
