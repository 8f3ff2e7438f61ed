// The access policy engine: statements, wildcards, principals and condition operators as IAM evaluates them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy, evaluate, evaluateAll, parseIp, PolicySyntaxError, type PolicyRequest } from '../../src/data-plane/auth/policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets';
const INVOKE = 'execute-api:Invoke';

function request(overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return { action: INVOKE, resource: ARN, conditions: {}, ...overrides };
}

function decide(statement: Record<string, unknown> | Record<string, unknown>[], req: Partial<PolicyRequest> = {}, version = '2012-10-17') {
  return evaluate(compilePolicy({ Version: version, Statement: statement }), request(req));
}

function allow(extra: Record<string, unknown> = {}) {
  return { Effect: 'Allow', Action: INVOKE, Resource: '*', ...extra };
}

function conditionHolds(condition: Record<string, unknown>, conditions: PolicyRequest['conditions'], version = '2012-10-17') {
  return decide(allow({ Condition: condition }), { conditions }, version) === 'Allow';
}

describe('policy evaluation', () => {
  it('allows on a matching Allow, denies on a matching Deny, and is NotApplicable otherwise', () => {
    assert.equal(decide(allow()), 'Allow');
    assert.equal(decide({ ...allow(), Effect: 'Deny' }), 'Deny');
    assert.equal(decide(allow({ Resource: 'arn:aws:execute-api:us-east-1:123456789012:other/*' })), 'NotApplicable');
  });

  it('lets an explicit Deny win whatever the statement order', () => {
    const deny = { Effect: 'Deny', Action: INVOKE, Resource: ARN };
    assert.equal(decide([allow(), deny]), 'Deny');
    assert.equal(decide([deny, allow()]), 'Deny');
    const a = compilePolicy({ Statement: allow() });
    const d = compilePolicy({ Statement: deny });
    assert.equal(evaluateAll([a, d], request()), 'Deny');
    assert.equal(evaluateAll([a], request()), 'Allow');
    assert.equal(evaluateAll([], request()), 'NotApplicable');
  });

  it('accepts a JSON string and a single statement object', () => {
    const policy = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: allow() }));
    assert.equal(evaluate(policy, request()), 'Allow');
  });
});

describe('actions', () => {
  it('match case-insensitively with wildcards', () => {
    for (const action of ['execute-api:Invoke', 'EXECUTE-API:invoke', 'execute-api:*', '*', 'execute-api:Inv?ke', 'execute-api:In*']) {
      assert.equal(decide(allow({ Action: action })), 'Allow', action);
    }
    for (const action of ['execute-api:InvalidateCache', 'apigateway:*', 'execute-api:Invoke?']) {
      assert.equal(decide(allow({ Action: action })), 'NotApplicable', action);
    }
  });

  it('NotAction applies to every other action', () => {
    assert.equal(decide(allow({ Action: undefined, NotAction: 'execute-api:InvalidateCache' })), 'Allow');
    assert.equal(decide(allow({ Action: undefined, NotAction: ['execute-api:Invoke'] })), 'NotApplicable');
  });
});

