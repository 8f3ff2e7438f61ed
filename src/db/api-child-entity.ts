// Entity for an API-scoped thing stored as its wire shape (models, request validators, authorizers).
import { EntitySchema } from 'typeorm';

export type ApiChildRow<T> = { id: string; accountId: string; restApiId: string; name: string; data: T };

export function apiChildEntity<T>(name: string, tableName: string) {
  return new EntitySchema<ApiChildRow<T>>({
    name,
    tableName,
    columns: {
      id: { type: 'varchar', primary: true },
      accountId: { type: 'char', name: 'account_id' },
      restApiId: { type: 'varchar', name: 'rest_api_id' },
      name: { type: 'text' },
      data: { type: 'jsonb' },
    },
  });
}
