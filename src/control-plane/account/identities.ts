// The credentials AWS_IAM methods of deployed APIs accept, handed to workers in their config (they
// have no database): in `sigv4` mode every stored credential (the root of its account) plus the IAM
// users of PORTICO_IAM_IDENTITIES_FILE; in `open` mode the file's users only, since unknown keys are
// accepted there anyway. Read once at start-up; error messages never quote a secret.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthMode } from '../../config.js';
import type { Database } from '../../db/data-source.js';
import type { IamIdentity, WorkerIdentities } from '../../shared/worker-config.js';
import { CredentialEntity } from './entity.js';

const ACCOUNT_ID = /^\d{12}$/;
const ACCESS_KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;

const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** A stable unique id in AWS's style (`AIDA...`) for a user the file gives none. */
const userIdFor = (arn: string) => `AIDA${createHash('sha256').update(arn).digest('hex').toUpperCase().slice(0, 17)}`;

function identityFromFile(entry: unknown, where: string): IamIdentity {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where}: an identity must be a JSON object`);
  const e = entry as Record<string, unknown>;
  if (typeof e.accessKeyId !== 'string' || !ACCESS_KEY_ID.test(e.accessKeyId)) throw new Error(`${where}: accessKeyId must be 1-128 letters, digits, _ or -`);
  if (typeof e.secretAccessKey !== 'string' || e.secretAccessKey === '') throw new Error(`${where}: secretAccessKey must be a non-empty string`);
  if (typeof e.accountId !== 'string' || !ACCOUNT_ID.test(e.accountId)) throw new Error(`${where}: accountId must be 12 digits`);
  const accountId = e.accountId;
  let arn: string;
  let userName: string | undefined;
  if (typeof e.arn === 'string') {
    const m = /^arn:aws:iam::(\d{12}):(root|user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))$/.exec(e.arn);
    if (!m || m[1] !== accountId) throw new Error(`${where}: arn must be arn:aws:iam::${accountId}:user/{name} or arn:aws:iam::${accountId}:root`);
    arn = e.arn;
    userName = m[3];
  } else if (typeof e.userName === 'string' && /^[\w+=,.@-]{1,64}$/.test(e.userName)) {
    userName = e.userName;
    arn = `arn:aws:iam::${accountId}:user/${userName}`;
  } else {
    throw new Error(`${where}: give the user's userName (1-64 of letters, digits and +=,.@_-) or its arn`);
  }
  const policies = e.policies === undefined ? [] : e.policies;
  if (!Array.isArray(policies)) throw new Error(`${where}: policies must be a list of policy documents`);
  const documents = policies.map((p, i) => {
    const doc = typeof p === 'string' ? safeJson(p) : p;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${where}: policies[${i}] must be a policy document`);
    return doc;
  });
  const principalId = typeof e.userId === 'string' && e.userId ? e.userId : userName === undefined ? accountId : userIdFor(arn);
  return { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey, accountId, arn, principalId, ...(userName ? { userName } : {}), policies: documents };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads `[{accessKeyId, secretAccessKey, accountId, userName | arn, userId?, policies?}]`. */
export function readIdentitiesFile(path: string): IamIdentity[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`PORTICO_IAM_IDENTITIES_FILE ${path} is not readable JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`PORTICO_IAM_IDENTITIES_FILE ${path} must hold a JSON list of identities`);
  const identities = parsed.map((entry, i) => identityFromFile(entry, `PORTICO_IAM_IDENTITIES_FILE ${path} [${i}]`));
  const seen = new Set<string>();
  for (const identity of identities) {
    if (seen.has(identity.accessKeyId)) throw new Error(`PORTICO_IAM_IDENTITIES_FILE ${path}: access key ${identity.accessKeyId} appears twice`);
    seen.add(identity.accessKeyId);
  }
  return identities;
}

/** What workers verify AWS_IAM methods against. */
export async function workerIdentities(db: Database, mode: AuthMode, identitiesFile: string | undefined): Promise<WorkerIdentities> {
  const users = identitiesFile ? readIdentitiesFile(identitiesFile) : [];
  if (mode === 'open') return { mode, credentials: users };
  const stored = await db.dataSource.getRepository(CredentialEntity).find();
  const roots: IamIdentity[] = stored
    .filter((row) => !users.some((u) => u.accessKeyId === row.accessKeyId))
    .map((row) => ({
      accessKeyId: row.accessKeyId,
      secretAccessKey: row.secretAccessKey,
      accountId: row.accountId,
      arn: rootArn(row.accountId),
      principalId: row.accountId,
      policies: [],
    }));
  return { mode, credentials: [...roots, ...users] };
}