describe('resources (execute-api ARNs)', () => {
  const match = (resource: string, arn = ARN) => decide(allow({ Resource: resource }), { resource: arn }) === 'Allow';

  it('matches the documented method ARN expressions', () => {
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets'));
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/*'));
    assert.ok(match('arn:aws:execute-api:*:*:abc123/*/*/pets'));
    assert.ok(match('arn:aws:execute-api:us-east-1:*:abc123/test/*'));
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/*'));
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/p?ts'));
    assert.ok(!match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/POST/pets'));
    assert.ok(!match('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*'));
    assert.ok(!match('arn:aws:execute-api:us-west-2:123456789012:abc123/*'));
  });

  it('lets * span slashes (greedy paths) but not the path of a sibling', () => {
    const deep = 'arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets/1/toys';
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets/*', deep));
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/*/*/pets/*/toys', deep));
    assert.ok(!match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets/*', ARN));
    assert.ok(match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/', 'arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/'));
  });

  it('takes linear time on a long path, however many wildcards the pattern has', () => {
    const long = `arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/${'/'.repeat(20000)}x`;
    const started = performance.now();
    assert.ok(!match('arn:aws:execute-api:*:*:abc123/*/*/*/*/*/*/*/*/pets', long));
    assert.ok(match('arn:aws:execute-api:*:*:abc123/*/*/*/*/*/*/*/*/x', long));
    assert.ok(performance.now() - started < 500);
  });

  it('is case-sensitive', () => {
    assert.ok(!match('arn:aws:execute-api:us-east-1:123456789012:abc123/test/get/pets'));
    assert.ok(!match('arn:aws:execute-api:us-east-1:123456789012:ABC123/*'));
  });

  it('keeps wildcards within an ARN segment unless they end the last one given', () => {
    assert.ok(!match('arn:aws:execute-api:us-east-*1:123456789012:abc123/*', 'arn:aws:execute-api:us-east-1:x:1:123456789012:abc123/a'));
    assert.ok(match('arn:aws:execute-api:us-east-1:*'));
    assert.ok(match('arn:aws:execute-api:*'));
    assert.ok(!match('arn:aws:execute-api:us-east-1'));
    assert.ok(match('*', 'not-an-arn'));
  });

  it('NotResource applies to every other resource', () => {
    assert.equal(decide(allow({ Resource: undefined, NotResource: 'arn:aws:execute-api:*:*:abc123/*/POST/*' })), 'Allow');
    assert.equal(decide(allow({ Resource: undefined, NotResource: 'arn:aws:execute-api:*:*:abc123/*' })), 'NotApplicable');
  });

  it('expands the execute-api:/ shorthand of resource policies', () => {
    const api = { region: 'us-east-1', accountId: '123456789012', restApiId: 'abc123' };
    const policy = compilePolicy({ Statement: { Effect: 'Allow', Principal: '*', Action: INVOKE, Resource: 'execute-api:/test/GET/*' } }, { api });
    assert.equal(evaluate(policy, request()), 'Allow');
    assert.equal(evaluate(policy, request({ resource: ARN.replace('abc123', 'other') })), 'NotApplicable');
  });

  it('resolves policy variables in version 2012-10-17 only', () => {
    const resource = 'arn:aws:execute-api:*:*:abc123/*/GET/users/${aws:username}';
    const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/users/alice';
    assert.equal(decide(allow({ Resource: resource }), { resource: arn, conditions: { 'aws:username': 'alice' } }), 'Allow');
    assert.equal(decide(allow({ Resource: resource }), { resource: arn, conditions: { 'aws:username': 'bob' } }), 'NotApplicable');
    assert.equal(decide(allow({ Resource: resource }), { resource: arn }), 'NotApplicable');
    assert.equal(decide(allow({ Resource: resource }), { resource: arn, conditions: { 'aws:username': 'alice' } }, '2008-10-17'), 'NotApplicable');
    // A variable's value is literal: a * in it is no wildcard.
    assert.equal(decide(allow({ Resource: resource }), { resource: arn, conditions: { 'aws:username': '*' } }), 'NotApplicable');
    const withDefault = "arn:aws:execute-api:*:*:abc123/*/GET/users/${aws:username, 'alice'}";
    assert.equal(decide(allow({ Resource: withDefault }), { resource: arn }), 'Allow');
    const star = 'arn:aws:execute-api:*:*:abc123/*/GET/users/${*}';
    assert.equal(decide(allow({ Resource: star }), { resource: arn }), 'NotApplicable');
    assert.equal(decide(allow({ Resource: star }), { resource: arn.replace('alice', '*') }), 'Allow');
  });
});

