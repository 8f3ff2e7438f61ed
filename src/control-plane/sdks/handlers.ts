// GetSdkTypes, GetSdkType and GetSdk: the client SDKs Portico generates for a deployed stage, as a zip.
import { strToU8, zipSync } from 'fflate';
import { config } from '../../config.js';
import { DeploymentEntity } from '../deployments/entity.js';
import { versionOf } from '../import-export/handlers.js';
import { notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import type { GetSdkRequest, GetSdkTypeRequest, GetSdkTypesRequest, SdkResponse, SdkType, SdkTypes } from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { StageEntity } from '../stages/entity.js';
import { stageNotFound } from '../stages/handlers.js';
import { describeApi, type SdkDescription } from './describe.js';
import { javascriptSdk, typescriptSdk, type SdkFiles } from './generate.js';

type Generator = { type: SdkType; generate: (description: SdkDescription) => SdkFiles };

/** Only the SDK types whose generated code works; the ids API Gateway uses where it has one. */
const generators: Generator[] = [
  {
    type: { id: 'javascript', friendlyName: 'JavaScript', description: 'JavaScript SDK (ES module for Node.js 20+ and browsers)', configurationProperties: [] },
    generate: javascriptSdk,
  },
  {
    type: { id: 'typescript', friendlyName: 'TypeScript', description: 'TypeScript SDK with types for the API\'s models', configurationProperties: [] },
    generate: typescriptSdk,
  },
];

const sdkTypeNotFound = (id: string) => notFound(`Invalid SDK type specified: ${id}`);

async function GetSdkTypes(input: GetSdkTypesRequest): Promise<SdkTypes> {
  return paginate(generators.map((g) => g.type), input.limit, input.position);
}

async function GetSdkType(input: GetSdkTypeRequest): Promise<SdkType> {
  const generator = generators.find((g) => g.type.id === input.id);
  if (!generator) throw sdkTypeNotFound(input.id);
  return generator.type;
}

/** The stage's default invoke URL on Portico's workers (host style). */
const invokeUrl = (restApiId: string, stageName: string) => `http://${restApiId}.${config.executeApiDomain}:${config.dataPort}/${stageName}`;

async function GetSdk(input: GetSdkRequest, ctx: Context): Promise<SdkResponse> {
  const em = ctx.db.dataSource.manager;
  const api = await findRestApi(em, ctx, input.restApiId);
  const stage = await em.getRepository(StageEntity).findOneBy({ restApiId: api.id, stageName: input.stageName, accountId: ctx.accountId });
  if (!stage) throw stageNotFound();
  const generator = generators.find((g) => g.type.id === input.sdkType);
  if (!generator) throw sdkTypeNotFound(input.sdkType);
  const deployment = await em.getRepository(DeploymentEntity).findOneByOrFail({ id: stage.deploymentId });
  const description = describeApi(deployment.snapshot, { apiName: api.name, stageName: stage.stageName, region: ctx.region, invokeUrl: invokeUrl(api.id, stage.stageName) });
  const files = generator.generate(description);
  // A fixed date keeps the archive the same for the same deployment.
  const mtime = deployment.createdDate;
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, [strToU8(text), { mtime }]])));
  return {
    body: Buffer.from(zip),
    contentType: 'application/octet-stream',
    contentDisposition: `attachment; filename="${input.sdkType}_${versionOf(api, deployment.createdDate)}.zip"`,
  };
}

export const sdkHandlers: Handlers = { GetSdkTypes, GetSdkType, GetSdk };
