// The Stage row: a named pointer to a deployment, with the rest of the Stage shape as stored JSON.
import { EntitySchema } from 'typeorm';
import type { Stage } from '../protocol/shapes.js';

/** Stage members kept in `data`; status and tags are derived or stored elsewhere. */
export type StageData = Omit<Stage, 'deploymentId' | 'stageName' | 'createdDate' | 'lastUpdatedDate' | 'cacheClusterStatus' | 'tags'> & {
  /** not part of the Stage shape: bumped by FlushStageAuthorizersCache so that workers drop the stage's cached authorizer results */
  authorizersCacheEpoch?: number;
  /** not part of the Stage shape: bumped by FlushStageCache so that workers drop the stage's cached responses */
  cacheEpoch?: number;
};

export type StageRow = {
  restApiId: string;
  stageName: string;
  accountId: string;
  deploymentId: string;
  createdDate: Date;
  lastUpdatedDate: Date;
  data: StageData;
};

export const StageEntity = new EntitySchema<StageRow>({
  name: 'Stage',
  tableName: 'stages',
  columns: {
    restApiId: { type: 'varchar', primary: true, name: 'rest_api_id' },
    stageName: { type: 'varchar', primary: true, name: 'stage_name' },
    accountId: { type: 'char', name: 'account_id' },
    deploymentId: { type: 'varchar', name: 'deployment_id' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    lastUpdatedDate: { type: 'timestamptz', name: 'last_updated_date' },
    data: { type: 'jsonb' },
  },
});
