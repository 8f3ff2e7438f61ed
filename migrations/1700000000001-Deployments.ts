// Deployments (immutable snapshots of an API) and stages (named, configurable pointers to them).
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Deployments1700000000001 implements MigrationInterface {
  name = 'Deployments1700000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployments (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        created_date timestamptz NOT NULL,
        description text,
        api_summary jsonb NOT NULL,
        snapshot jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX deployments_api ON deployments (rest_api_id, created_date)`);
    // Deleting a deployment a stage points at is refused by the handler; the foreign key (checked at
    // the end of each statement) keeps it so, while letting DeleteRestApi cascade to both tables.
    await q.query(`
      CREATE TABLE stages (
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        stage_name varchar(128) NOT NULL,
        account_id char(12) NOT NULL,
        deployment_id varchar(32) NOT NULL REFERENCES deployments(id),
        created_date timestamptz NOT NULL,
        last_updated_date timestamptz NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (rest_api_id, stage_name)
      )`);
    await q.query(`CREATE INDEX stages_deployment ON stages (deployment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stages`);
    await q.query(`DROP TABLE deployments`);
  }
}
