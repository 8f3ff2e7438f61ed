// The ApiKey row: identity, value (and its SHA-256, which workers match on) and the rest as JSON.
import { EntitySchema } from 'typeorm';

export type ApiKeyData = {
  description?: string;
  enabled: boolean;
  /** legacy stage associations, `{restApiId}/{stageName}` */
  stageKeys: string[];
};

export type ApiKeyRow = {
  id: string;
  accountId: string;
  name: string | null;
  value: string;
  valueHash: string;
  customerId: string | null;
  createdDate: Date;
  lastUpdatedDate: Date;
  data: ApiKeyData;
};

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_keys',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    name: { type: 'text', nullable: true },
    value: { type: 'text' },
    valueHash: { type: 'char', name: 'value_hash' },
    customerId: { type: 'text', name: 'customer_id', nullable: true },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    lastUpdatedDate: { type: 'timestamptz', name: 'last_updated_date' },
    data: { type: 'jsonb' },
  },
});