describe('principals', () => {
  const alice = 'arn:aws:iam::111122223333:user/alice';
  const withPrincipal = (principal: unknown, caller?: string[], not = false) =>
    decide(allow(not ? { NotPrincipal: principal } : { Principal: principal }), { principal: caller && { aws: caller } });

  it('"*" and {"AWS": "*"} match everyone, anonymous callers included', () => {
    assert.equal(withPrincipal('*'), 'Allow');
    assert.equal(withPrincipal({ AWS: '*' }), 'Allow');
    assert.equal(withPrincipal({ AWS: ['*'] }, [alice]), 'Allow');
  });

  it('an account id or its root ARN matches any caller of that account', () => {
    assert.equal(withPrincipal({ AWS: '111122223333' }, [alice]), 'Allow');
    assert.equal(withPrincipal({ AWS: 'arn:aws:iam::111122223333:root' }, [alice]), 'Allow');
    assert.equal(withPrincipal({ AWS: '111122223333' }, ['111122223333']), 'Allow');
    assert.equal(withPrincipal({ AWS: '444455556666' }, [alice]), 'NotApplicable');
    assert.equal(withPrincipal({ AWS: '111122223333' }), 'NotApplicable');
  });

  it('a principal ARN matches that principal only', () => {
    assert.equal(withPrincipal({ AWS: [alice] }, [alice, '111122223333']), 'Allow');
    assert.equal(withPrincipal({ AWS: 'arn:aws:iam::111122223333:user/bob' }, [alice]), 'NotApplicable');
  });

  it('other principal types never match an API caller', () => {
    assert.equal(withPrincipal({ Service: 'lambda.amazonaws.com' }, [alice]), 'NotApplicable');
  });

  it('NotPrincipal applies to everyone else, anonymous callers included', () => {
    assert.equal(withPrincipal({ AWS: '111122223333' }, [alice], true), 'NotApplicable');
    assert.equal(withPrincipal({ AWS: '444455556666' }, [alice], true), 'Allow');
    assert.equal(withPrincipal({ AWS: '444455556666' }, undefined, true), 'Allow');
  });
});

