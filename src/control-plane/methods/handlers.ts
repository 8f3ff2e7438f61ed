// PutMethod, GetMethod, UpdateMethod, DeleteMethod and PutMethodResponse, GetMethodResponse,
// UpdateMethodResponse, DeleteMethodResponse, and TestInvokeMethod. A method's responses live in its row.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { conflict, notFound } from '../protocol/errors.js';
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
import { MethodEntity, type MethodRow } from './entity.js';
import { findMethod, findMethodResource, saveMethod } from './lookup.js';
import { methodPatchErrors, methodPatchRules, methodResponsePatchRules } from './patch-rules.js';
import { TestInvokeMethod } from './test-invoke.js';
import {
  checkAuthorizer,
  checkHttpMethod,
  checkModels,
  checkRequestParameters,
  checkRequestValidator,
  checkResponseParameters,
  usesAuthorizer,
} from './validate.js';

const responseNotFound = () => notFound('Invalid Response status code specified');

/** The authorizer only counts for CUSTOM and COGNITO_USER_POOLS methods; AWS drops it otherwise. */
function withoutStrayAuthorizer(method: Method): Method {
  if (!usesAuthorizer(method.authorizationType)) delete method.authorizerId;
  return method;
}

/** Every reference and name a method holds, checked as PutMethod and UpdateMethod both need. */
async function checkMethod(em: EntityManager, restApiId: string, method: Method): Promise<void> {
  await checkAuthorizer(em, restApiId, method.authorizationType, method.authorizerId);
  await checkRequestValidator(em, restApiId, method.requestValidatorId);
  checkRequestParameters(method.requestParameters);
  await checkModels(em, restApiId, method.requestModels);
}

/** The members given, as given: maps and lists sent empty stay, members not sent stay absent. */
function methodFromInput(input: PutMethodRequest): Method {
  return withoutStrayAuthorizer({
    httpMethod: input.httpMethod,
    authorizationType: input.authorizationType,
    ...(input.authorizerId ? { authorizerId: input.authorizerId } : {}),
    apiKeyRequired: input.apiKeyRequired ?? false,
    ...(input.requestValidatorId ? { requestValidatorId: input.requestValidatorId } : {}),
    ...(input.operationName ? { operationName: input.operationName } : {}),
    ...(input.requestParameters ? { requestParameters: input.requestParameters } : {}),
    ...(input.requestModels ? { requestModels: input.requestModels } : {}),
    ...(input.authorizationScopes ? { authorizationScopes: input.authorizationScopes } : {}),
  });
}

async function PutMethod(input: PutMethodRequest, ctx: Context): Promise<Method> {
  return transaction(ctx.db, async (em) => {
    await findMethodResource(em, ctx, input.restApiId, input.resourceId, true);
    checkHttpMethod(input.httpMethod);
    const key = { resourceId: input.resourceId, httpMethod: input.httpMethod, accountId: ctx.accountId };
    // A method is changed with UpdateMethod; putting it again is refused, so its integration and responses stay.
    if (await em.getRepository(MethodEntity).existsBy(key)) throw conflict('Method already exists for this resource');
    const method = methodFromInput(input);
    await checkMethod(em, input.restApiId, method);
    const row: MethodRow = { ...key, restApiId: input.restApiId, data: method };
    await em.getRepository(MethodEntity).insert(row);
    return method;
  });
}

async function GetMethod(input: GetMethodRequest, ctx: Context): Promise<Method> {
  return (await findMethod(ctx.db.dataSource.manager, ctx, input.restApiId, input.resourceId, input.httpMethod)).data;
}

async function UpdateMethod(input: UpdateMethodRequest, ctx: Context): Promise<Method> {
  return transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    // Patches touch only the method's own members: methodResponses and methodIntegration ride along untouched.
    const method = withoutStrayAuthorizer(applyPatches(row.data, input.patchOperations, methodPatchRules, methodPatchErrors));
    await checkMethod(em, input.restApiId, method);
    await saveMethod(em, row);
    return row.data;
  });
}

async function DeleteMethod(input: DeleteMethodRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    await em.getRepository(MethodEntity).delete({ resourceId: input.resourceId, httpMethod: input.httpMethod, accountId: ctx.accountId });
  });
}

async function checkMethodResponse(em: EntityManager, restApiId: string, response: MethodResponse): Promise<void> {
  checkResponseParameters(response.responseParameters);
  await checkModels(em, restApiId, response.responseModels);
}

async function PutMethodResponse(input: PutMethodResponseRequest, ctx: Context): Promise<MethodResponse> {
  return transaction(ctx.db, async (em) => {
    const row = await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod, true);
    if (row.data.methodResponses?.[input.statusCode]) throw conflict('Response already exists for this resource');
    // As with methods, maps sent empty come back empty and maps not sent stay absent.
    const response: MethodResponse = {
      statusCode: input.statusCode,
      ...(input.responseParameters ? { responseParameters: input.responseParameters } : {}),
      ...(input.responseModels ? { responseModels: input.responseModels } : {}),
    };
    await checkMethodResponse(em, input.restApiId, response);
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
    const response = applyPatches(current, input.patchOperations, methodResponsePatchRules, methodPatchErrors);
    await checkMethodResponse(em, input.restApiId, response);
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
  TestInvokeMethod,
};
