// The RestApi row: identity columns plus the API's settings as stored JSON.
import { EntitySchema } from 'typeorm';
import type { RestApi } from '../protocol/shapes.js';

export type RestApiRow = {
  id: string;
  accountId: string;
  name: string;
  createdDate: Date;
  rootResourceId: string;
  data: Omit<RestApi, 'id' | 'name' | 'createdDate' | 'rootResourceId' | 'tags'>;
};

export const RestApiEntity = new EntitySchema<RestApiRow>({
  name: 'RestApi',
  tableName: 'rest_apis',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    name: { type: 'text' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    rootResourceId: { type: 'varchar', name: 'root_resource_id' },
    data: { type: 'jsonb' },
  },
});
