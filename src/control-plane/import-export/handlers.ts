// ImportRestApi, PutRestApi and GetExport: an API from an OpenAPI document, and a stage's
// deployed API back out as one.
import { stringify as toYaml } from 'yaml';
import { transaction } from '../../db/data-source.js';
import { DeploymentEntity } from '../deployments/entity.js';
import { DocumentationVersionEntity } from '../documentation/entity.js';
import { ModelEntity } from '../models/entity.js';
import { badRequest } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import type { EndpointConfiguration, ExportResponse, GetExportRequest, ImportRestApiRequest, PutRestApiRequest, RestApi } from '../protocol/shapes.js';
import { ResourceEntity } from '../resources/entity.js';
import { RestApiEntity, type RestApiRow } from '../rest-apis/entity.js';
import { toRestApi } from '../rest-apis/handlers.js';
import { findRestApi, restApiArn } from '../rest-apis/lookup.js';
import { StageEntity } from '../stages/entity.js';
import { stageNotFound } from '../stages/handlers.js';
import { readTags } from '../tags/store.js';
import { applyPlan, type ImportMode } from './apply.js';
import { readApiDocument } from './document.js';
import { buildExport, buildPostman, type ExportType } from './export.js';
import { planImport, type ApiSettings, type ImportPlan } from './plan.js';

const MAX_COMPRESSION = 10485760;
const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'];

const invalidInput = () => badRequest('Invalid OpenAPI input.');

/** Errors always fail an import; warnings only when the caller asked to fail on them. */
function checkReport(plan: ImportPlan, failOnWarnings: boolean | undefined) {
  if (plan.errors.length) throw badRequest(`Errors found during import:\n\t${plan.errors.join('\n\t')}`);
  if (failOnWarnings && plan.warnings.length) throw badRequest(`Warnings found during import:\n\t${plan.warnings.join('\n\t')}`);
}

function checkSettings(api: ApiSettings) {
  const min = api.minimumCompressionSize;
  if (min !== undefined && !(Number.isInteger(min) && min >= 0 && min <= MAX_COMPRESSION)) {
    throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
  }
  if (api.policy !== undefined) {
    try {
      const parsed = JSON.parse(api.policy);
      if (typeof parsed !== 'object' || parsed === null) throw new Error();
    } catch {
      throw badRequest('Invalid policy document. Please check the policy syntax and try again.');
    }
  }
}

function endpointConfigurationOf(parameters: Record<string, string>, api: ApiSettings): EndpointConfiguration {
  const type = (parameters.endpointConfigurationTypes ?? 'EDGE').toUpperCase();
  if (!ENDPOINT_TYPES.includes(type)) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
  return {
    types: [type as 'EDGE'],
    ipAddressType: type === 'PRIVATE' ? 'dualstack' : 'ipv4',
    ...(api.vpcEndpointIds?.length ? { vpcEndpointIds: api.vpcEndpointIds } : {}),
  };
}

const withWarnings = (api: RestApi, plan: ImportPlan): RestApi => (plan.warnings.length ? { ...api, warnings: plan.warnings } : api);

function planFor(body: Buffer | string | undefined, restApiId: string, parameters: Record<string, string>, existingModels?: Set<string>) {
  const document = readApiDocument(body);
  if (!document) throw invalidInput();
  return planImport(document, { restApiId, basepath: parameters.basepath, ignoreDocumentation: parameters.ignore === 'documentation' }, existingModels);
}

async function ImportRestApi(input: ImportRestApiRequest, ctx: Context): Promise<RestApi> {
  const parameters = input.parameters ?? {};
  const id = newId();
  const plan = planFor(input.body, id, parameters);
  checkReport(plan, input.failOnWarnings);
  if (!plan.api.name?.trim()) throw badRequest('Invalid REST API name specified');
  checkSettings(plan.api);
  const row: RestApiRow = {
    id,
    accountId: ctx.accountId,
    name: plan.api.name,
    createdDate: new Date(),
    rootResourceId: newId(),
    data: {
      ...(plan.api.description ? { description: plan.api.description } : {}),
      ...(plan.api.version ? { version: plan.api.version } : {}),
      ...(plan.api.binaryMediaTypes?.length ? { binaryMediaTypes: plan.api.binaryMediaTypes } : {}),
      ...(plan.api.minimumCompressionSize !== undefined ? { minimumCompressionSize: plan.api.minimumCompressionSize } : {}),
      apiKeySource: plan.api.apiKeySource ?? 'HEADER',
      endpointConfiguration: endpointConfigurationOf(parameters, plan.api),
      ...(plan.api.policy ? { policy: plan.api.policy } : {}),
      disableExecuteApiEndpoint: plan.api.disableExecuteApiEndpoint ?? false,
    },
  };
  return transaction(ctx.db, async (em) => {
    await em.getRepository(RestApiEntity).insert(row);
    await em.getRepository(ResourceEntity).insert({ id: row.rootResourceId, accountId: ctx.accountId, restApiId: id, parentId: null, pathPart: null, path: '/' });
    await applyPlan(em, row, plan, 'create');
    return withWarnings(toRestApi(row, undefined), plan);
  });
}

