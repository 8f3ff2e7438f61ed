// PutGatewayResponse, GetGatewayResponse, GetGatewayResponses, UpdateGatewayResponse, DeleteGatewayResponse.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { badRequest, notFound, validationError } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { applyPatches, type PatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  DeleteGatewayResponseRequest,
  GatewayResponse,
  GatewayResponses,
  GetGatewayResponseRequest,
  GetGatewayResponsesRequest,
  PatchOperation,
  PutGatewayResponseRequest,
  UpdateGatewayResponseRequest,
} from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import {
  builtInGatewayResponse,
  defaultResponseTemplates,
  effectiveGatewayResponse,
  gatewayResponseTypes,
  type GatewayResponseCustomizations,
} from '../../shared/gateway-responses.js';
import { GatewayResponseEntity } from './entity.js';

const STATUS_CODE = /^[1-5]\d\d$/;

async function customizationsOf(em: EntityManager, ctx: Context, restApiId: string): Promise<GatewayResponseCustomizations> {
  const rows = await em.getRepository(GatewayResponseEntity).findBy({ restApiId, accountId: ctx.accountId });
  return Object.fromEntries(rows.map((row) => [row.responseType, row.data]));
}

async function saveCustomization(em: EntityManager, ctx: Context, restApiId: string, response: GatewayResponse): Promise<void> {
  await em.getRepository(GatewayResponseEntity).save({ restApiId, responseType: response.responseType!, accountId: ctx.accountId, data: response });
}

/** The body's statusCode carries the model's pattern, which AWS checks before anything else. */
function checkPutStatusCode(statusCode: string | undefined) {
  if (statusCode === undefined || STATUS_CODE.test(statusCode)) return;
  throw validationError(
    `1 validation error detected: Value '${statusCode}' at 'putGatewayResponseInput.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`,
  );
}

async function PutGatewayResponse(input: PutGatewayResponseRequest, ctx: Context): Promise<GatewayResponse> {
  checkPutStatusCode(input.statusCode);
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    // What the put leaves out comes from AWS's own default of the type, never from DEFAULT_4XX/5XX.
    const statusCode = input.statusCode ?? builtInGatewayResponse(input.responseType).statusCode;
    const response: GatewayResponse = {
      responseType: input.responseType,
      ...(statusCode ? { statusCode } : {}),
      responseParameters: input.responseParameters ?? {},
      responseTemplates: input.responseTemplates ?? defaultResponseTemplates(),
      defaultResponse: false,
    };
    await saveCustomization(em, ctx, input.restApiId, response);
    return response;
  });
}

async function GetGatewayResponse(input: GetGatewayResponseRequest, ctx: Context): Promise<GatewayResponse> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  return effectiveGatewayResponse(input.responseType, await customizationsOf(em, ctx, input.restApiId));
}

/** Every type at once: AWS documents that this collection ignores limit and position. */
async function GetGatewayResponses(input: GetGatewayResponsesRequest, ctx: Context): Promise<GatewayResponses> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const customizations = await customizationsOf(em, ctx, input.restApiId);
  return { items: gatewayResponseTypes.map((type) => effectiveGatewayResponse(type, customizations)) };
}

function patchValue(op: PatchOperation, map: 'responseParameters' | 'responseTemplates'): string {
  if (!op.value) throw badRequest(`Invalid null or empty value in ${map}`);
  return op.value;
}

const gatewayResponsePatchRules: PatchRule<GatewayResponse>[] = [
  { path: '/statusCode', ops: ['replace'], apply: (response, op) => {
    if (!op.value || !STATUS_CODE.test(op.value)) throw badRequest(`Invalid status code specified: ${op.value ?? 'null'}`);
    response.statusCode = op.value;
  } },
  { path: '/responseParameters/*', ops: ['add', 'replace', 'remove'], apply: (response, op, [name]) => {
    const parameters = (response.responseParameters ??= {});
    if (op.op === 'remove') {
      delete parameters[name!];
      return;
    }
    const value = patchValue(op, 'responseParameters');
    if (op.op === 'replace' && !(name! in parameters)) throw notFound('Invalid parameter name specified');
    parameters[name!] = value;
  } },
  { path: '/responseTemplates/*', ops: ['add', 'replace', 'remove'], apply: (response, op, [contentType]) => {
    const templates = (response.responseTemplates ??= {});
    if (op.op === 'remove') delete templates[contentType!];
    else templates[contentType!] = patchValue(op, 'responseTemplates');
  } },
];

/** Gateway responses answer an unknown path and a wrong op on a known one alike. */
const gatewayResponsePatchErrors: PatchErrors = {
  invalidPath: (op) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
  invalidOp: (op) => badRequest(`Invalid patch path ${op.path ?? 'null'}`),
};

async function UpdateGatewayResponse(input: UpdateGatewayResponseRequest, ctx: Context): Promise<GatewayResponse> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const customizations = await customizationsOf(em, ctx, input.restApiId);
    // Updating a type the API has not customized customizes it, starting from AWS's default.
    const start = customizations[input.responseType] ?? builtInGatewayResponse(input.responseType);
    const response = applyPatches(structuredClone(start), input.patchOperations, gatewayResponsePatchRules, gatewayResponsePatchErrors);
    response.defaultResponse = false;
    await saveCustomization(em, ctx, input.restApiId, response);
    return response;
  });
}

async function DeleteGatewayResponse(input: DeleteGatewayResponseRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const deleted = await em.getRepository(GatewayResponseEntity).delete({ restApiId: input.restApiId, responseType: input.responseType, accountId: ctx.accountId });
    if (!deleted.affected) throw notFound('Gateway response type not defined on api');
  });
}

export const gatewayResponseHandlers: Handlers = {
  PutGatewayResponse,
  GetGatewayResponse,
  GetGatewayResponses,
  UpdateGatewayResponse,
  DeleteGatewayResponse,
};
