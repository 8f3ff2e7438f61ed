// The global config version: every change that affects what workers serve bumps it in the same
// transaction, and the commit notifies every control-plane replica (LISTEN/NOTIFY) to wake workers.
import type { EntityManager } from 'typeorm';

export const CONFIG_CHANNEL = 'portico_config';

export async function bumpConfigVersion(em: EntityManager): Promise<number> {
  // As a SELECT (TypeORM answers an UPDATE ... RETURNING as [rows, count]).
  const rows: { version: string }[] = await em.query('WITH bumped AS (UPDATE config_state SET version = version + 1 WHERE id = 1 RETURNING version) SELECT version FROM bumped');
  const version = Number(rows[0]!.version);
  await em.query(`SELECT pg_notify($1, $2)`, [CONFIG_CHANNEL, String(version)]);
  return version;
}
