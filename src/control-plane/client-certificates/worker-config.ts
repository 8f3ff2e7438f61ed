// The part of the worker config that client certificates make: those a stage uses, with their
// private keys (a secret that travels to workers, which present it to HTTPS backends).
import type { EntityManager } from 'typeorm';
import type { ClientCertificateConfig } from '../../shared/worker-config.js';

/** Inside the caller's (repeatable-read) transaction, so that it agrees with the rest of the config. */
export async function clientCertificateWorkerConfig(em: EntityManager): Promise<ClientCertificateConfig[]> {
  const rows: { id: string; account_id: string; certificate_pem: string; private_key_pem: string }[] = await em.query(
    `SELECT DISTINCT c.id, c.account_id, c.certificate_pem, c.private_key_pem FROM client_certificates c
       JOIN stages s ON s.data->>'clientCertificateId' = c.id AND s.account_id = c.account_id ORDER BY c.id`,
  );
  return rows.map((r) => ({ id: r.id, accountId: r.account_id, certificatePem: r.certificate_pem, privateKeyPem: r.private_key_pem }));
}
