// GetAccount and UpdateAccount: the account's CloudWatch role and its account-level throttle.
import { transaction } from '../../db/data-source.js';
import { bumpConfigVersion } from '../config-channel/version.js';
import { badRequest } from '../protocol/errors.js';
import type { Context, Handlers } from '../protocol/operation.js';
import { applyPatches, standardPatchErrors, type PatchRule } from '../protocol/patch.js';
import type { Account, UpdateAccountRequest } from '../protocol/shapes.js';
import { AccountEntity } from './entity.js';

/** API Gateway's default account-level throttle. */
const defaults = (): Account => ({
  throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  features: ['UsagePlans'],
  apiKeyVersion: '4',
});

async function GetAccount(_input: unknown, ctx: Context): Promise<Account> {
  const row = await ctx.db.dataSource.getRepository(AccountEntity).findOneBy({ accountId: ctx.accountId });
  return row?.data ?? defaults();
}

function number(value: string | undefined, path: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw badRequest(`Invalid value for ${path}: ${value ?? 'null'}`);
  return n;
}

const accountPatchRules: PatchRule<Account>[] = [
  { path: '/cloudwatchRoleArn', ops: ['replace'], apply: (account, op) => {
    if (!op.value) delete account.cloudwatchRoleArn;
    else if (!/^arn:aws:iam::\d{12}:role\/.+$/.test(op.value)) throw badRequest(`The role ARN is not well formed: ${op.value}`);
    else account.cloudwatchRoleArn = op.value;
  } },
  { path: '/throttle/rateLimit', ops: ['replace'], apply: (account, op) => {
    account.throttleSettings = { ...account.throttleSettings, rateLimit: number(op.value, op.path) };
  } },
  { path: '/throttle/burstLimit', ops: ['replace'], apply: (account, op) => {
    account.throttleSettings = { ...account.throttleSettings, burstLimit: Math.trunc(number(op.value, op.path)) };
  } },
  { path: '/features', ops: ['add', 'remove'], apply: (account, op) => {
    const features = new Set(account.features ?? []);
    if (op.op === 'add') features.add(op.value ?? '');
    else features.delete(op.value ?? '');
    account.features = [...features].filter(Boolean);
  } },
];

async function UpdateAccount(input: UpdateAccountRequest, ctx: Context): Promise<Account> {
  return transaction(ctx.db, async (em) => {
    const repo = em.getRepository(AccountEntity);
    // An account's first updates, run at once, would each find no row to lock: create it first, once.
    await repo.createQueryBuilder().insert().values({ accountId: ctx.accountId, data: defaults() }).orIgnore().execute();
    const row = await repo.findOneOrFail({ where: { accountId: ctx.accountId }, lock: { mode: 'pessimistic_write' } });
    applyPatches(row.data, input.patchOperations, accountPatchRules, standardPatchErrors(accountPatchRules));
    await repo.save(row);
    // Workers enforce the account-level throttle.
    await bumpConfigVersion(em);
    return row.data;
  });
}

export const accountHandlers: Handlers = { GetAccount, UpdateAccount };
