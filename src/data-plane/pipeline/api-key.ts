// API keys of methods with `apiKeyRequired`: the key comes from the `x-api-key` header, or from the
// Lambda authorizer's `usageIdentifierKey` when the API's `apiKeySource` is AUTHORIZER. A key that
// is missing, unknown, disabled, of another account, or neither in a usage plan for this stage nor
// a (legacy) stage key of it is refused with 403 Forbidden, as API Gateway does.
import type { UsagePlanConfig } from '../../shared/worker-config.js';
import type { CompiledStage } from '../compile/index.js';
import { apiKeyOf, planOf, stageId } from '../usage/compile.js';
import { firstValue, type InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

const forbidden = () => new GatewayError('INVALID_API_KEY', 'Forbidden', undefined, { errorType: 'ForbiddenException' });

/** What a key's value admits on a stage: the key and its usage plan, or nothing. */
type Admission = { id: string; usagePlan?: UsagePlanConfig } | undefined;

/**
 * Admissions by the values presented lately, per stage: the answer depends only on the config, which
 * a new CompiledStage replaces, so a value is hashed and looked up once rather than per request.
 */
const admissions = new WeakMap<CompiledStage, Map<string, Admission>>();
/** How many values a stage remembers before it starts over (unknown values count too). */
const REMEMBERED_VALUES = 10_000;

function admission(stage: CompiledStage, value: string): Admission {
  const { accountId, restApiId } = stage.deployment.snapshot;
  const key = stage.usage && apiKeyOf(stage.usage, value);
  if (!key || !key.enabled || key.accountId !== accountId) return undefined;
  const { stageName } = stage.config;
  const usagePlan = planOf(stage.usage!, key.id, restApiId, stageName);
  if (!usagePlan && !key.stageKeys.includes(stageId(restApiId, stageName))) return undefined;
  return { id: key.id, ...(usagePlan ? { usagePlan } : {}) };
}

export function apiKey(ctx: InvocationContext): void {
  const stage = ctx.stage;
  if (!stage || !ctx.method?.apiKeyRequired) return;
  const value = stage.deployment.snapshot.api.apiKeySource === 'AUTHORIZER' ? ctx.authorizer?.usageIdentifierKey : firstValue(ctx.headers, 'x-api-key');
  if (!value) throw forbidden();
  let known = admissions.get(stage);
  if (!known) admissions.set(stage, (known = new Map()));
  let admitted = known.get(value);
  if (admitted === undefined && !known.has(value)) {
    admitted = admission(stage, value);
    if (known.size >= REMEMBERED_VALUES) known.clear();
    known.set(value, admitted);
  }
  if (!admitted) throw forbidden();
  ctx.apiKey = { id: admitted.id, value, ...(admitted.usagePlan ? { usagePlan: admitted.usagePlan } : {}) };
}
