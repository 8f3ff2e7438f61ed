// The checks a whole integration or integration response must pass, after PutIntegration* as after
// UpdateIntegration*, so that a patch can never store what a put would refuse.
import { badRequest } from '../protocol/errors.js';
import type { Integration, IntegrationResponse, Method } from '../protocol/shapes.js';
import { checkRequestParameters, checkResponseParameters, checkTemplateContentTypes } from './mapping.js';
import { checkIntegrationUri } from './uri.js';

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const PASSTHROUGH_BEHAVIORS = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONNECTION_TYPES = ['INTERNET', 'VPC_LINK'];
const CONTENT_HANDLINGS = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

const MIN_TIMEOUT = 50;
const MAX_TIMEOUT = 29000;
export const TIMEOUT_MESSAGE = `Timeout should be between ${MIN_TIMEOUT} ms and ${MAX_TIMEOUT} ms`;

function checkOption(name: string, value: string | undefined, options: string[]) {
  if (value !== undefined && !options.includes(value)) throw badRequest(`Invalid ${name} specified. Valid options are ${options.join(',')}`);
}

function checkHttpMethod(integration: Integration) {
  if (integration.type === 'MOCK') return;
  if (!integration.httpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  checkOption('HttpMethod', integration.httpMethod, HTTP_METHODS);
}

function checkTimeout(timeout: number | undefined) {
  if (timeout !== undefined && (timeout < MIN_TIMEOUT || timeout > MAX_TIMEOUT)) throw badRequest(TIMEOUT_MESSAGE);
}

export function checkIntegration(integration: Integration, method: Method) {
  checkHttpMethod(integration);
  checkIntegrationUri(integration);
  checkTimeout(integration.timeoutInMillis);
  checkOption('passthroughBehavior', integration.passthroughBehavior, PASSTHROUGH_BEHAVIORS);
  checkOption('connectionType', integration.connectionType, CONNECTION_TYPES);
  checkOption('contentHandling', integration.contentHandling, CONTENT_HANDLINGS);
  checkRequestParameters(integration.requestParameters, method);
  checkTemplateContentTypes(integration.requestTemplates);
}

export function checkIntegrationResponse(response: IntegrationResponse, method: Method) {
  checkOption('contentHandling', response.contentHandling, CONTENT_HANDLINGS);
  checkResponseParameters(response.responseParameters, method, response.statusCode!);
  checkTemplateContentTypes(response.responseTemplates);
}