describe('conditions', () => {
  it('ANDs operators and keys, ORs a key\'s values', () => {
    const condition = { StringEquals: { 'aws:username': ['alice', 'bob'], 'aws:PrincipalAccount': '111122223333' } };
    assert.ok(conditionHolds(condition, { 'aws:username': 'bob', 'aws:PrincipalAccount': '111122223333' }));
    assert.ok(!conditionHolds(condition, { 'aws:username': 'carol', 'aws:PrincipalAccount': '111122223333' }));
    assert.ok(!conditionHolds(condition, { 'aws:username': 'bob', 'aws:PrincipalAccount': '444455556666' }));
    const twoOperators = { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } };
    assert.ok(conditionHolds(twoOperators, { 'aws:username': 'alice', 'aws:SecureTransport': 'true' }));
    assert.ok(!conditionHolds(twoOperators, { 'aws:username': 'alice', 'aws:SecureTransport': 'false' }));
  });

  it('looks keys up case-insensitively and compares values case-sensitively', () => {
    assert.ok(conditionHolds({ StringEquals: { 'AWS:UserName': 'alice' } }, { 'aws:username': 'alice' }));
    assert.ok(!conditionHolds({ StringEquals: { 'aws:username': 'Alice' } }, { 'aws:username': 'alice' }));
    assert.ok(conditionHolds({ StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' }));
    assert.ok(!conditionHolds({ StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' }));
  });

  it('string operators, negated ones as a NOR', () => {
    assert.ok(conditionHolds({ StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, { 'aws:username': 'alice' }));
    assert.ok(!conditionHolds({ StringNotEquals: { 'aws:username': ['bob', 'alice'] } }, { 'aws:username': 'alice' }));
    assert.ok(conditionHolds({ StringLike: { 'aws:UserAgent': 'curl/*' } }, { 'aws:UserAgent': 'curl/8.5.0' }));
    assert.ok(conditionHolds({ StringLike: { 'aws:Referer': 'https://?.example.com/*' } }, { 'aws:Referer': 'https://a.example.com/x' }));
    assert.ok(!conditionHolds({ StringLike: { 'aws:UserAgent': 'curl/*' } }, { 'aws:UserAgent': 'Mozilla/5.0' }));
    assert.ok(conditionHolds({ StringNotLike: { 'aws:UserAgent': ['curl/*', 'wget*'] } }, { 'aws:UserAgent': 'Mozilla/5.0' }));
    assert.ok(!conditionHolds({ StringNotLike: { 'aws:UserAgent': ['curl/*', 'wget*'] } }, { 'aws:UserAgent': 'wget/1' }));
    // StringEquals has no wildcards.
    assert.ok(!conditionHolds({ StringEquals: { 'aws:UserAgent': 'curl/*' } }, { 'aws:UserAgent': 'curl/8' }));
    assert.ok(conditionHolds({ StringEquals: { 'aws:UserAgent': 'curl/*' } }, { 'aws:UserAgent': 'curl/*' }));
  });

  it('policy variables in condition values', () => {
    const condition = { StringEquals: { 'aws:Referer': 'https://example.com/${aws:username}' } };
    assert.ok(conditionHolds(condition, { 'aws:username': 'alice', 'aws:Referer': 'https://example.com/alice' }));
    assert.ok(!conditionHolds(condition, { 'aws:Referer': 'https://example.com/alice' }));
    assert.ok(conditionHolds(condition, { 'aws:Referer': 'https://example.com/${aws:username}' }, '2008-10-17'));
  });

  it('a missing key fails positive operators and passes negated ones', () => {
    assert.ok(!conditionHolds({ StringEquals: { 'aws:username': 'alice' } }, {}));
    assert.ok(conditionHolds({ StringNotEquals: { 'aws:username': 'alice' } }, {}));
    assert.ok(conditionHolds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}));
    assert.ok(!conditionHolds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}));
    assert.ok(!conditionHolds({ NumericLessThan: { 'execute-api:x': '1' } }, {}));
  });

  it('...IfExists passes when the key is missing and tests it when present', () => {
    assert.ok(conditionHolds({ StringEqualsIfExists: { 'aws:username': 'alice' } }, {}));
    assert.ok(conditionHolds({ StringEqualsIfExists: { 'aws:username': 'alice' } }, { 'aws:username': 'alice' }));
    assert.ok(!conditionHolds({ StringEqualsIfExists: { 'aws:username': 'alice' } }, { 'aws:username': 'bob' }));
    assert.ok(conditionHolds({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}));
  });

  it('Null tests presence', () => {
    assert.ok(conditionHolds({ Null: { 'aws:username': 'true' } }, {}));
    assert.ok(!conditionHolds({ Null: { 'aws:username': 'true' } }, { 'aws:username': 'alice' }));
    assert.ok(conditionHolds({ Null: { 'aws:username': false } }, { 'aws:username': 'alice' }));
    assert.ok(conditionHolds({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] }));
  });

  it('numeric operators', () => {
    const n = (op: string, policy: string | number, value: string) => conditionHolds({ [op]: { 'execute-api:n': policy } }, { 'execute-api:n': value });
    assert.ok(n('NumericEquals', 10, '10'));
    assert.ok(n('NumericEquals', '10', '10.0'));
    assert.ok(!n('NumericEquals', 10, '11'));
    assert.ok(n('NumericNotEquals', 10, '11'));
    assert.ok(!n('NumericNotEquals', 10, '10'));
    assert.ok(n('NumericLessThan', 10, '9'));
    assert.ok(!n('NumericLessThan', 10, '10'));
    assert.ok(n('NumericLessThanEquals', 10, '10'));
    assert.ok(n('NumericGreaterThan', 10, '11'));
    assert.ok(!n('NumericGreaterThan', 10, '10'));
    assert.ok(n('NumericGreaterThanEquals', 10, '10'));
    assert.ok(!n('NumericEquals', 10, 'ten'));
    assert.throws(() => compilePolicy({ Statement: allow({ Condition: { NumericEquals: { k: 'ten' } } }) }), PolicySyntaxError);
  });

  it('date operators with ISO 8601 and epoch seconds', () => {
    const d = (op: string, policy: string, value: string) => conditionHolds({ [op]: { 'aws:CurrentTime': policy } }, { 'aws:CurrentTime': value });
    assert.ok(d('DateLessThan', '2030-01-01T00:00:00Z', '2025-06-01T12:00:00Z'));
    assert.ok(!d('DateLessThan', '2020-01-01T00:00:00Z', '2025-06-01T12:00:00Z'));
    assert.ok(d('DateGreaterThan', '2020-01-01', '2025-06-01T12:00:00Z'));
    assert.ok(d('DateGreaterThanEquals', '1577836800', '2020-01-01T00:00:00Z'));
    assert.ok(d('DateEquals', '2020-01-01T00:00:00Z', '1577836800'));
    assert.ok(d('DateNotEquals', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'));
    assert.ok(d('DateLessThanEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'));
    assert.ok(!d('DateLessThan', '2030-01-01T00:00:00Z', 'yesterday'));
    assert.throws(() => compilePolicy({ Statement: allow({ Condition: { DateLessThan: { k: 'soon' } } }) }), PolicySyntaxError);
  });

  it('Bool', () => {
    assert.ok(conditionHolds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' }));
    assert.ok(conditionHolds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' }));
    assert.ok(!conditionHolds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }));
    assert.ok(!conditionHolds({ Bool: { 'aws:SecureTransport': 'true' } }, {}));
    assert.throws(() => compilePolicy({ Statement: allow({ Condition: { Bool: { k: 'yes' } } }) }), PolicySyntaxError);
  });

  it('IpAddress and NotIpAddress with IPv4 and IPv6 CIDRs', () => {
    const ip = (op: string, policy: string | string[], value: string) => conditionHolds({ [op]: { 'aws:SourceIp': policy } }, { 'aws:SourceIp': value });
    assert.ok(ip('IpAddress', '127.0.0.1/32', '127.0.0.1'));
    assert.ok(ip('IpAddress', '127.0.0.1', '127.0.0.1'));
    assert.ok(ip('IpAddress', '127.0.0.0/8', '127.200.3.4'));
    assert.ok(ip('IpAddress', '127.0.0.0/8', '::ffff:127.0.0.1'));
    assert.ok(!ip('IpAddress', '192.0.2.0/24', '192.0.3.1'));
    assert.ok(ip('IpAddress', ['192.0.2.0/24', '203.0.113.0/24'], '203.0.113.9'));
    assert.ok(ip('IpAddress', '0.0.0.0/0', '8.8.8.8'));
    assert.ok(ip('IpAddress', '2001:db8::/32', '2001:db8:1234::1'));
    assert.ok(!ip('IpAddress', '2001:db8::/32', '2001:db9::1'));
    assert.ok(ip('IpAddress', '::1/128', '::1'));
    assert.ok(!ip('IpAddress', '::1/128', '127.0.0.1'));
    assert.ok(!ip('IpAddress', '10.0.0.0/8', 'not-an-ip'));
    assert.ok(ip('NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '127.0.0.1'));
    assert.ok(!ip('NotIpAddress', ['10.0.0.0/8', '127.0.0.0/8'], '127.0.0.1'));
    assert.throws(() => compilePolicy({ Statement: allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }) }), PolicySyntaxError);
    assert.throws(() => compilePolicy({ Statement: allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.256' } } }) }), PolicySyntaxError);
  });

  it('ArnEquals and ArnLike match segment by segment', () => {
    const arn = (op: string, policy: string, value: string) => conditionHolds({ [op]: { 'aws:PrincipalArn': policy } }, { 'aws:PrincipalArn': value });
    assert.ok(arn('ArnLike', 'arn:aws:iam::*:user/*', 'arn:aws:iam::111122223333:user/alice'));
    assert.ok(arn('ArnEquals', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/alice'));
    assert.ok(!arn('ArnLike', 'arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:user/alice'));
    assert.ok(arn('ArnNotLike', 'arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:user/alice'));
    assert.ok(!arn('ArnNotEquals', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/alice'));
  });

  it('ForAnyValue and ForAllValues over multivalued keys', () => {
    const any = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } };
    const all = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } };
    assert.ok(conditionHolds(any, { 'aws:TagKeys': ['x', 'b'] }));
    assert.ok(!conditionHolds(any, { 'aws:TagKeys': ['x', 'y'] }));
    assert.ok(!conditionHolds(any, {}));
    assert.ok(conditionHolds(all, { 'aws:TagKeys': ['a', 'b'] }));
    assert.ok(!conditionHolds(all, { 'aws:TagKeys': ['a', 'x'] }));
    assert.ok(conditionHolds(all, {}));
    assert.ok(conditionHolds(all, { 'aws:TagKeys': [] }));
    assert.ok(conditionHolds({ 'ForAnyValue:StringLike': { 'aws:TagKeys': 'env*' } }, { 'aws:TagKeys': ['x', 'environment'] }));
    assert.ok(conditionHolds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'secret' } }, { 'aws:TagKeys': ['a', 'b'] }));
    assert.ok(!conditionHolds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'secret' } }, { 'aws:TagKeys': ['a', 'secret'] }));
    assert.ok(conditionHolds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'a' } }, {}));
  });

  it('a single-valued operator on a multivalued key: any value for positive, none for negated', () => {
    assert.ok(conditionHolds({ StringEquals: { 'aws:TagKeys': 'a' } }, { 'aws:TagKeys': ['x', 'a'] }));
    assert.ok(!conditionHolds({ StringNotEquals: { 'aws:TagKeys': 'a' } }, { 'aws:TagKeys': ['x', 'a'] }));
  });
});

