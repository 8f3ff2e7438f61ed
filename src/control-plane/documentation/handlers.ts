// CreateDocumentationPart, GetDocumentationPart(s), UpdateDocumentationPart, DeleteDocumentationPart,
// ImportDocumentationParts, and the DocumentationVersion operations that freeze and publish them.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { readApiDocument } from '../import-export/document.js';
import { badRequest, conflict, notFound } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateDocumentationPartRequest,
  CreateDocumentationVersionRequest,
  DeleteDocumentationPartRequest,
  DeleteDocumentationVersionRequest,
  DocumentationPart,
  DocumentationPartIds,
  DocumentationParts,
  DocumentationVersion,
  DocumentationVersions,
  GetDocumentationPartRequest,
  GetDocumentationPartsRequest,
  GetDocumentationVersionRequest,
  GetDocumentationVersionsRequest,
  ImportDocumentationPartsRequest,
  UpdateDocumentationPartRequest,
  UpdateDocumentationVersionRequest,
} from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { StageEntity } from '../stages/entity.js';
import { stageNotFound } from '../stages/handlers.js';
import { DocumentationPartEntity, DocumentationVersionEntity, type DocumentationPartRow, type DocumentationVersionRow } from './entity.js';
import { documentationPartsOf } from './from-document.js';
import { checkProperties, locationKey, normalizeLocation } from './location.js';
import { partsOf, writeParts } from './store.js';

const partNotFound = () => notFound('Invalid Documentation part identifier specified');
const versionNotFound = () => notFound('Invalid Documentation version identifier specified');

async function findPart(em: EntityManager, ctx: Context, restApiId: string, id: string): Promise<DocumentationPartRow> {
  const row = await em.getRepository(DocumentationPartEntity).findOneBy({ id, restApiId, accountId: ctx.accountId });
  if (!row) throw partNotFound();
  return row;
}

async function CreateDocumentationPart(input: CreateDocumentationPartRequest, ctx: Context): Promise<DocumentationPart> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const location = normalizeLocation(input.location);
    const properties = checkProperties(input.properties);
    if (await em.getRepository(DocumentationPartEntity).existsBy({ restApiId: input.restApiId, locationKey: locationKey(location) })) {
      throw conflict('Documentation part already exists for the specified location');
    }
    const [id] = await writeParts(em, ctx.accountId, input.restApiId, [{ location, properties }], 'merge');
    return (await findPart(em, ctx, input.restApiId, id!)).data;
  });
}

/** Any other API's parts, or an unknown API, read as an unknown part. */
async function GetDocumentationPart(input: GetDocumentationPartRequest, ctx: Context): Promise<DocumentationPart> {
  return (await findPart(ctx.db.dataSource.manager, ctx, input.restApiId, input.documentationPartId)).data;
}

const isDocumented = (part: DocumentationPart) => {
  try {
    return Object.keys(JSON.parse(part.properties ?? '{}')).length > 0;
  } catch {
    return false;
  }
};

async function GetDocumentationParts(input: GetDocumentationPartsRequest, ctx: Context): Promise<DocumentationParts> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const nameQuery = input.nameQuery?.toLowerCase();
  const parts = (await partsOf(em, ctx.accountId, input.restApiId))
    .map((row) => row.data)
    .filter((p) => !input.type || p.location?.type === input.type)
    .filter((p) => input.path === undefined || p.location?.path === input.path)
    .filter((p) => nameQuery === undefined || (p.location?.name ?? '').toLowerCase().includes(nameQuery))
    .filter((p) => !input.locationStatus || (input.locationStatus === 'DOCUMENTED') === isDocumented(p));
  const page = paginate(parts, input.limit, input.position);
  return { items: page.items, position: page.position };
}

const partPatchRules: PatchRule<DocumentationPart>[] = [
  { path: '/properties', ops: ['replace'], apply: (part, op) => {
    part.properties = checkProperties(op.value);
  } },
];

async function UpdateDocumentationPart(input: UpdateDocumentationPartRequest, ctx: Context): Promise<DocumentationPart> {
  return transaction(ctx.db, async (em) => {
    const row = await findPart(em, ctx, input.restApiId, input.documentationPartId);
    const part = applyPatches({ ...row.data }, input.patchOperations, partPatchRules, standardPatchErrors(partPatchRules));
    await em.getRepository(DocumentationPartEntity).update({ id: row.id }, { data: part });
    return part;
  });
}

async function DeleteDocumentationPart(input: DeleteDocumentationPartRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findPart(em, ctx, input.restApiId, input.documentationPartId);
    await em.getRepository(DocumentationPartEntity).delete({ id: row.id });
  });
}

const unreadable = () => badRequest('Unable to build importer with provided input.');