/** The API's own settings as the document states them; merge keeps what the document leaves out. */
function updateSettings(row: RestApiRow, api: ApiSettings, mode: ImportMode) {
  if (api.name?.trim()) row.name = api.name;
  const data = row.data;
  const set = <K extends keyof RestApiRow['data']>(key: K, value: RestApiRow['data'][K] | undefined) => {
    if (value !== undefined) data[key] = value;
    else if (mode === 'overwrite') delete data[key];
  };
  set('description', api.description);
  set('version', api.version);
  const mediaTypes = mode === 'merge' ? [...new Set([...(data.binaryMediaTypes ?? []), ...(api.binaryMediaTypes ?? [])])] : api.binaryMediaTypes ?? [];
  set('binaryMediaTypes', mediaTypes.length ? mediaTypes : undefined);
  set('minimumCompressionSize', api.minimumCompressionSize);
  set('policy', api.policy);
  if (api.apiKeySource) data.apiKeySource = api.apiKeySource;
  if (api.disableExecuteApiEndpoint !== undefined) data.disableExecuteApiEndpoint = api.disableExecuteApiEndpoint;
  if (api.vpcEndpointIds) data.endpointConfiguration = { ...data.endpointConfiguration, vpcEndpointIds: api.vpcEndpointIds };
}

async function PutRestApi(input: PutRestApiRequest, ctx: Context): Promise<RestApi> {
  const mode: ImportMode = input.mode === 'overwrite' ? 'overwrite' : 'merge';
  const parameters = input.parameters ?? {};
  return transaction(ctx.db, async (em) => {
    const row = await findRestApi(em, ctx, input.restApiId, true);
    const existingModels =
      mode === 'merge' ? new Set((await em.getRepository(ModelEntity).findBy({ restApiId: row.id, accountId: ctx.accountId })).map((m) => m.name)) : undefined;
    const plan = planFor(input.body, row.id, parameters, existingModels);
    checkReport(plan, input.failOnWarnings);
    checkSettings(plan.api);
    updateSettings(row, plan.api, mode);
    await em.getRepository(RestApiEntity).save(row);
    await applyPlan(em, row, plan, mode);
    return withWarnings(toRestApi(row, await readTags(em, ctx.accountId, restApiArn(ctx.region, row.id))), plan);
  });
}

/** AWS names the export after the API's version, or the deployment's date when it has none. */
export const versionOf = (api: RestApiRow, deployedAt: Date) => api.data.version ?? deployedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');

async function GetExport(input: GetExportRequest, ctx: Context): Promise<ExportResponse> {
  const em = ctx.db.dataSource.manager;
  const api = await findRestApi(em, ctx, input.restApiId);
  const stage = await em.getRepository(StageEntity).findOneBy({ restApiId: api.id, stageName: input.stageName, accountId: ctx.accountId });
  if (!stage) throw stageNotFound();
  if (input.exportType !== 'swagger' && input.exportType !== 'oas30') throw badRequest(`Export type ${input.exportType} is not supported`);
  const deployment = await em.getRepository(DeploymentEntity).findOneByOrFail({ id: stage.deploymentId });
  const documentationVersion = stage.data.documentationVersion
    ? await em.getRepository(DocumentationVersionEntity).findOneBy({ restApiId: api.id, version: stage.data.documentationVersion })
    : null;
  const extensions = new Set((input.parameters?.extensions ?? '').split(',').map((e: string) => e.trim()).filter(Boolean));
  const version = versionOf(api, deployment.createdDate);
  const exportInput = {
    type: input.exportType as ExportType,
    snapshot: deployment.snapshot,
    title: api.name,
    description: api.data.description,
    version,
    host: `${api.id}.execute-api.${ctx.region}.amazonaws.com`,
    stageName: stage.stageName,
    extensions,
    documentation: documentationVersion
      ? { version: documentationVersion.version, createdDate: documentationVersion.createdDate, parts: documentationVersion.parts }
      : undefined,
  };
  const document = extensions.has('postman') ? buildPostman(exportInput) : buildExport(exportInput);
  const yaml = /application\/(x-)?yaml/i.test(input.accepts ?? '');
  const body = yaml ? toYaml(document) : JSON.stringify(document, null, 2);
  return {
    body: Buffer.from(body),
    contentType: 'application/octet-stream',
    contentDisposition: `attachment; filename="${input.exportType}_${version}.${yaml ? 'yaml' : 'json'}"`,
  } as ExportResponse;
}

export const importExportHandlers: Handlers = { ImportRestApi, PutRestApi, GetExport };
