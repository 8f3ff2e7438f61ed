// The IAM Access Policy Language as API Gateway evaluates it: one engine for resource policies,
// identity (IAM) policies and the policies Lambda authorizers return. compilePolicy() validates and
// precompiles a document once (per deployment or per cached authorizer result); evaluate() answers
// Allow / Deny / NotApplicable for one request: an explicit Deny wins over any Allow, and no
// matching statement is NotApplicable (an implicit deny; the caller decides what that means).
//
// Matching rules, as IAM applies them:
// - Action/NotAction: `service:action`, case-insensitive, `*` and `?` wildcards.
// - Resource/NotResource: ARNs matched per colon-delimited segment, case-sensitive, `*` and `?`
//   within a segment; a `*` ending the last given segment also spans the colons after it; `*` alone
//   matches everything. `execute-api:/stage/VERB/path` is API Gateway's shorthand in resource
//   policies for the API's own ARN (expanded when compile options name the API).
// - Principal/NotPrincipal: `"*"`, `{"AWS": "*"}`, account ids or `arn:aws:iam::{account}:root`
//   (any caller of that account), or exact principal ARNs. An absent Principal (identity and
//   authorizer policies) applies to the caller. Anonymous callers match only `*`.
// - Condition: AND across operators and keys, OR across a key's values (NOR for negated operators),
//   keys case-insensitive; ...IfExists, Null, ForAnyValue:/ForAllValues:; a missing key fails a
//   positive operator and passes a negated one. Policy variables (`${aws:username}`, `${key, 'default'}`,
//   `${*}`, `${?}`, `${$}`) in Resource and string/ARN condition values for Version 2012-10-17.
import { isIPv4, isIPv6 } from 'node:net';

export type PolicyStatement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
export type PolicyDocument = { Version?: string; Id?: string; Statement: PolicyStatement | PolicyStatement[] };
export type PolicyRequest = {
  /** e.g. `execute-api:Invoke` */
  action: string;
  /** e.g. `arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets` */
  resource: string;
  /** The caller: principal ARNs and/or account ids; absent for anonymous callers. */
  principal?: { aws?: string[] };
  /** Condition keys (`aws:SourceIp`, `aws:PrincipalAccount`, `aws:username`, ...); absent = undefined. */
  conditions: Record<string, string | string[] | undefined>;
};
export type PolicyDecision = 'Allow' | 'Deny' | 'NotApplicable';

export type CompilePolicyOptions = {
  /** Resource policies must name a Principal or NotPrincipal in every statement. */
  requirePrincipal?: boolean;
  /** Expands the `execute-api:/...` shorthand to this API's ARN. */
  api?: { region: string; accountId: string; restApiId: string; partition?: string };
};

export class PolicySyntaxError extends Error {
  override name = 'PolicySyntaxError';
}

export type CompiledPolicy = { readonly version: string; readonly statements: readonly CompiledStatement[] };

type Token = { lit: string } | { star: true } | { one: true } | { variable: string; fallback?: string };
/** A wildcard pattern flattened for matching: per character, literal (0), `*` (1) or `?` (2). */
type Glob = { text: string; kinds: Uint8Array };
type Pattern = { tokens: Token[]; glob?: Glob; hasVariables: boolean };
type Matcher = (value: string, ctx: RequestContext) => boolean;
type CompiledPrincipal = { any: boolean; accounts: Set<string>; arns: Set<string> };
type CompiledCondition = (ctx: RequestContext) => boolean;
type CompiledStatement = {
  effect: 'Allow' | 'Deny';
  action: { not: boolean; patterns: Glob[] };
  resource?: { not: boolean; patterns: Matcher[] };
  principal?: { not: boolean; principal: CompiledPrincipal };
  conditions: CompiledCondition[];
};
type RequestContext = {
  request: PolicyRequest;
  keys: Map<string, string | string[]>;
  caller?: { accounts: Set<string>; arns: Set<string> };
};

