// Finding an account's usage plan, and the UsagePlan shape API Gateway answers with.
import type { EntityManager } from 'typeorm';
import { notFound } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { ApiStage, UsagePlan } from '../protocol/shapes.js';
import { UsagePlanEntity, type UsagePlanRow } from './entity.js';

export const usagePlanNotFound = () => notFound('Invalid Usage Plan ID specified');

export const usagePlanArn = (region: string, id: string) => `arn:aws:apigateway:${region}::/usageplans/${id}`;

/** `{apiId}:{stage}`, as patch values and messages name an API stage. */
export const apiStageId = (stage: Pick<ApiStage, 'apiId' | 'stage'>) => `${stage.apiId}:${stage.stage}`;

export async function findUsagePlan(em: EntityManager, ctx: Context, id: string, lock = false): Promise<UsagePlanRow> {
  const row = await em.getRepository(UsagePlanEntity).findOne({
    where: { id, accountId: ctx.accountId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!row) throw usagePlanNotFound();
  return row;
}

/** Stages show their method throttles only when there are some; `tags` when given. */
export function toUsagePlan(row: UsagePlanRow, tags?: Record<string, string>): UsagePlan {
  const { apiStages = [], ...rest } = row.data;
  return {
    id: row.id,
    name: row.name,
    ...rest,
    apiStages: apiStages.map(({ apiId, stage, throttle }) => ({ apiId, stage, ...(throttle && Object.keys(throttle).length ? { throttle } : {}) })),
    ...(tags ? { tags } : {}),
  };
}
