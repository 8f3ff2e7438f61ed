// The part of the worker config that VPC links make: every link not being deleted, with its targets
// and when it becomes AVAILABLE (integrations through a PENDING link fail).
import type { EntityManager } from 'typeorm';
import type { VpcLinkConfig } from '../../shared/worker-config.js';
import type { VpcLinkData } from './entity.js';
import { availableAt } from './status.js';

/** Inside the caller's (repeatable-read) transaction, so that it agrees with the rest of the config. */
export async function vpcLinkWorkerConfig(em: EntityManager): Promise<VpcLinkConfig[]> {
  const rows: { id: string; account_id: string; created_date: Date; data: VpcLinkData }[] = await em.query(
    'SELECT id, account_id, created_date, data FROM vpc_links WHERE deleted_date IS NULL ORDER BY id',
  );
  return rows.map((r) => ({ id: r.id, accountId: r.account_id, targetArns: r.data.targetArns, availableAt: availableAt({ createdDate: new Date(r.created_date) }) }));
}
