// Tags of any taggable resource, keyed by its ARN within the account.
import { EntitySchema } from 'typeorm';

export type TagsRow = { accountId: string; resourceArn: string; tags: Record<string, string> };

export const TagsEntity = new EntitySchema<TagsRow>({
  name: 'Tags',
  tableName: 'tags',
  columns: {
    accountId: { type: 'char', primary: true, name: 'account_id' },
    resourceArn: { type: 'text', primary: true, name: 'resource_arn' },
    tags: { type: 'jsonb' },
  },
});
