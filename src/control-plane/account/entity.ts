// Per-account settings (GetAccount / UpdateAccount) and the credentials SigV4 verifies against.
import { EntitySchema } from 'typeorm';
import type { Account } from '../protocol/shapes.js';

export type AccountRow = { accountId: string; data: Account };
export type CredentialRow = { accessKeyId: string; secretAccessKey: string; accountId: string };

export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'Account',
  tableName: 'accounts',
  columns: {
    accountId: { type: 'char', primary: true, name: 'account_id' },
    data: { type: 'jsonb' },
  },
});

export const CredentialEntity = new EntitySchema<CredentialRow>({
  name: 'Credential',
  tableName: 'credentials',
  columns: {
    accessKeyId: { type: 'varchar', primary: true, name: 'access_key_id' },
    secretAccessKey: { type: 'text', name: 'secret_access_key' },
    accountId: { type: 'char', name: 'account_id' },
  },
});