async function ImportDocumentationParts(input: ImportDocumentationPartsRequest, ctx: Context): Promise<DocumentationPartIds> {
  const document = readApiDocument(input.body);
  if (!document) throw unreadable();
  const { parts, warnings } = documentationPartsOf(document.doc);
  if (warnings.length && input.failOnWarnings) throw badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const ids = await writeParts(em, ctx.accountId, input.restApiId, parts, input.mode === 'overwrite' ? 'overwrite' : 'merge');
    return { ids, ...(warnings.length ? { warnings } : {}) };
  });
}

const toVersion = (row: DocumentationVersionRow): DocumentationVersion => ({
  version: row.version,
  createdDate: row.createdDate,
  ...(row.description ? { description: row.description } : {}),
});

async function findVersion(em: EntityManager, ctx: Context, restApiId: string, version: string): Promise<DocumentationVersionRow> {
  const row = await em.getRepository(DocumentationVersionEntity).findOneBy({ restApiId, version, accountId: ctx.accountId });
  if (!row) throw versionNotFound();
  return row;
}

/** Freezes the API's parts under a version name; with a stage, publishes the version to it. */
async function CreateDocumentationVersion(input: CreateDocumentationVersionRequest, ctx: Context): Promise<DocumentationVersion> {
  if (!input.documentationVersion.trim()) throw badRequest('Documentation version must be non-empty');
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const repo = em.getRepository(DocumentationVersionEntity);
    if (await repo.existsBy({ restApiId: input.restApiId, version: input.documentationVersion })) {
      throw conflict(`Documentation version ${input.documentationVersion} already exists`);
    }
    if (input.stageName) await publish(em, ctx, input.restApiId, input.stageName, input.documentationVersion);
    const row: DocumentationVersionRow = {
      restApiId: input.restApiId,
      version: input.documentationVersion,
      accountId: ctx.accountId,
      createdDate: new Date(),
      description: input.description || null,
      parts: (await partsOf(em, ctx.accountId, input.restApiId)).map((p) => p.data),
    };
    await repo.insert(row);
    return toVersion(row);
  });
}

async function publish(em: EntityManager, ctx: Context, restApiId: string, stageName: string, version: string) {
  const stage = await em.getRepository(StageEntity).findOneBy({ restApiId, stageName, accountId: ctx.accountId });
  if (!stage) throw stageNotFound();
  await em.getRepository(StageEntity).update({ restApiId, stageName }, { data: { ...stage.data, documentationVersion: version }, lastUpdatedDate: new Date() });
}

async function GetDocumentationVersion(input: GetDocumentationVersionRequest, ctx: Context): Promise<DocumentationVersion> {
  return toVersion(await findVersion(ctx.db.dataSource.manager, ctx, input.restApiId, input.documentationVersion));
}

async function GetDocumentationVersions(input: GetDocumentationVersionsRequest, ctx: Context): Promise<DocumentationVersions> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(DocumentationVersionEntity).find({
    where: { restApiId: input.restApiId, accountId: ctx.accountId },
    order: { createdDate: 'ASC', version: 'ASC' },
  });
  const page = paginate(rows.map(toVersion), input.limit, input.position);
  return { items: page.items, position: page.position };
}

const versionPatchRules: PatchRule<DocumentationVersionRow>[] = [
  { path: '/description', ops: ['replace'], apply: (row, op) => {
    row.description = op.value || null;
  } },
];

async function UpdateDocumentationVersion(input: UpdateDocumentationVersionRequest, ctx: Context): Promise<DocumentationVersion> {
  return transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findVersion(em, ctx, input.restApiId, input.documentationVersion);
    applyPatches(row, input.patchOperations, versionPatchRules, standardPatchErrors(versionPatchRules));
    await em.getRepository(DocumentationVersionEntity).update({ restApiId: row.restApiId, version: row.version }, { description: row.description });
    return toVersion(row);
  });
}

async function DeleteDocumentationVersion(input: DeleteDocumentationVersionRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    await findRestApi(em, ctx, input.restApiId, true);
    const row = await findVersion(em, ctx, input.restApiId, input.documentationVersion);
    await em.getRepository(DocumentationVersionEntity).delete({ restApiId: row.restApiId, version: row.version });
  });
}

export const documentationHandlers: Handlers = {
  CreateDocumentationPart,
  GetDocumentationPart,
  GetDocumentationParts,
  UpdateDocumentationPart,
  DeleteDocumentationPart,
  ImportDocumentationParts,
  CreateDocumentationVersion,
  GetDocumentationVersion,
  GetDocumentationVersions,
  UpdateDocumentationVersion,
  DeleteDocumentationVersion,
};
