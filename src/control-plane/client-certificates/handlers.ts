// GenerateClientCertificate, GetClientCertificate, GetClientCertificates, UpdateClientCertificate,
// DeleteClientCertificate. Only the PEM certificate is ever answered; the private key stays stored.
import type { EntityManager } from 'typeorm';
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest, notFound } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  ClientCertificate,
  ClientCertificates,
  DeleteClientCertificateRequest,
  GenerateClientCertificateRequest,
  GetClientCertificateRequest,
  GetClientCertificatesRequest,
  UpdateClientCertificateRequest,
} from '../protocol/shapes.js';
import { taggable } from '../tags/handlers.js';
import { deleteTags, readTags, writeTags } from '../tags/store.js';
import { validateTags } from '../tags/validate.js';
import { ClientCertificateEntity, type ClientCertificateRow } from './entity.js';
import { generateClientCertificate } from './generate.js';

export const clientCertificateNotFound = () => notFound('Invalid Client Certificate identifier specified');

export const clientCertificateArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/clientcertificates/${id}`;

// Taggable as `arn:aws:apigateway:{region}::/clientcertificates/{id}`.
taggable.clientcertificates = async (em, ctx, [id, ...rest]) =>
  rest.length === 0 && em.getRepository(ClientCertificateEntity).existsBy({ id, accountId: ctx.accountId });

const MAX_DESCRIPTION = 1024;

function checkDescription(description: string | undefined): string | null {
  if (description === undefined || description === '') return null;
  if (description.length > MAX_DESCRIPTION) throw badRequest(`Description must be at most ${MAX_DESCRIPTION} characters`);
  return description;
}

export async function findClientCertificate(em: EntityManager, ctx: Context, id: string, lock = false): Promise<ClientCertificateRow> {
  const row = await em.getRepository(ClientCertificateEntity).findOne({
    where: { id, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw clientCertificateNotFound();
  return row;
}

function toClientCertificate(row: ClientCertificateRow, tags?: Record<string, string>): ClientCertificate {
  return {
    clientCertificateId: row.id,
    ...(row.description !== null ? { description: row.description } : {}),
    pemEncodedCertificate: row.certificatePem,
    createdDate: row.createdDate,
    expirationDate: row.expirationDate,
    ...(tags ? { tags } : {}),
  };
}

async function GenerateClientCertificate(input: GenerateClientCertificateRequest, ctx: Context): Promise<ClientCertificate> {
  const description = checkDescription(input.description);
  if (input.tags) validateTags(input.tags);
  const id = newId(6);
  // The exact moment orders GetClientCertificates by creation; answers show it in whole seconds,
  // as the certificate's validity starts.
  const createdDate = new Date();
  const generated = await generateClientCertificate(id, createdDate);
  return transaction(ctx.db, async (em) => {
    const row: ClientCertificateRow = {
      id,
      accountId: ctx.accountId,
      description,
      certificatePem: generated.certificatePem,
      privateKeyPem: generated.privateKeyPem,
      createdDate,
      expirationDate: generated.notAfter,
    };
    await em.getRepository(ClientCertificateEntity).insert(row);
    const tags = input.tags && Object.keys(input.tags).length ? input.tags : undefined;
    if (tags) await writeTags(em, ctx.accountId, clientCertificateArn(ctx.region, id), tags);
    return toClientCertificate(row, tags);
  });
}

async function GetClientCertificate(input: GetClientCertificateRequest, ctx: Context): Promise<ClientCertificate> {
  const em = ctx.db.dataSource.manager;
  const row = await findClientCertificate(em, ctx, input.clientCertificateId);
  return toClientCertificate(row, await readTags(em, ctx.accountId, clientCertificateArn(ctx.region, row.id)));
}

async function GetClientCertificates(input: GetClientCertificatesRequest, ctx: Context): Promise<ClientCertificates> {
  const em = ctx.db.dataSource.manager;
  const rows = await em.getRepository(ClientCertificateEntity).find({ where: { accountId: ctx.accountId }, order: { createdDate: 'ASC', id: 'ASC' } });
  const page = paginate(rows, input.limit, input.position);
  const items = await Promise.all(
    page.items.map(async (row) => {
      const tags = await readTags(em, ctx.accountId, clientCertificateArn(ctx.region, row.id));
      return toClientCertificate(row, Object.keys(tags).length ? tags : undefined);
    }),
  );
  return { items, position: page.position };
}

const clientCertificatePatchRules: PatchRule<ClientCertificateRow>[] = [
  { path: '/description', ops: ['replace'], apply: (row, op) => { row.description = checkDescription(op.value); } },
];

async function UpdateClientCertificate(input: UpdateClientCertificateRequest, ctx: Context): Promise<ClientCertificate> {
  return transaction(ctx.db, async (em) => {
    const row = await findClientCertificate(em, ctx, input.clientCertificateId, true);
    const changed = applyPatches({ ...row }, input.patchOperations, clientCertificatePatchRules, standardPatchErrors(clientCertificatePatchRules));
    await em.getRepository(ClientCertificateEntity).update({ id: row.id, accountId: ctx.accountId }, { description: changed.description });
    return toClientCertificate(changed, await readTags(em, ctx.accountId, clientCertificateArn(ctx.region, row.id)));
  });
}

async function DeleteClientCertificate(input: DeleteClientCertificateRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await findClientCertificate(em, ctx, input.clientCertificateId, true);
    await em.getRepository(ClientCertificateEntity).delete({ id: row.id, accountId: ctx.accountId });
    await deleteTags(em, ctx.accountId, clientCertificateArn(ctx.region, row.id));
    // Stages that used it stop presenting it.
    await bumpConfigVersion(em);
  });
}

export const clientCertificateHandlers: Handlers = {
  GenerateClientCertificate,
  GetClientCertificate,
  GetClientCertificates,
  UpdateClientCertificate,
  DeleteClientCertificate,
};
