// PutMethod, GetMethod, UpdateMethod, DeleteMethod and PutMethodResponse, GetMethodResponse,
// UpdateMethodResponse, DeleteMethodResponse. A method's responses live in its row.
import { transaction } from '../../db/data-source.js';
import { notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { applyPatches } from '../protocol/patch.js';
import type {
  DeleteMethodRequest,
  DeleteMethodResponseRequest,
  GetMethodRequest,
  GetMethodResponseRequest,
  Method,
  MethodResponse,
  PutMethodRequest,
  PutMethodResponseRequest,
  UpdateMethodRequest,
  UpdateMethodResponseRequest,
} from '../protocol/shapes.js';
import { MethodEntity } from './entity.js';
import { findMethod, findMethodResource, saveMethod } from './lookup.js';
import { methodPatchErrors, methodPatchRules, methodResponsePatchErrors, methodResponsePatchRules } from './patch-rules.js';
import {
  checkAuthorizer,
  checkHttpMethod,
  checkRequestModels,
  checkRequestParameters,
  checkRequestValidator,
  checkResponseModels,
  checkResponseParameters,
} from './validate.js';

const responseNotFound = () => notFound('Invalid Response status code specified');

/** The authorizer only counts for CUSTOM and COGNITO_USER_POOLS methods; AWS drops it otherwise. */
function withoutStrayAuthorizer(method: Method): Method {
  if (method.authorizationType !== 'CUSTOM' && method.authorizationType !== 'COGNITO_USER_POOLS') delete method.authorizerId;
  return method;
}

async function PutMethod(input: PutMethodRequest, ctx: Context): Promise<Method> {
  return transaction(ctx.db, async (em) => {
    await findMethodResource(em, ctx, input.restApiId, input.resourceId, true);
    checkHttpMethod(input.httpMethod);
    await checkAuthorizer(em, input.restApiId, input.authorizationType, input.authorizerId);
    await checkRequestValidator(em, input.restApiId, input.requestValidatorId);
    checkRequestParameters(input.requestParameters);
    await checkRequestModels(em, input.restApiId, input.requestModels);
    const method = withoutStrayAuthorizer({
      httpMethod: input.httpMethod,
      authorizationType: input.authorizationType,
      ...(input.authorizerId ? { authorizerId: input.authorizerId } : {}),
      apiKeyRequired: input.apiKeyRequired ?? false,
      ...(input.requestValidatorId ? { requestValidatorId: input.requestValidatorId } : {}),
      ...(input.operationName ? { operationName: input.operationName } : {}),
      ...(input.requestParameters && Object.keys(input.requestParameters).length ? { requestParameters: input.requestParameters } : {}),
      ...(input.requestModels && Object.keys(input.requestModels).length ? { requestModels: input.requestModels } : {}),
      ...(input.authorizationScopes?.length ? { authorizationScopes: input.authorizationScopes } : {}),
    });
    // PutMethod replaces the method whole: its responses and integration go with the old one.
    await saveMethod(em, { resourceId: input.resourceId, httpMethod: input.httpMethod, accountId: ctx.accountId, restApiId: input.restApiId, data: method });
    return method;
  });
}

async function GetMethod(input: GetMethodRequest, ctx: Context): Promise<Method> {
  return (await findMethod(ctx.db.dataSource.manager, ctx, input.restApiId, input.resourceId, input.httpMethod)).data;
}

async function UpdateMethod(input: UpdateMethodRequest, ctx: Context): Promise<Method> {
  return transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    const method = applyPatches(row.data, input.patchOperations, methodPatchRules, methodPatchErrors);
    await checkAuthorizer(em, input.restApiId, method.authorizationType ?? 'NONE', method.authorizerId);
    await checkRequestValidator(em, input.restApiId, method.requestValidatorId);
    checkRequestParameters(method.requestParameters);
    await checkRequestModels(em, input.restApiId, method.requestModels);
    row.data = withoutStrayAuthorizer(method);
    await saveMethod(em, row);
    return row.data;
  });
}

async function DeleteMethod(input: DeleteMethodRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    await em.getRepository(MethodEntity).delete({ resourceId: input.resourceId, httpMethod: input.httpMethod });
  });
}

async function PutMethodResponse(input: PutMethodResponseRequest, ctx: Context): Promise<MethodResponse> {
  return transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    checkResponseParameters(input.responseParameters);
    await checkResponseModels(em, input.restApiId, input.responseModels);
    const response: MethodResponse = {
      statusCode: input.statusCode,
      responseParameters: input.responseParameters ?? {},
      responseModels: input.responseModels ?? {},
    };
    row.data.methodResponses = { ...row.data.methodResponses, [input.statusCode]: response };
    await saveMethod(em, row);
    return response;
  });
}

async function GetMethodResponse(input: GetMethodResponseRequest, ctx: Context): Promise<MethodResponse> {
  const row = await findMethod(ctx.db.dataSource.manager, ctx, input.restApiId, input.resourceId, input.httpMethod);
  const response = row.data.methodResponses?.[input.statusCode];
  if (!response) throw responseNotFound();
  return response;
}

async function UpdateMethodResponse(input: UpdateMethodResponseRequest, ctx: Context): Promise<MethodResponse> {
  return transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    const current = row.data.methodResponses?.[input.statusCode];
    if (!current) throw responseNotFound();
    const response = applyPatches(current, input.patchOperations, methodResponsePatchRules, methodResponsePatchErrors);
    await checkResponseModels(em, input.restApiId, response.responseModels);
    row.data.methodResponses = { ...row.data.methodResponses, [input.statusCode]: response };
    await saveMethod(em, row);
    return response;
  });
}

async function DeleteMethodResponse(input: DeleteMethodResponseRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    if (!row.data.methodResponses?.[input.statusCode]) throw responseNotFound();
    const { [input.statusCode]: _removed, ...rest } = row.data.methodResponses;
    row.data.methodResponses = rest;
    if (!Object.keys(rest).length) delete row.data.methodResponses;
    await saveMethod(em, row);
  });
}

export const methodHandlers: Handlers = {
  PutMethod,
  GetMethod,
  UpdateMethod,
  DeleteMethod,
  PutMethodResponse,
  GetMethodResponse,
  UpdateMethodResponse,
  DeleteMethodResponse,
};
