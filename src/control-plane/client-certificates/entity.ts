// The ClientCertificate row: the certificate API Gateway presents to HTTP backends, and its private
// key, which never leaves the control plane except to the workers that present it.
import { EntitySchema } from 'typeorm';

export type ClientCertificateRow = {
  id: string;
  accountId: string;
  description: string | null;
  certificatePem: string;
  privateKeyPem: string;
  createdDate: Date;
  expirationDate: Date;
};

export const ClientCertificateEntity = new EntitySchema<ClientCertificateRow>({
  name: 'ClientCertificate',
  tableName: 'client_certificates',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    description: { type: 'text', nullable: true },
    certificatePem: { type: 'text', name: 'certificate_pem' },
    privateKeyPem: { type: 'text', name: 'private_key_pem' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    expirationDate: { type: 'timestamptz', name: 'expiration_date' },
  },
});
