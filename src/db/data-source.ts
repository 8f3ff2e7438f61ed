// The database connection (TypeORM over pg): production Postgres at DATABASE_URL, or the embedded
// PGlite. Migrations run at start-up under an advisory lock, so replicas starting together are safe.
import { DataSource, type EntityManager, type EntitySchema } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

export type Database = { dataSource: DataSource; embedded: boolean };

const MIGRATION_LOCK = 4567_0001;

export async function openDatabase(url: string, embedded: boolean): Promise<Database> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: entities as EntitySchema[],
    migrations,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    // PGlite is a single-connection database: one pooled connection serializes all work on it.
    extra: embedded ? { max: 1 } : { max: 10, connectionTimeoutMillis: 5000 },
  });
  await dataSource.initialize();
  if (embedded) {
    // One process owns the embedded database, and its single connection cannot hold a lock meanwhile.
    await dataSource.runMigrations();
    return { dataSource, embedded };
  }
  const lock = dataSource.createQueryRunner();
  await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await dataSource.runMigrations();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await lock.release();
  }
  return { dataSource, embedded };
}

/** Runs `work` in one transaction: every multi-row change goes through here. */
export function transaction<T>(db: Database, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return db.dataSource.transaction(work);
}
