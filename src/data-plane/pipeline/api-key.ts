// API keys of methods with `apiKeyRequired`: the key comes from the `x-api-key` header, or from the
// Lambda authorizer's `usageIdentifierKey` when the API's `apiKeySource` is AUTHORIZER. A key that
// is missing, unknown, disabled, of another account, or neither in a usage plan for this stage nor
// a (legacy) stage key of it is refused with 403 Forbidden, as API Gateway does.
import { apiKeyOf, planOf, stageId } from '../usage/compile.js';
import { firstValue, type InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

const forbidden = () => new GatewayError('INVALID_API_KEY', 'Forbidden', undefined, { errorType: 'ForbiddenException' });

export function apiKey(ctx: InvocationContext): void {
  const stage = ctx.stage;
  if (!stage || !ctx.method?.apiKeyRequired) return;
  const { api, accountId, restApiId } = stage.deployment.snapshot;
  const value = api.apiKeySource === 'AUTHORIZER' ? ctx.authorizer?.usageIdentifierKey : firstValue(ctx.headers, 'x-api-key');
  if (!value) throw forbidden();
  const key = stage.usage && apiKeyOf(stage.usage, value);
  if (!key || !key.enabled || key.accountId !== accountId) throw forbidden();
  const { stageName } = stage.config;
  const usagePlan = planOf(stage.usage!, key.id, restApiId, stageName);
  if (!usagePlan && !key.stageKeys.includes(stageId(restApiId, stageName))) throw forbidden();
  ctx.apiKey = { id: key.id, value, ...(usagePlan ? { usagePlan } : {}) };
}
