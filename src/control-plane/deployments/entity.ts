// The Deployment row: an immutable snapshot of an API, with the method summary GetDeployment embeds.
import { EntitySchema } from 'typeorm';
import type { MethodSnapshot } from '../protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';

/** by resource path, then HTTP method, as AWS shapes `apiSummary` */
export type ApiSummary = Record<string, Record<string, MethodSnapshot>>;

export type DeploymentRow = {
  id: string;
  accountId: string;
  restApiId: string;
  createdDate: Date;
  description: string | null;
  apiSummary: ApiSummary;
  snapshot: DeploymentSnapshot;
};

export const DeploymentEntity = new EntitySchema<DeploymentRow>({
  name: 'Deployment',
  tableName: 'deployments',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    restApiId: { type: 'varchar', name: 'rest_api_id' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    description: { type: 'text', nullable: true },
    apiSummary: { type: 'jsonb', name: 'api_summary' },
    snapshot: { type: 'jsonb' },
  },
});
