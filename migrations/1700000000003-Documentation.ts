// Documentation parts of an API and the documentation versions that freeze them for publishing.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Documentation1700000000003 implements MigrationInterface {
  name = 'Documentation1700000000003';

  async up(q: QueryRunner): Promise<void> {
    // One part per location: the location's fields, defaults filled in, make up its key.
    await q.query(`
      CREATE TABLE documentation_parts (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        location_key text NOT NULL,
        created_seq bigserial NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX documentation_parts_location ON documentation_parts (rest_api_id, location_key)`);
    // A version keeps a copy of every part as it was when the version was made.
    await q.query(`
      CREATE TABLE documentation_versions (
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        version text NOT NULL,
        account_id char(12) NOT NULL,
        created_date timestamptz NOT NULL,
        description text,
        parts jsonb NOT NULL,
        PRIMARY KEY (rest_api_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE documentation_versions');
    await q.query('DROP TABLE documentation_parts');
  }
}
