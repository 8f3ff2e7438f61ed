// Lambda function names as the Invoke API accepts them — `name`, `name:qualifier`,
// `{account}:function:name[:qualifier]` or the full ARN — reduced to the function they name.

export type FunctionRef = {
  /** the function name: also the directory of its code under PORTICO_FUNCTIONS_DIR */
  name: string;
  qualifier?: string;
  region: string;
  accountId: string;
  /** the unqualified ARN, as Lambda names a function in its errors */
  arn: string;
};

// Lambda's own pattern for a function name; it also keeps a name from ever escaping the functions directory.
const NAME = '[a-zA-Z0-9_-]{1,64}';
const QUALIFIER = '(?:\\$LATEST|[a-zA-Z0-9_-]{1,128})';
const FULL_ARN = new RegExp(`^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const PARTIAL_ARN = new RegExp(`^(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const BARE_NAME = new RegExp(`^(${NAME})(?::(${QUALIFIER}))?$`);

/** The account of a function named without one, as the management API's default account. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

export const functionArn = (region: string, accountId: string, name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

/** The function a FunctionName names; `defaults` fill in what a name or partial ARN leaves out. Undefined when malformed. */
export function parseFunctionName(value: string, defaults: { region: string; accountId: string }): FunctionRef | undefined {
  let region = defaults.region;
  let accountId = defaults.accountId;
  let name: string | undefined;
  let qualifier: string | undefined;
  const full = FULL_ARN.exec(value);
  const partial = full ? null : PARTIAL_ARN.exec(value);
  const bare = full || partial ? null : BARE_NAME.exec(value);
  if (full) [, region, accountId, name, qualifier] = full as unknown as [string, string, string, string, string | undefined];
  else if (partial) [, accountId, name, qualifier] = partial as unknown as [string, string, string, string | undefined];
  else if (bare) [, name, qualifier] = bare as unknown as [string, string, string | undefined];
  if (!name) return undefined;
  return { name, ...(qualifier ? { qualifier } : {}), region, accountId, arn: functionArn(region, accountId, name) };
}

const INVOCATIONS_URI = /^arn:aws[a-zA-Z-]*:apigateway:[^:]*:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;

/**
 * The function a Lambda integration (or authorizer) URI names —
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations` — with its
 * stage variables resolved. Undefined when the URI names no function.
 */
export function functionArnOfUri(uri: string, stageVariables: Record<string, string>): string | undefined {
  const match = INVOCATIONS_URI.exec(uri.replace(STAGE_VARIABLE, (_, name: string) => stageVariables[name] ?? ''));
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return match[1];
  }
}
