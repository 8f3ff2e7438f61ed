// The credentials an IAM role ARN stands for. There is no STS here to assume roles: the
// PORTICO_ROLE_CREDENTIALS setting maps a role ARN (the `credentials` of an integration, the
// `authorizerCredentials` of an authorizer) to the keys to sign with, and a role it does not list
// signs with the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN).
import { readFileSync } from 'node:fs';

export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type RoleCredentialsSettings = {
  /** role ARN → its credentials; the key `*` stands for any role not listed */
  roles: Record<string, AwsCredentials>;
  /** what a role that is not listed (or no role) signs with: the AWS_* variables, when set */
  fallback?: AwsCredentials;
};

const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;

function credentialsOf(role: string, value: unknown, name: string): AwsCredentials {
  const v = value as Partial<AwsCredentials> | null;
  if (typeof v?.accessKeyId !== 'string' || !v.accessKeyId || typeof v.secretAccessKey !== 'string' || !v.secretAccessKey) {
    throw new Error(`${name}: ${role} needs "accessKeyId" and "secretAccessKey" strings`);
  }
  if (v.sessionToken !== undefined && typeof v.sessionToken !== 'string') throw new Error(`${name}: ${role}: "sessionToken" must be a string`);
  return { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, ...(v.sessionToken ? { sessionToken: v.sessionToken } : {}) };
}

/**
 * Reads the setting: a JSON object `{"arn:aws:iam::123456789012:role/name": {"accessKeyId": ..., "secretAccessKey": ...,
 * "sessionToken"?: ...}}`, or the path of a file holding one. A malformed value stops the process saying what is wrong.
 */
export function parseRoleCredentials(raw: string | undefined, name = 'PORTICO_ROLE_CREDENTIALS'): Record<string, AwsCredentials> {
  if (!raw?.trim()) return {};
  let text = raw.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(text, 'utf8');
    } catch (err) {
      throw new Error(`${name}: cannot read ${text}: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${name} must be a JSON object mapping role ARNs to {"accessKeyId": ..., "secretAccessKey": ..., "sessionToken"?: ...}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} must be a JSON object`);
  return Object.fromEntries(Object.entries(parsed).map(([role, value]) => [role, credentialsOf(role, value, name)]));
}

export class RoleCredentials {
  constructor(private readonly settings: RoleCredentialsSettings) {}

  /**
   * The credentials to sign with for `roleArn` (stage variables in it resolved), or undefined when
   * there are none: the caller answers as AWS does for a role API Gateway cannot assume.
   */
  forRole(roleArn: string | undefined, stageVariables: Record<string, string> = {}): AwsCredentials | undefined {
    const role = roleArn?.replace(STAGE_VARIABLE, (_, name: string) => stageVariables[name] ?? '');
    const { roles, fallback } = this.settings;
    if (role && Object.hasOwn(roles, role)) return roles[role];
    if (role && Object.hasOwn(roles, '*')) return roles['*'];
    return fallback;
  }
}
