// What a usage plan limits and where: its API stages (which must exist), throttles (plan-wide and
// per method) and quota, checked and normalized as API Gateway shows them.
import type { EntityManager } from 'typeorm';
import { MAX_QUOTA_OFFSET } from '../../shared/quota.js';
import { badRequest, notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { ApiStage, QuotaSettings, ThrottleSettings } from '../protocol/shapes.js';
import { StageEntity } from '../stages/entity.js';
import { apiStageId } from './lookup.js';

export const invalidApiStage = () => badRequest('Invalid API Stage specified');
// API Gateway answers a stage without an API id or a stage name with this template, unformatted.
const blankApiStage = () => badRequest('Invalid API Stage {api: %s, stage: %s} specified for usageplan %s');
const apiStageNotFound = (stage: ApiStage) => badRequest(`API Stage not found: ${apiStageId(stage)}`);
export const apiStageNotInPlan = (planId: string, apiId: string, stage: string) =>
  notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${planId}`);

/** `{apiId}:{stage}` of a patch value. */
export function parseApiStage(value: string | undefined): { apiId: string; stage: string } {
  const match = /^([^:]+):(.+)$/.exec(value ?? '');
  if (!match) throw invalidApiStage();
  return { apiId: match[1]!, stage: match[2]! };
}

/** Every stage must exist in the caller's account. */
export async function checkApiStagesExist(em: EntityManager, ctx: Context, stages: ApiStage[]): Promise<void> {
  for (const stage of stages) {
    if (!stage.apiId || !stage.stage) throw blankApiStage();
    const exists = await em.getRepository(StageEntity).existsBy({ restApiId: stage.apiId, stageName: stage.stage, accountId: ctx.accountId });
    if (!exists) throw apiStageNotFound(stage);
  }
}

export function normalizeThrottle(throttle: ThrottleSettings): Required<ThrottleSettings> {
  const burstLimit = throttle.burstLimit ?? 0;
  const rateLimit = throttle.rateLimit ?? 0;
  if (burstLimit < 0 || rateLimit < 0 || !Number.isFinite(rateLimit)) throw badRequest('Throttle rateLimit and burstLimit must not be negative');
  return { burstLimit, rateLimit };
}

export function normalizeQuota(quota: QuotaSettings): Required<QuotaSettings> {
  const { limit, period, offset = 0 } = quota;
  if (limit === undefined || !Number.isInteger(limit) || limit < 0) throw badRequest('Quota limit must be a non-negative integer');
  if (period === undefined) throw badRequest('Quota period must be one of: [DAY, WEEK, MONTH]');
  const max = MAX_QUOTA_OFFSET[period];
  if (!Number.isInteger(offset) || offset < 0 || offset > max) throw badRequest(`Quota offset for a ${period} period must be between 0 and ${max}`);
  return { limit, offset, period };
}

/** `{resourcePath}/{httpMethod}`, the key of a method throttle (`/pets/GET`, `//GET` for the root). */
export function methodThrottleKey(resourcePath: string, httpMethod: string): string {
  const path = resourcePath.startsWith('/') ? resourcePath : `/${resourcePath}`;
  if (!/^([A-Z]+|\*)$/.test(httpMethod)) throw badRequest(`Invalid method throttle path: ${path}/${httpMethod}`);
  return `${path}/${httpMethod}`;
}

function normalizeMethodThrottles(throttle: Record<string, ThrottleSettings> | undefined): Record<string, Required<ThrottleSettings>> {
  const out: Record<string, Required<ThrottleSettings>> = {};
  for (const [key, settings] of Object.entries(throttle ?? {})) {
    const match = /^(.*)\/([^/]+)$/.exec(key);
    if (!match) throw badRequest(`Invalid method throttle path: ${key}`);
    out[methodThrottleKey(match[1]!, match[2]!)] = normalizeThrottle(settings);
  }
  return out;
}

/** The stages as given, each once, with their method throttles normalized. */
export function normalizeApiStages(stages: ApiStage[]): ApiStage[] {
  const seen = new Map<string, ApiStage>();
  for (const stage of stages) {
    const throttle = normalizeMethodThrottles(stage.throttle);
    seen.set(apiStageId(stage), { apiId: stage.apiId, stage: stage.stage, ...(Object.keys(throttle).length ? { throttle } : {}) });
  }
  return [...seen.values()];
}
