// Reading and writing the tags of a taggable resource, inside the caller's transaction.
import type { EntityManager } from 'typeorm';
import { TagsEntity } from './entity.js';

export async function readTags(em: EntityManager, accountId: string, resourceArn: string): Promise<Record<string, string>> {
  const row = await em.getRepository(TagsEntity).findOneBy({ accountId, resourceArn });
  return row?.tags ?? {};
}

export async function writeTags(em: EntityManager, accountId: string, resourceArn: string, tags: Record<string, string>): Promise<void> {
  const repo = em.getRepository(TagsEntity);
  if (Object.keys(tags).length === 0) await repo.delete({ accountId, resourceArn });
  else await repo.upsert({ accountId, resourceArn, tags }, ['accountId', 'resourceArn']);
}

export async function deleteTags(em: EntityManager, accountId: string, resourceArn: string): Promise<void> {
  await em.getRepository(TagsEntity).delete({ accountId, resourceArn });
}
