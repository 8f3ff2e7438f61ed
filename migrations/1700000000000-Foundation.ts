// The REST API model: APIs, resources, methods (with their responses and integration), models,
// request validators, authorizers, gateway responses, tags, account settings, credentials,
// and the global config version the workers follow.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1700000000000 implements MigrationInterface {
  name = 'Foundation1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rest_apis (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        name text NOT NULL,
        created_date timestamptz NOT NULL,
        root_resource_id varchar(32) NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX rest_apis_account ON rest_apis (account_id, created_date, id)`);
    await q.query(`
      CREATE TABLE resources (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        parent_id varchar(32) REFERENCES resources(id) ON DELETE CASCADE,
        path_part text,
        path text NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX resources_path ON resources (rest_api_id, path)`);
    await q.query(`CREATE INDEX resources_parent ON resources (parent_id)`);
    await q.query(`
      CREATE TABLE methods (
        resource_id varchar(32) NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
        http_method varchar(16) NOT NULL,
        account_id char(12) NOT NULL,
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        data jsonb NOT NULL,
        PRIMARY KEY (resource_id, http_method)
      )`);
    await q.query(`CREATE INDEX methods_api ON methods (rest_api_id)`);
    for (const table of ['models', 'request_validators', 'authorizers']) {
      await q.query(`
        CREATE TABLE ${table} (
          id varchar(32) PRIMARY KEY,
          account_id char(12) NOT NULL,
          rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
          name text NOT NULL,
          data jsonb NOT NULL
        )`);
      await q.query(`CREATE INDEX ${table}_api ON ${table} (rest_api_id, name)`);
    }
    await q.query(`CREATE UNIQUE INDEX models_name ON models (rest_api_id, name)`);
    await q.query(`
      CREATE TABLE gateway_responses (
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        response_type varchar(64) NOT NULL,
        account_id char(12) NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (rest_api_id, response_type)
      )`);
    await q.query(`
      CREATE TABLE tags (
        account_id char(12) NOT NULL,
        resource_arn text NOT NULL,
        tags jsonb NOT NULL,
        PRIMARY KEY (account_id, resource_arn)
      )`);
    await q.query(`CREATE TABLE accounts (account_id char(12) PRIMARY KEY, data jsonb NOT NULL)`);
    await q.query(`
      CREATE TABLE credentials (
        access_key_id varchar(128) PRIMARY KEY,
        secret_access_key text NOT NULL,
        account_id char(12) NOT NULL
      )`);
    await q.query(`CREATE TABLE config_state (id int PRIMARY KEY, version bigint NOT NULL)`);
    await q.query(`INSERT INTO config_state (id, version) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['config_state', 'credentials', 'accounts', 'tags', 'gateway_responses', 'authorizers', 'request_validators', 'models', 'methods', 'resources', 'rest_apis']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
