// The Resource row: one node of an API's path tree, with its full path kept up to date.
import { EntitySchema } from 'typeorm';

export type ResourceRow = {
  id: string;
  accountId: string;
  restApiId: string;
  parentId: string | null;
  pathPart: string | null;
  path: string;
};

export const ResourceEntity = new EntitySchema<ResourceRow>({
  name: 'Resource',
  tableName: 'resources',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    restApiId: { type: 'varchar', name: 'rest_api_id' },
    parentId: { type: 'varchar', name: 'parent_id', nullable: true },
    pathPart: { type: 'text', name: 'path_part', nullable: true },
    path: { type: 'text' },
  },
});