const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

export function compilePolicy(doc: unknown, options: CompilePolicyOptions = {}): CompiledPolicy {
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      throw new PolicySyntaxError('Policy is not valid JSON');
    }
  }
  if (!isObject(parsed)) throw new PolicySyntaxError('Policy must be a JSON object');
  for (const key of Object.keys(parsed)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) throw new PolicySyntaxError(`Unknown policy element ${key}`);
  }
  const version = parsed.Version === undefined ? '2008-10-17' : parsed.Version;
  if (typeof version !== 'string' || !VERSIONS.has(version)) throw new PolicySyntaxError(`Unsupported policy version ${String(version)}`);
  const raw = parsed.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw new PolicySyntaxError('Policy has no Statement');
  const variables = version === '2012-10-17';
  return { version, statements: statements.map((s) => compileStatement(s, variables, options)) };
}

export function evaluate(policy: CompiledPolicy, request: PolicyRequest): PolicyDecision {
  const ctx = requestContext(request);
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementApplies(statement, ctx)) continue;
    if (statement.effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'NotApplicable';
}

/** Combines the decisions of several policies (e.g. all of a user's identity policies). */
export function evaluateAll(policies: readonly CompiledPolicy[], request: PolicyRequest): PolicyDecision {
  let allowed = false;
  for (const policy of policies) {
    const decision = evaluate(policy, request);
    if (decision === 'Deny') return 'Deny';
    if (decision === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'NotApplicable';
}

// ---- statements

function compileStatement(raw: unknown, variables: boolean, options: CompilePolicyOptions): CompiledStatement {
  if (!isObject(raw)) throw new PolicySyntaxError('Statement must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.has(key)) throw new PolicySyntaxError(`Unknown statement element ${key}`);
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw new PolicySyntaxError('Effect must be Allow or Deny');
  const action = exactlyOne(raw, 'Action', 'NotAction', true)!;
  const resource = exactlyOne(raw, 'Resource', 'NotResource', false);
  const principal = exactlyOne(raw, 'Principal', 'NotPrincipal', false);
  if (options.requirePrincipal && !principal) throw new PolicySyntaxError('Statement has no Principal');
  return {
    effect: raw.Effect,
    action: { not: action.not, patterns: stringList(action.value, action.name).map(compileAction) },
    resource: resource && {
      not: resource.not,
      patterns: stringList(resource.value, resource.name).map((r) => compileResource(r, variables, options)),
    },
    principal: principal && { not: principal.not, principal: compilePrincipal(principal.value) },
    conditions: raw.Condition === undefined ? [] : compileConditionBlock(raw.Condition, variables),
  };
}

function exactlyOne(raw: Record<string, unknown>, name: string, notName: string, required: boolean) {
  const has = raw[name] !== undefined;
  const hasNot = raw[notName] !== undefined;
  if (has && hasNot) throw new PolicySyntaxError(`Statement has both ${name} and ${notName}`);
  if (!has && !hasNot) {
    if (required) throw new PolicySyntaxError(`Statement has no ${name} or ${notName}`);
    return undefined;
  }
  return has ? { not: false, name, value: raw[name] } : { not: true, name: notName, value: raw[notName] };
}

function statementApplies(s: CompiledStatement, ctx: RequestContext): boolean {
  const action = ctx.request.action.toLowerCase();
  const actionMatches = s.action.patterns.some((p) => globMatches(p, action));
  if (actionMatches === s.action.not) return false;
  if (s.resource) {
    const resourceMatches = s.resource.patterns.some((m) => m(ctx.request.resource, ctx));
    if (resourceMatches === s.resource.not) return false;
  }
  if (s.principal) {
    const principalMatches = principalMatchesCaller(s.principal.principal, ctx);
    if (principalMatches === s.principal.not) return false;
  }
  return s.conditions.every((c) => c(ctx));
}

function requestContext(request: PolicyRequest): RequestContext {
  const keys = new Map<string, string | string[]>();
  for (const [key, value] of Object.entries(request.conditions)) {
    if (value !== undefined) keys.set(key.toLowerCase(), value);
  }
  const ids = request.principal?.aws;
  if (!ids || ids.length === 0) return { request, keys };
  const caller = { accounts: new Set<string>(), arns: new Set<string>() };
  for (const id of ids) {
    const account = principalAccount(id);
    if (account) caller.accounts.add(account);
    if (id.startsWith('arn:')) caller.arns.add(id);
  }
  return { request, keys, caller };
}

// ---- actions and resources

function compileAction(action: string): Glob {
  if (action !== '*' && !/^[A-Za-z0-9_*?-]+:[A-Za-z0-9_*?-]*$/.test(action)) {
    throw new PolicySyntaxError(`Invalid action ${action}`);
  }
  return toGlob(parsePattern(action.toLowerCase(), true, false).tokens);
}

function compileResource(resource: string, variables: boolean, options: CompilePolicyOptions): Matcher {
  let arn = resource;
  if (arn.startsWith('execute-api:/') && options.api) {
    const { partition = 'aws', region, accountId, restApiId } = options.api;
    arn = `arn:${partition}:execute-api:${region}:${accountId}:${restApiId}${arn.slice('execute-api:'.length)}`;
  }
  return compileArnPattern(arn, variables);
}

/** ARN matching as IAM does it: segment by segment, case-sensitive, wildcards within segments. */
function compileArnPattern(pattern: string, variables: boolean): Matcher {
  if (pattern === '*') return () => true;
  const segments = splitArn(pattern, 6).map((s) => parsePattern(s, true, variables));
  if (segments.length < 2) {
    const whole = segments[0]!;
    return (value, ctx) => patternMatches(whole, value, ctx);
  }
  const last = segments[segments.length - 1]!;
  const lastToken = last.tokens[last.tokens.length - 1];
  const spansColons = segments.length < 6 && lastToken !== undefined && 'star' in lastToken;
  return (value, ctx) => {
    const parts = splitArn(value, spansColons ? segments.length : 6);
    if (parts.length !== segments.length) return false;
    return segments.every((segment, i) => patternMatches(segment, parts[i]!, ctx));
  };
}

/** Splits on the first `max - 1` colons outside `${...}`; the last part keeps the rest. */
function splitArn(value: string, max: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < value.length && parts.length < max - 1; i++) {
    if (value[i] === '$' && value[i + 1] === '{') depth++;
    else if (value[i] === '}' && depth > 0) depth--;
    else if (value[i] === ':' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

// ---- principals

function compilePrincipal(raw: unknown): CompiledPrincipal {
  const principal: CompiledPrincipal = { any: false, accounts: new Set(), arns: new Set() };
  if (raw === '*') return { ...principal, any: true };
  if (!isObject(raw)) throw new PolicySyntaxError('Principal must be "*" or an object');
  for (const [kind, value] of Object.entries(raw)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(kind)) throw new PolicySyntaxError(`Unknown principal type ${kind}`);
    for (const id of stringList(value, `Principal ${kind}`)) {
      // Services, federated users and canonical users never call an API here; only AWS principals match.
      if (kind !== 'AWS') continue;
      if (id === '*') principal.any = true;
      else if (/^\d{12}$/.test(id) || /^arn:[\w-]+:iam::\d{12}:root$/.test(id)) principal.accounts.add(principalAccount(id)!);
      else if (/^arn:[\w-]+:(iam|sts)::\d{12}:.+/.test(id)) principal.arns.add(id);
      else throw new PolicySyntaxError(`Invalid principal ${id}`);
    }
  }
  return principal;
}

function principalMatchesCaller(principal: CompiledPrincipal, ctx: RequestContext): boolean {
  if (principal.any) return true;
  const caller = ctx.caller;
  if (!caller) return false;
  for (const account of caller.accounts) if (principal.accounts.has(account)) return true;
  for (const arn of caller.arns) if (principal.arns.has(arn)) return true;
  return false;
}

function principalAccount(id: string): string | undefined {
  if (/^\d{12}$/.test(id)) return id;
  const account = splitArn(id, 6)[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

// ---- conditions

type Comparator = {
  negated: boolean;
  /** Prepares one policy value at compile time; throws PolicySyntaxError when it is malformed. */
  prepare: (value: string, variables: boolean) => (requestValue: string, ctx: RequestContext) => boolean;
};

const stringEquals = (ignoreCase: boolean) => (value: string, variables: boolean) => {
  const pattern = parsePattern(value, false, variables);
  return (requestValue: string, ctx: RequestContext) => {
    const expected = resolveLiteral(pattern, ctx);
    if (expected === undefined) return false;
    return ignoreCase ? expected.toLowerCase() === requestValue.toLowerCase() : expected === requestValue;
  };
};
const stringLike = (value: string, variables: boolean) => {
  const pattern = parsePattern(value, true, variables);
  return (requestValue: string, ctx: RequestContext) => patternMatches(pattern, requestValue, ctx);
};
const numeric = (test: (a: number, b: number) => boolean) => (value: string) => {
  const expected = parseNumber(value);
  if (expected === undefined) throw new PolicySyntaxError(`Invalid numeric condition value ${value}`);
  return (requestValue: string) => {
    const actual = parseNumber(requestValue);
    return actual !== undefined && test(actual, expected);
  };
};
const date = (test: (a: number, b: number) => boolean) => (value: string) => {
  const expected = parseDate(value);
  if (expected === undefined) throw new PolicySyntaxError(`Invalid date condition value ${value}`);
  return (requestValue: string) => {
    const actual = parseDate(requestValue);
    return actual !== undefined && test(actual, expected);
  };
};
const bool = (value: string) => {
  const expected = value.toLowerCase();
  if (expected !== 'true' && expected !== 'false') throw new PolicySyntaxError(`Invalid boolean condition value ${value}`);
  return (requestValue: string) => requestValue.toLowerCase() === expected;
};
const ipAddress = (value: string) => {
  const cidr = parseCidr(value);
  if (!cidr) throw new PolicySyntaxError(`Invalid IP address condition value ${value}`);
  return (requestValue: string) => ipInCidr(requestValue, cidr);
};
const arnLike = (value: string, variables: boolean) => {
  const matcher = compileArnPattern(value, variables);
  return (requestValue: string, ctx: RequestContext) => matcher(requestValue, ctx);
};
const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

// Negated operators (…Not…) test the positive comparison: several values are a NOR, a missing key passes.
const OPERATORS: Record<string, Comparator> = {
  stringequals: { negated: false, prepare: stringEquals(false) },
  stringnotequals: { negated: true, prepare: stringEquals(false) },
  stringequalsignorecase: { negated: false, prepare: stringEquals(true) },
  stringnotequalsignorecase: { negated: true, prepare: stringEquals(true) },
  stringlike: { negated: false, prepare: stringLike },
  stringnotlike: { negated: true, prepare: stringLike },
  numericequals: { negated: false, prepare: numeric(eq) },
  numericnotequals: { negated: true, prepare: numeric(eq) },
  numericlessthan: { negated: false, prepare: numeric(lt) },
  numericlessthanequals: { negated: false, prepare: numeric(le) },
  numericgreaterthan: { negated: false, prepare: numeric(gt) },
  numericgreaterthanequals: { negated: false, prepare: numeric(ge) },
  dateequals: { negated: false, prepare: date(eq) },
  datenotequals: { negated: true, prepare: date(eq) },
  datelessthan: { negated: false, prepare: date(lt) },
  datelessthanequals: { negated: false, prepare: date(le) },
  dategreaterthan: { negated: false, prepare: date(gt) },
  dategreaterthanequals: { negated: false, prepare: date(ge) },
  bool: { negated: false, prepare: bool },
  binaryequals: { negated: false, prepare: stringEquals(false) },
  ipaddress: { negated: false, prepare: ipAddress },
  notipaddress: { negated: true, prepare: ipAddress },
  arnequals: { negated: false, prepare: arnLike },
  arnlike: { negated: false, prepare: arnLike },
  arnnotequals: { negated: true, prepare: arnLike },
  arnnotlike: { negated: true, prepare: arnLike },
};

function compileConditionBlock(raw: unknown, variables: boolean): CompiledCondition[] {
  if (!isObject(raw)) throw new PolicySyntaxError('Condition must be a JSON object');
  const conditions: CompiledCondition[] = [];
  for (const [operatorName, block] of Object.entries(raw)) {
    if (!isObject(block)) throw new PolicySyntaxError(`Condition ${operatorName} must be a JSON object`);
    for (const [key, value] of Object.entries(block)) {
      conditions.push(compileCondition(operatorName, key.toLowerCase(), conditionValues(value, operatorName), variables));
    }
  }
  return conditions;
}

function compileCondition(operatorName: string, key: string, values: string[], variables: boolean): CompiledCondition {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/i.exec(operatorName)!;
  const set = match[1]?.toLowerCase() as 'foranyvalue' | 'forallvalues' | undefined;
  const base = match[2]!.toLowerCase();
  const ifExists = match[3] !== undefined;
  if (base === 'null') {
    if (ifExists || set) throw new PolicySyntaxError(`Invalid condition operator ${operatorName}`);
    const expected = values.map((v) => {
      if (!/^(true|false)$/i.test(v)) throw new PolicySyntaxError(`Invalid Null condition value ${v}`);
      return v.toLowerCase() === 'true';
    });
    return (ctx) => expected.includes(isAbsent(ctx.keys.get(key)));
  }
  const comparator = OPERATORS[base];
  if (!comparator) throw new PolicySyntaxError(`Unknown condition operator ${operatorName}`);
  const tests = values.map((v) => comparator.prepare(v, variables));
  const matchesOne = (requestValue: string, ctx: RequestContext) => {
    const any = tests.some((t) => t(requestValue, ctx));
    return comparator.negated ? !any : any;
  };
  return (ctx) => {
    const raw = ctx.keys.get(key);
    const absent = isAbsent(raw);
    const requestValues = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (set === 'forallvalues') return requestValues.every((v) => matchesOne(v, ctx));
    if (absent) return ifExists || (set === undefined && comparator.negated);
    if (set === 'foranyvalue') return requestValues.some((v) => matchesOne(v, ctx));
    return comparator.negated ? requestValues.every((v) => matchesOne(v, ctx)) : requestValues.some((v) => matchesOne(v, ctx));
  };
}

function conditionValues(value: unknown, operatorName: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new PolicySyntaxError(`Invalid value in condition ${operatorName}`);
  });
}

function isAbsent(value: string | string[] | undefined): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

// ---- patterns: wildcards and policy variables

/** Tokenizes a policy string; `glob` makes `*` and `?` wildcards, `variables` resolves `${...}`. */
function parsePattern(source: string, glob: boolean, variables: boolean): Pattern {
  const tokens: Token[] = [];
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ lit: literal });
    literal = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (variables && c === '$' && source[i + 1] === '{') {
      const end = source.indexOf('}', i + 2);
      if (end > 0) {
        const inner = source.slice(i + 2, end).trim();
        i = end;
        if (inner === '*' || inner === '?' || inner === '$') {
          literal += inner;
          continue;
        }
        const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(inner);
        flush();
        tokens.push(withDefault ? { variable: withDefault[1]!.toLowerCase(), fallback: withDefault[2] } : { variable: inner.toLowerCase() });
        continue;
      }
    }
    if (glob && (c === '*' || c === '?')) {
      flush();
      tokens.push(c === '*' ? { star: true } : { one: true });
    } else {
      literal += c;
    }
  }
  flush();
  const hasVariables = tokens.some((t) => 'variable' in t);
  return { tokens, hasVariables, glob: hasVariables ? undefined : toGlob(tokens) };
}

function patternMatches(pattern: Pattern, value: string, ctx: RequestContext): boolean {
  if (pattern.glob) return globMatches(pattern.glob, value);
  const tokens = resolveVariables(pattern.tokens, ctx);
  return tokens !== undefined && globMatches(toGlob(tokens), value);
}

function resolveLiteral(pattern: Pattern, ctx: RequestContext): string | undefined {
  const tokens = pattern.hasVariables ? resolveVariables(pattern.tokens, ctx) : pattern.tokens;
  return tokens?.map((t) => ('lit' in t ? t.lit : '')).join('');
}

/** Replaces variables by their (literal) values; undefined when one cannot be resolved. */
function resolveVariables(tokens: Token[], ctx: RequestContext): Token[] | undefined {
  const resolved: Token[] = [];
  for (const token of tokens) {
    if (!('variable' in token)) {
      resolved.push(token);
      continue;
    }
    const value = ctx.keys.get(token.variable);
    const text = typeof value === 'string' ? value : token.fallback;
    if (text === undefined) return undefined;
    resolved.push({ lit: text });
  }
  return resolved;
}

function toGlob(tokens: Token[]): Glob {
  let text = '';
  const kinds: number[] = [];
  for (const t of tokens) {
    if ('lit' in t) {
      text += t.lit;
      for (let i = 0; i < t.lit.length; i++) kinds.push(0);
    } else if ('star' in t) {
      text += '*';
      kinds.push(1);
    } else if ('one' in t) {
      text += '?';
      kinds.push(2);
    }
  }
  return { text, kinds: Uint8Array.from(kinds) };
}

/**
 * Wildcard matching without regular expressions: backtracks only to the last `*`, so it takes at
 * most O(pattern × value) steps whatever the pattern (a regex of several `.*` could take O(nᵏ)
 * on a long request path).
 */
function globMatches(glob: Glob, value: string): boolean {
  const { text, kinds } = glob;
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < text.length && kinds[p] !== 1 && (kinds[p] === 2 || text[p] === value[v])) {
      p++;
      v++;
    } else if (p < text.length && kinds[p] === 1) {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < text.length && kinds[p] === 1) p++;
  return p === text.length;
}

