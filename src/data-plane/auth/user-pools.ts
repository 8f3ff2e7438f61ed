// Where the user pools that COGNITO_USER_POOLS authorizers name live. PORTICO_COGNITO_USER_POOLS maps
// a pool ARN to an OIDC issuer (any provider that signs RS256 JWTs, e.g. a local Cognito emulator);
// a pool it does not list is Amazon Cognito's own, at https://cognito-idp.{region}.amazonaws.com/{poolId}.

export type UserPoolSetting = {
  /** the `iss` of the pool's tokens */
  issuer: string;
  /** where its signing keys are; default `{issuer}/.well-known/jwks.json` */
  jwksUri?: string;
  /** the app clients whose tokens are accepted (`aud` of id tokens, `client_id` of access tokens); any when unset */
  clientIds?: string[];
};

export type UserPoolSettings = Record<string, UserPoolSetting>;

export type UserPool = { arn: string; issuer: string; jwksUri: string; clientIds?: string[] };

const USER_POOL_ARN = /^arn:aws:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+)$/;

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Reads the setting's JSON; a malformed value stops the process with a message saying what is wrong. */
export function parseUserPoolSettings(raw: string | undefined, name = 'PORTICO_COGNITO_USER_POOLS'): UserPoolSettings {
  if (!raw?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be a JSON object mapping user pool ARNs to {"issuer": ..., "jwksUri"?: ..., "clientIds"?: [...]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} must be a JSON object`);
  const settings: UserPoolSettings = {};
  for (const [arn, value] of Object.entries(parsed)) {
    if (!USER_POOL_ARN.test(arn)) throw new Error(`${name}: ${arn} is not a user pool ARN (arn:aws:cognito-idp:{region}:{account}:userpool/{id})`);
    const v = value as Partial<UserPoolSetting> | null;
    if (typeof v?.issuer !== 'string' || !v.issuer) throw new Error(`${name}: ${arn} needs an "issuer"`);
    if (v.jwksUri !== undefined && typeof v.jwksUri !== 'string') throw new Error(`${name}: ${arn}: "jwksUri" must be a string`);
    if (v.clientIds !== undefined && !isStringList(v.clientIds)) throw new Error(`${name}: ${arn}: "clientIds" must be a list of strings`);
    settings[arn] = { issuer: v.issuer, ...(v.jwksUri ? { jwksUri: v.jwksUri } : {}), ...(v.clientIds ? { clientIds: v.clientIds } : {}) };
  }
  return settings;
}

export function userPool(arn: string, settings: UserPoolSettings): UserPool | undefined {
  const setting = settings[arn];
  if (setting) {
    const { issuer } = setting;
    const jwksUri = setting.jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
    return { arn, issuer, jwksUri, ...(setting.clientIds ? { clientIds: setting.clientIds } : {}) };
  }
  const m = USER_POOL_ARN.exec(arn);
  if (!m) return undefined;
  const issuer = `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}`;
  return { arn, issuer, jwksUri: `${issuer}/.well-known/jwks.json` };
}
