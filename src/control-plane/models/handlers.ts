// CreateModel, GetModel (with flatten), GetModels, GetModelTemplate, UpdateModel, DeleteModel.
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { MethodEntity, type MethodRow } from '../methods/entity.js';
import { badRequest, conflict } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateModelRequest,
  DeleteModelRequest,
  GetModelRequest,
  GetModelsRequest,
  GetModelTemplateRequest,
  Model,
  Models,
  Template,
  UpdateModelRequest,
} from '../protocol/shapes.js';
import { ResourceEntity } from '../resources/entity.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { ModelEntity } from './entity.js';
import { findModel, lockModel, modelsOf, type ModelRow } from './lookup.js';
import { checkModelSchema, flattenSchema } from './schema.js';
import { modelTemplate } from './template.js';

function checkModelName(name: string) {
  if (name === '') throw badRequest('Model name must be non-empty');
  if (!/^[a-zA-Z0-9]+$/.test(name)) throw badRequest(`Model name must be alphanumeric: ${name}`);
}

async function CreateModel(input: CreateModelRequest, ctx: Context): Promise<Model> {
  return transaction(ctx.db, async (em) => {
    // The lock makes the name check and the insert one step for concurrent creates.
    await findRestApi(em, ctx, input.restApiId, true);
    checkModelName(input.name);
    const names = new Set((await modelsOf(em, ctx, input.restApiId)).map((m) => m.name));
    if (names.has(input.name)) throw conflict('Model name already exists for this REST API');
    checkModelSchema(input.schema, input.restApiId, names);
    const id = newId(6);
    const model: Model = {
      id,
      name: input.name,
      ...(input.description ? { description: input.description } : {}),
      schema: input.schema,
      contentType: input.contentType,
    };
    await em.getRepository(ModelEntity).insert({ id, accountId: ctx.accountId, restApiId: input.restApiId, name: input.name, data: model });
    return model;
  });
}

async function GetModel(input: GetModelRequest, ctx: Context): Promise<Model> {
  const em = ctx.db.dataSource.manager;
  const row = await findModel(em, ctx, input.restApiId, input.modelName);
  if (!input.flatten || row.data.schema === undefined) return row.data;
  const schemas = new Map((await modelsOf(em, ctx, input.restApiId)).map((m) => [m.name, m.data.schema ?? '{}']));
  return { ...row.data, schema: flattenSchema(row.data.schema, input.restApiId, schemas) };
}

async function GetModelTemplate(input: GetModelTemplateRequest, ctx: Context): Promise<Template> {
  const em = ctx.db.dataSource.manager;
  const row = await findModel(em, ctx, input.restApiId, input.modelName);
  const schemas = new Map((await modelsOf(em, ctx, input.restApiId)).map((m) => [m.name, m.data.schema ?? '{}']));
  return { value: modelTemplate(row.data.schema, schemas) };
}

async function GetModels(input: GetModelsRequest, ctx: Context): Promise<Models> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const page = paginate(await modelsOf(em, ctx, input.restApiId), input.limit, input.position);
  return { items: page.items.map((row) => row.data), position: page.position };
}

type ModelChange = { model: Model; restApiId: string; names: Set<string> };

const modelPatchRules: PatchRule<ModelChange>[] = [
  { path: '/description', ops: ['replace'], apply: ({ model }, op) => {
    if (op.value) model.description = op.value;
    else delete model.description;
  } },
  { path: '/schema', ops: ['replace'], apply: ({ model, restApiId, names }, op) => {
    checkModelSchema(op.value, restApiId, names);
    model.schema = op.value;
  } },
];

async function UpdateModel(input: UpdateModelRequest, ctx: Context): Promise<Model> {
  return transaction(ctx.db, async (em) => {
    const row = await lockModel(em, ctx, input.restApiId, input.modelName);
    const names = new Set((await modelsOf(em, ctx, input.restApiId)).map((m) => m.name));
    const change = { model: { ...row.data }, restApiId: input.restApiId, names };
    applyPatches(change, input.patchOperations, modelPatchRules, standardPatchErrors(modelPatchRules));
    await em.getRepository(ModelEntity).update({ id: row.id }, { data: change.model });
    return change.model;
  });
}

const usesModel = (models: Record<string, string> | undefined, name: string) => Object.values(models ?? {}).includes(name);

/** Where a method uses the model, as API Gateway names it: the resource path, then the method. */
async function methodPath(em: EntityManager, methods: MethodRow[]): Promise<string | undefined> {
  if (!methods.length) return undefined;
  const resources = await em.getRepository(ResourceEntity).findBy({ id: In(methods.map((m) => m.resourceId)) });
  const paths = methods.map((m) => `${resources.find((r) => r.id === m.resourceId)?.path}/${m.httpMethod}`).sort();
  return paths[paths.length - 1];
}

/** A model that a method request or a method response uses cannot go. */
async function checkNotInUse(em: EntityManager, ctx: Context, row: ModelRow) {
  const methods = await em.getRepository(MethodEntity).findBy({ restApiId: row.restApiId, accountId: ctx.accountId });
  const inRequest = await methodPath(em, methods.filter((m) => usesModel(m.data.requestModels, row.name)));
  if (inRequest) throw conflict(`Cannot delete model '${row.name}', is referenced in method request: ${inRequest}`);
  const inResponse = await methodPath(
    em,
    methods.filter((m) => Object.values(m.data.methodResponses ?? {}).some((r) => usesModel(r.responseModels, row.name))),
  );
  if (inResponse) throw conflict(`Cannot delete model '${row.name}', is referenced in method response: ${inResponse}`);
}

async function DeleteModel(input: DeleteModelRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await lockModel(em, ctx, input.restApiId, input.modelName);
    await checkNotInUse(em, ctx, row);
    await em.getRepository(ModelEntity).delete({ id: row.id });
  });
}

export const modelHandlers: Handlers = { CreateModel, GetModel, GetModels, GetModelTemplate, UpdateModel, DeleteModel };
