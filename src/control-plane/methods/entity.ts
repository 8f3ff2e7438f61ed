// The Method row: a method of a resource with its method responses, integration and integration
// responses stored together as the Method shape, so that each change to them is one row write.
import { EntitySchema } from 'typeorm';
import type { Method } from '../protocol/shapes.js';

export type MethodRow = {
  resourceId: string;
  httpMethod: string;
  accountId: string;
  restApiId: string;
  data: Method;
};

export const MethodEntity = new EntitySchema<MethodRow>({
  name: 'Method',
  tableName: 'methods',
  columns: {
    resourceId: { type: 'varchar', primary: true, name: 'resource_id' },
    httpMethod: { type: 'varchar', primary: true, name: 'http_method' },
    accountId: { type: 'char', name: 'account_id' },
    restApiId: { type: 'varchar', name: 'rest_api_id' },
    data: { type: 'jsonb' },
  },
});
