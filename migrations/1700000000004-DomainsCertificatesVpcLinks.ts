// Custom domain names with their base path mappings and access associations, client certificates
// (the private key stays here and on the workers that present it), and VPC links.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DomainsCertificatesVpcLinks1700000000004 implements MigrationInterface {
  name = 'DomainsCertificatesVpcLinks1700000000004';

  async up(q: QueryRunner): Promise<void> {
    // `id` is the domainNameId of a private domain name and the `d-{id}` of a regional one. Workers
    // route public names by Host, so a public name belongs to one account; private names may repeat.
    await q.query(`
      CREATE TABLE domain_names (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        domain_name text NOT NULL,
        private boolean NOT NULL,
        created_date timestamptz NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX domain_names_public ON domain_names (lower(domain_name)) WHERE NOT private`);
    await q.query(`CREATE INDEX domain_names_account ON domain_names (account_id, domain_name)`);
    // `(none)` is stored as the empty base path.
    await q.query(`
      CREATE TABLE base_path_mappings (
        domain_id varchar(32) NOT NULL REFERENCES domain_names(id) ON DELETE CASCADE,
        base_path text NOT NULL,
        account_id char(12) NOT NULL,
        rest_api_id varchar(32) NOT NULL REFERENCES rest_apis(id) ON DELETE CASCADE,
        stage text,
        PRIMARY KEY (domain_id, base_path)
      )`);
    await q.query(`CREATE INDEX base_path_mappings_api ON base_path_mappings (rest_api_id)`);
    await q.query(`
      CREATE TABLE domain_name_access_associations (
        arn text PRIMARY KEY,
        account_id char(12) NOT NULL,
        domain_id varchar(32) NOT NULL REFERENCES domain_names(id) ON DELETE CASCADE,
        domain_account_id char(12) NOT NULL,
        source_type varchar(16) NOT NULL,
        source text NOT NULL,
        created_date timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX domain_name_access_associations_source ON domain_name_access_associations (domain_id, source_type, source)`);
    await q.query(`CREATE INDEX domain_name_access_associations_account ON domain_name_access_associations (account_id)`);
    await q.query(`
      CREATE TABLE client_certificates (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        description text,
        certificate_pem text NOT NULL,
        private_key_pem text NOT NULL,
        created_date timestamptz NOT NULL,
        expiration_date timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX client_certificates_account ON client_certificates (account_id, created_date, id)`);
    // A deleted link stays (DELETING) until `deleted_date` plus the provisioning delay has passed.
    await q.query(`
      CREATE TABLE vpc_links (
        id varchar(32) PRIMARY KEY,
        account_id char(12) NOT NULL,
        name text NOT NULL,
        created_date timestamptz NOT NULL,
        deleted_date timestamptz,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX vpc_links_account ON vpc_links (account_id, created_date, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['vpc_links', 'client_certificates', 'domain_name_access_associations', 'base_path_mappings', 'domain_names']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