describe('malformed policies', () => {
  const bad: [string, unknown][] = [
    ['not JSON', '{'],
    ['not an object', []],
    ['no statement', { Version: '2012-10-17' }],
    ['empty statement list', { Statement: [] }],
    ['unknown version', { Version: '2020-01-01', Statement: allow() }],
    ['unknown top-level element', { Statement: allow(), Foo: 1 }],
    ['unknown statement element', { Statement: allow({ Foo: 1 }) }],
    ['bad effect', { Statement: allow({ Effect: 'allow' }) }],
    ['no action', { Statement: { Effect: 'Allow', Resource: '*' } }],
    ['Action and NotAction', { Statement: allow({ NotAction: INVOKE }) }],
    ['Resource and NotResource', { Statement: allow({ NotResource: '*' }) }],
    ['malformed action', { Statement: allow({ Action: 'invoke' }) }],
    ['non-string resource', { Statement: allow({ Resource: [1] }) }],
    ['empty resource list', { Statement: allow({ Resource: [] }) }],
    ['bad principal', { Statement: allow({ Principal: { AWS: 'alice' } }) }],
    ['unknown principal type', { Statement: allow({ Principal: { Users: '*' } }) }],
    ['principal string other than *', { Statement: allow({ Principal: 'everyone' }) }],
    ['unknown operator', { Statement: allow({ Condition: { StringSorta: { k: 'v' } } }) }],
    ['NullIfExists', { Statement: allow({ Condition: { NullIfExists: { k: 'true' } } }) }],
    ['non-object condition', { Statement: allow({ Condition: { StringEquals: 'v' } }) }],
    ['object condition value', { Statement: allow({ Condition: { StringEquals: { k: { v: 1 } } } }) }],
  ];
  for (const [name, doc] of bad) {
    it(`rejects ${name}`, () => assert.throws(() => compilePolicy(doc), PolicySyntaxError));
  }

  it('requires a principal in resource policies when asked', () => {
    assert.throws(() => compilePolicy({ Statement: allow() }, { requirePrincipal: true }), PolicySyntaxError);
    compilePolicy({ Statement: allow({ Principal: '*' }) }, { requirePrincipal: true });
  });
});

describe('parseIp', () => {
  it('parses IPv4, IPv6 with compression and embedded IPv4, and IPv4-mapped addresses as IPv4', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001n });
    assert.deepEqual(parseIp('::ffff:10.0.0.1'), { family: 4, value: 0x0a000001n });
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('2001:db8::'), { family: 6, value: 0x20010db8n << 96n });
    assert.deepEqual(parseIp('64:ff9b::192.0.2.1'), { family: 6, value: (0x64ff9bn << 96n) | 0xc0000201n });
    assert.deepEqual(parseIp('fe80::1%eth0'), { family: 6, value: (0xfe80n << 112n) | 1n });
    assert.equal(parseIp('1.2.3'), undefined);
  });
});
