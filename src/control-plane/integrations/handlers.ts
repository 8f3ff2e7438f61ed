// PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration and the same for
// IntegrationResponse. Both live inside the method row, as the Method shape's methodIntegration.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { findMethod, methodNotFound, saveMethod } from '../methods/lookup.js';
import type { MethodRow } from '../methods/entity.js';
import { ApiError, notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { applyPatches } from '../protocol/patch.js';
import type {
  DeleteIntegrationRequest,
  DeleteIntegrationResponseRequest,
  GetIntegrationRequest,
  GetIntegrationResponseRequest,
  Integration,
  IntegrationResponse,
  PutIntegrationRequest,
  PutIntegrationResponseRequest,
  UpdateIntegrationRequest,
  UpdateIntegrationResponseRequest,
} from '../protocol/shapes.js';
import { findResource } from '../resources/handlers.js';
import { normalizeTemplates } from './mapping.js';
import { integrationPatchRules, integrationResponsePatchRules, subResourcePatchErrors } from './patch-rules.js';
import { checkIntegration, checkIntegrationResponse } from './validate.js';

const DEFAULT_TIMEOUT = 29000;

const integrationNotFound = () => notFound('Invalid Integration identifier specified');
const statusCodeNotFound = () => notFound('Invalid Response status code specified');

type MethodKey = { restApiId: string; resourceId: string; httpMethod: string };

/** API Gateway answers an unknown API on a method's integration as an unknown resource. */
async function findIntegratedMethod(em: EntityManager, ctx: Context, key: MethodKey, lock = false): Promise<MethodRow> {
  await findResource(em, ctx, key.restApiId, key.resourceId);
  return findMethod(em, ctx, key.restApiId, key.resourceId, key.httpMethod, lock);
}

function integrationOf(row: MethodRow): Integration {
  if (!row.data.methodIntegration) throw integrationNotFound();
  return row.data.methodIntegration;
}

function integrationResponseOf(integration: Integration, statusCode: string): IntegrationResponse {
  const response = integration.integrationResponses?.[statusCode];
  if (!response) throw statusCodeNotFound();
  return response;
}

/** Unlike its siblings, DeleteIntegrationResponse reports a missing method as a missing integration. */
function missingMethodAsMissingIntegration(e: unknown): never {
  throw e instanceof ApiError && e.message === methodNotFound().message ? integrationNotFound() : e;
}

function newIntegration(input: PutIntegrationRequest): Integration {
  const isMock = input.type === 'MOCK';
  const isHttp = input.type === 'HTTP' || input.type === 'HTTP_PROXY';
  // A MOCK integration calls nothing, so AWS keeps neither an endpoint nor a method for it.
  return {
    type: input.type,
    ...(isMock ? {} : { httpMethod: input.integrationHttpMethod, uri: input.uri }),
    connectionType: input.connectionType ?? (isHttp ? 'INTERNET' : undefined),
    connectionId: input.connectionId,
    credentials: input.credentials,
    requestParameters: input.requestParameters,
    requestTemplates: normalizeTemplates(input.requestTemplates),
    passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
    contentHandling: input.contentHandling,
    timeoutInMillis: input.timeoutInMillis ?? DEFAULT_TIMEOUT,
    cacheNamespace: input.cacheNamespace ?? input.resourceId,
    cacheKeyParameters: input.cacheKeyParameters ?? [],
    tlsConfig: input.tlsConfig,
    responseTransferMode: input.responseTransferMode,
    integrationTarget: input.integrationTarget,
  };
}

async function PutIntegration(input: PutIntegrationRequest, ctx: Context): Promise<Integration> {
  return transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true);
    const integration = newIntegration(input);
    checkIntegration(integration, row.data);
    // A put replaces the whole integration, its integration responses included.
    row.data.methodIntegration = integration;
    await saveMethod(em, row);
    return integration;
  });
}

async function GetIntegration(input: GetIntegrationRequest, ctx: Context): Promise<Integration> {
  const row = await findIntegratedMethod(ctx.db.dataSource.manager, ctx, input);
  return integrationOf(row);
}

async function UpdateIntegration(input: UpdateIntegrationRequest, ctx: Context): Promise<Integration> {
  return transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true);
    const integration = applyPatches(structuredClone(integrationOf(row)), input.patchOperations, integrationPatchRules, subResourcePatchErrors);
    checkIntegration(integration, row.data);
    row.data.methodIntegration = integration;
    await saveMethod(em, row);
    return integration;
  });
}

async function DeleteIntegration(input: DeleteIntegrationRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true);
    integrationOf(row);
    delete row.data.methodIntegration;
    await saveMethod(em, row);
  });
}

function newIntegrationResponse(input: PutIntegrationResponseRequest): IntegrationResponse {
  return {
    statusCode: input.statusCode,
    selectionPattern: input.selectionPattern,
    responseParameters: input.responseParameters,
    responseTemplates: normalizeTemplates(input.responseTemplates),
    contentHandling: input.contentHandling,
  };
}

function storeIntegrationResponse(row: MethodRow, integration: Integration, response: IntegrationResponse) {
  integration.integrationResponses = { ...integration.integrationResponses, [response.statusCode!]: response };
  row.data.methodIntegration = integration;
}

async function PutIntegrationResponse(input: PutIntegrationResponseRequest, ctx: Context): Promise<IntegrationResponse> {
  return transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true);
    const integration = integrationOf(row);
    const response = newIntegrationResponse(input);
    checkIntegrationResponse(response, row.data);
    storeIntegrationResponse(row, integration, response);
    await saveMethod(em, row);
    return response;
  });
}

async function GetIntegrationResponse(input: GetIntegrationResponseRequest, ctx: Context): Promise<IntegrationResponse> {
  const row = await findIntegratedMethod(ctx.db.dataSource.manager, ctx, input);
  return integrationResponseOf(integrationOf(row), input.statusCode);
}

async function UpdateIntegrationResponse(input: UpdateIntegrationResponseRequest, ctx: Context): Promise<IntegrationResponse> {
  return transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true);
    const integration = integrationOf(row);
    const current = integrationResponseOf(integration, input.statusCode);
    const response = applyPatches(structuredClone(current), input.patchOperations, integrationResponsePatchRules, subResourcePatchErrors);
    checkIntegrationResponse(response, row.data);
    storeIntegrationResponse(row, integration, response);
    await saveMethod(em, row);
    return response;
  });
}

async function DeleteIntegrationResponse(input: DeleteIntegrationResponseRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findIntegratedMethod(em, ctx, input, true).catch(missingMethodAsMissingIntegration);
    const integration = integrationOf(row);
    integrationResponseOf(integration, input.statusCode);
    const responses = { ...integration.integrationResponses };
    delete responses[input.statusCode];
    // AWS lists no integrationResponses at all once the last one is gone.
    if (Object.keys(responses).length) integration.integrationResponses = responses;
    else delete integration.integrationResponses;
    row.data.methodIntegration = integration;
    await saveMethod(em, row);
  });
}

export const integrationHandlers: Handlers = {
  PutIntegration,
  GetIntegration,
  UpdateIntegration,
  DeleteIntegration,
  PutIntegrationResponse,
  GetIntegrationResponse,
  UpdateIntegrationResponse,
  DeleteIntegrationResponse,
};