// ---- values

function parseNumber(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function parseDate(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

type Cidr = { family: 4 | 6; network: bigint; prefix: number };

function parseCidr(value: string): Cidr | undefined {
  const [address, prefixText, ...rest] = value.trim().split('/');
  if (rest.length > 0 || address === undefined) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  return { family: ip.family, network: ip.value >> BigInt(bits - prefix), prefix };
}

function ipInCidr(address: string, cidr: Cidr): boolean {
  const ip = parseIp(address);
  if (!ip || ip.family !== cidr.family) return false;
  const bits = ip.family === 4 ? 32 : 128;
  return ip.value >> BigInt(bits - cidr.prefix) === cidr.network;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) count as IPv4. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const address = text.trim().replace(/%.*$/, '');
  if (isIPv4(address)) return { family: 4, value: ipv4Value(address) };
  if (!isIPv6(address)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { family: 4, value: ipv4Value(mapped[1]!) };
  let groups = address;
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (embedded) {
    const v = ipv4Value(embedded[1]!);
    groups = `${address.slice(0, -embedded[1]!.length)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, tail] = groups.split('::') as [string, string?];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return { family: 6, value: parts.reduce((acc, p) => (acc << 16n) | BigInt(parseInt(p, 16)), 0n) };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

// ---- helpers

function stringList(value: unknown, element: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string')) {
    throw new PolicySyntaxError(`${element} must be a string or a list of strings`);
  }
  return list as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
