// Who is calling: the PORTICO_AUTH modes of DESIGN.md on top of the SigV4 parsing and verification.
import type { Database } from '../db/data-source.js';
import { CredentialEntity } from './account/entity.js';
import { accountIdFor, checkScope, parseAuthorization, unrecognizedClient, verifySignature, type SignedRequest } from './protocol/sigv4.js';

export type Identity = { accountId: string; accessKeyId: string };
export type Authenticator = { mode: 'open' } | { mode: 'sigv4'; secretFor: (accessKeyId: string) => Promise<{ secret: string; accountId: string } | undefined> };

/** In `sigv4` mode the credential scope must also be right: the signing date, `apigateway` and `region`. */
export async function authenticate(authenticator: Authenticator, req: SignedRequest, region: string): Promise<Identity> {
  const auth = parseAuthorization(req);
  if (authenticator.mode === 'open') return { accountId: accountIdFor(auth.accessKeyId), accessKeyId: auth.accessKeyId };
  const credential = await authenticator.secretFor(auth.accessKeyId);
  if (!credential) throw unrecognizedClient();
  checkScope(auth, region);
  verifySignature(req, auth, credential.secret);
  return { accountId: credential.accountId, accessKeyId: auth.accessKeyId };
}

/** Stored credentials, with the bootstrap pair from the settings written on start-up. */
export async function sigv4Authenticator(db: Database, root: { accessKeyId?: string; secretAccessKey?: string }): Promise<Authenticator> {
  const repo = db.dataSource.getRepository(CredentialEntity);
  if (!root.accessKeyId || !root.secretAccessKey) {
    throw new Error('PORTICO_AUTH=sigv4 needs PORTICO_ROOT_ACCESS_KEY_ID and PORTICO_ROOT_SECRET_ACCESS_KEY');
  }
  await repo.save({ accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey, accountId: accountIdFor(root.accessKeyId) });
  return {
    mode: 'sigv4',
    secretFor: async (accessKeyId) => {
      const row = await repo.findOneBy({ accessKeyId });
      return row ? { secret: row.secretAccessKey, accountId: row.accountId } : undefined;
    },
  };
}
