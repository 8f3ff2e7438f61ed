// API keys, usage plans, the keys in each plan, the daily usage the workers report, and the
// remaining-quota adjustments UpdateUsage grants for a quota period.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeysUsagePlans1700000000002 implements MigrationInterface {
  name = 'ApiKeysUsagePlans1700000000002';

  async up(q: QueryRunner): Promise<void> {
    // The value's SHA-256 is what workers match `x-api-key` against; values are unique per account.
    await q.query(`
      CREATE TABLE api_keys (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        name text,
        value text NOT NULL,
        value_hash char(64) NOT NULL,
        customer_id text,
        created_date timestamptz NOT NULL,
        last_updated_date timestamptz NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_value ON api_keys (account_id, value_hash)`);
    await q.query(`CREATE INDEX api_keys_account ON api_keys (account_id, created_date, id)`);
    await q.query(`
      CREATE TABLE usage_plans (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        name text NOT NULL,
        created_date timestamptz NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX usage_plans_account ON usage_plans (account_id, created_date, id)`);
    await q.query(`
      CREATE TABLE usage_plan_keys (
        usage_plan_id varchar(32) NOT NULL REFERENCES usage_plans(id) ON DELETE CASCADE,
        key_id varchar(32) NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        account_id char(12) NOT NULL,
        created_date timestamptz NOT NULL,
        PRIMARY KEY (usage_plan_id, key_id)
      )`);
    await q.query(`CREATE INDEX usage_plan_keys_key ON usage_plan_keys (key_id)`);
    await q.query(`
      CREATE TABLE usage (
        usage_plan_id varchar(32) NOT NULL REFERENCES usage_plans(id) ON DELETE CASCADE,
        key_id varchar(32) NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        day date NOT NULL,
        account_id char(12) NOT NULL,
        used bigint NOT NULL,
        PRIMARY KEY (usage_plan_id, key_id, day)
      )`);
    await q.query(`
      CREATE TABLE usage_quota_adjustments (
        usage_plan_id varchar(32) NOT NULL REFERENCES usage_plans(id) ON DELETE CASCADE,
        key_id varchar(32) NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        period_start date NOT NULL,
        account_id char(12) NOT NULL,
        delta bigint NOT NULL,
        PRIMARY KEY (usage_plan_id, key_id, period_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['usage_quota_adjustments', 'usage', 'usage_plan_keys', 'usage_plans', 'api_keys']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
