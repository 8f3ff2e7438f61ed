// Rules a method's members must follow: HTTP method names, authorizer and validator references,
// request and response parameter names, request and response models.
import type { EntityManager } from 'typeorm';
import { AuthorizerEntity } from '../authorizers/entity.js';
import { ModelEntity } from '../models/entity.js';
import { badRequest } from '../protocol/errors.js';
import { RequestValidatorEntity } from '../request-validators/entity.js';

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];

export function checkHttpMethod(httpMethod: string): void {
  if (httpMethod === '') throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (!HTTP_METHODS.includes(httpMethod)) throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(',')}`);
}

const authorizerRequired = () =>
  badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');

export const usesAuthorizer = (authorizationType: string | undefined) => authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS';

/** CUSTOM and COGNITO_USER_POOLS need an authorizer of this API (of the matching kind). */
export async function checkAuthorizer(em: EntityManager, restApiId: string, authorizationType: string | undefined, authorizerId: string | undefined): Promise<void> {
  if (!usesAuthorizer(authorizationType)) return;
  if (!authorizerId) throw authorizerRequired();
  const authorizer = await em.getRepository(AuthorizerEntity).findOneBy({ id: authorizerId, restApiId });
  if (!authorizer) throw authorizerRequired();
  const isCognito = authorizer.data.type === 'COGNITO_USER_POOLS';
  if (isCognito !== (authorizationType === 'COGNITO_USER_POOLS')) throw authorizerRequired();
}

export async function checkRequestValidator(em: EntityManager, restApiId: string, requestValidatorId: string | undefined): Promise<void> {
  if (!requestValidatorId) return;
  if (!(await em.getRepository(RequestValidatorEntity).existsBy({ id: requestValidatorId, restApiId }))) {
    throw badRequest('Invalid Request Validator identifier specified');
  }
}

/** Request and response models alike must name models of the API. */
export async function checkModels(em: EntityManager, restApiId: string, models: Record<string, string> | undefined): Promise<void> {
  for (const name of Object.values(models ?? {})) {
    if (!(await em.getRepository(ModelEntity).existsBy({ name, restApiId }))) throw badRequest(`Invalid model identifier specified: ${name}`);
  }
}

// API Gateway reads a parameter name as a mapping expression and reports a bad one in its validator's words.
const invalidMappingExpression = (name: string) =>
  badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${name}]`);

const requestParameter = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.([^\s]+)$/;

/** Names like method.request.querystring.q, each name once across path, query string and headers. */
export function checkRequestParameters(parameters: Record<string, boolean> | undefined): void {
  const seen = new Set<string>();
  for (const key of Object.keys(parameters ?? {})) {
    const match = requestParameter.exec(key);
    if (!match) throw invalidMappingExpression(key);
    const name = match[2]!;
    if (seen.has(name)) throw badRequest('Parameter names must be unique across querystring, header and path');
    seen.add(name);
  }
}

const responseHeader = /^method\.response\.header\.[^\s]+$/;

export function checkResponseParameters(parameters: Record<string, boolean> | undefined): void {
  for (const key of Object.keys(parameters ?? {})) {
    if (!responseHeader.test(key)) throw invalidMappingExpression(key);
  }
}
