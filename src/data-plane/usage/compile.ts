// What the api-key and throttle steps look up, compiled once per config: API keys by the SHA-256 of
// their value, the usage plan each key is used under on each stage, and account-level throttles.
// Configs cached by older workers may lack keys, plans or account throttles: they count as none.
import { createHash } from 'node:crypto';
import type { ApiKeyConfig, ThrottleConfig, UsagePlanConfig, WorkerConfig } from '../../shared/worker-config.js';

/** API Gateway's default account-level throttle, per Region. */
export const DEFAULT_ACCOUNT_THROTTLE: Readonly<ThrottleConfig> = { rateLimit: 10000, burstLimit: 5000 };

export type CompiledUsage = {
  /** by the lower-case hex SHA-256 of the key's value */
  apiKeys: Map<string, ApiKeyConfig>;
  /** by `{keyId} {restApiId}/{stageName}`: the plan a key is used under on a stage */
  plans: Map<string, UsagePlanConfig>;
  /** by account id; accounts not listed have DEFAULT_ACCOUNT_THROTTLE */
  accountThrottles: Map<string, ThrottleConfig>;
};

export const stageId = (restApiId: string, stageName: string): string => `${restApiId}/${stageName}`;

export function compileUsage(config: Partial<Pick<WorkerConfig, 'apiKeys' | 'usagePlans' | 'accountThrottles'>>): CompiledUsage {
  const apiKeys = config.apiKeys ?? [];
  const plansById = new Map((config.usagePlans ?? []).map((p) => [p.id, p]));
  const plans = new Map<string, UsagePlanConfig>();
  for (const key of apiKeys) {
    for (const planId of key.usagePlanIds) {
      const plan = plansById.get(planId);
      // A key is in at most one plan per stage (CreateUsagePlanKey refuses a second); the first wins regardless.
      for (const s of plan?.apiStages ?? []) {
        const id = `${key.id} ${stageId(s.restApiId, s.stageName)}`;
        if (!plans.has(id)) plans.set(id, plan!);
      }
    }
  }
  return {
    apiKeys: new Map(apiKeys.map((k) => [k.valueHash, k])),
    plans,
    accountThrottles: new Map(Object.entries(config.accountThrottles ?? {})),
  };
}

/** The key whose value a client presented, if any. */
export const apiKeyOf = (usage: CompiledUsage, value: string): ApiKeyConfig | undefined => usage.apiKeys.get(createHash('sha256').update(value).digest('hex'));

/** The plan `key` is used under on a stage, if any. */
export const planOf = (usage: CompiledUsage, keyId: string, restApiId: string, stageName: string): UsagePlanConfig | undefined =>
  usage.plans.get(`${keyId} ${stageId(restApiId, stageName)}`);
