// CreateRequestValidator, GetRequestValidator, GetRequestValidators, UpdateRequestValidator, DeleteRequestValidator.
import { transaction } from '../../db/data-source.js';
import { MethodEntity } from '../methods/entity.js';
import { ResourceEntity } from '../resources/entity.js';
import { ApiError, badRequest, conflict } from '../protocol/errors.js';
import { newId } from '../protocol/ids.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { paginate } from '../protocol/pagination.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type {
  CreateRequestValidatorRequest,
  DeleteRequestValidatorRequest,
  GetRequestValidatorRequest,
  GetRequestValidatorsRequest,
  PatchOperation,
  RequestValidator,
  RequestValidators,
  UpdateRequestValidatorRequest,
} from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { RequestValidatorEntity } from './entity.js';
import { findRequestValidator, lockRequestValidator } from './lookup.js';

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw badRequest('Request Validator name cannot be blank');
  return name;
}

async function CreateRequestValidator(input: CreateRequestValidatorRequest, ctx: Context): Promise<RequestValidator> {
  return transaction(ctx.db, async (em) => {
    try {
      await findRestApi(em, ctx, input.restApiId, true);
    } catch (e) {
      // Unlike its siblings, this operation calls an unknown API a bad request.
      throw e instanceof ApiError && e.type === 'NotFoundException' ? badRequest('Invalid REST API identifier specified') : e;
    }
    const validator: RequestValidator = {
      id: newId(6),
      name: checkName(input.name),
      validateRequestBody: input.validateRequestBody ?? false,
      validateRequestParameters: input.validateRequestParameters ?? false,
    };
    await em.getRepository(RequestValidatorEntity).insert({
      id: validator.id!,
      accountId: ctx.accountId,
      restApiId: input.restApiId,
      name: validator.name!,
      data: validator,
    });
    return validator;
  });
}

async function GetRequestValidator(input: GetRequestValidatorRequest, ctx: Context): Promise<RequestValidator> {
  const row = await findRequestValidator(ctx.db.dataSource.manager, ctx, input.restApiId, input.requestValidatorId);
  return row.data;
}

async function GetRequestValidators(input: GetRequestValidatorsRequest, ctx: Context): Promise<RequestValidators> {
  const em = ctx.db.dataSource.manager;
  await findRestApi(em, ctx, input.restApiId);
  const rows = await em.getRepository(RequestValidatorEntity).find({
    where: { restApiId: input.restApiId, accountId: ctx.accountId },
    order: { name: 'ASC', id: 'ASC' },
  });
  const page = paginate(rows, input.limit, input.position);
  return { items: page.items.map((row) => row.data), position: page.position };
}

/** AWS reads a patched flag as Java's Boolean.parseBoolean does: anything but "true" is false, a missing value too. */
const flag = (op: PatchOperation) => op.value?.toLowerCase() === 'true';

const requestValidatorPatchRules: PatchRule<RequestValidator>[] = [
  { path: '/name', ops: ['replace'], apply: (validator, op) => {
    validator.name = checkName(op.value);
  } },
  { path: '/validateRequestParameters', ops: ['replace'], apply: (validator, op) => {
    validator.validateRequestParameters = flag(op);
  } },
  { path: '/validateRequestBody', ops: ['replace'], apply: (validator, op) => {
    validator.validateRequestBody = flag(op);
  } },
];

async function UpdateRequestValidator(input: UpdateRequestValidatorRequest, ctx: Context): Promise<RequestValidator> {
  return transaction(ctx.db, async (em) => {
    const row = await lockRequestValidator(em, ctx, input.restApiId, input.requestValidatorId);
    const validator = applyPatches({ ...row.data }, input.patchOperations, requestValidatorPatchRules, standardPatchErrors(requestValidatorPatchRules));
    await em.getRepository(RequestValidatorEntity).update({ id: row.id }, { name: validator.name!, data: validator });
    return validator;
  });
}

async function DeleteRequestValidator(input: DeleteRequestValidatorRequest, ctx: Context): Promise<void> {
  await transaction(ctx.db, async (em) => {
    const row = await lockRequestValidator(em, ctx, input.restApiId, input.requestValidatorId);
    const methods = await em.getRepository(MethodEntity).findBy({ restApiId: row.restApiId, accountId: ctx.accountId });
    const user = methods.find((m) => m.data.requestValidatorId === row.id);
    if (user) {
      const resource = await em.getRepository(ResourceEntity).findOneBy({ id: user.resourceId });
      throw conflict(`Cannot delete request validator '${row.id}', is referenced in method: ${resource?.path}/${user.httpMethod}`);
    }
    await em.getRepository(RequestValidatorEntity).delete({ id: row.id });
  });
}

export const requestValidatorHandlers: Handlers = {
  CreateRequestValidator,
  GetRequestValidator,
  GetRequestValidators,
  UpdateRequestValidator,
  DeleteRequestValidator,
};
