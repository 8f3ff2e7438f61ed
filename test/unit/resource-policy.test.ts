// The Developer Guide's policy evaluation outcome tables, row by row, and the client address that
// aws:SourceIp is matched against.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineWithResourcePolicy } from '../../src/data-plane/auth/resource-policy.js';
import type { PolicyDecision } from '../../src/data-plane/auth/policy.js';
import { clientAddress } from '../../src/data-plane/pipeline/client-address.js';

const NEITHER: PolicyDecision = 'NotApplicable';
type Outcome = 'Allow' | 'Explicit Deny' | 'Implicit Deny';

function outcome(identity: PolicyDecision, resource: PolicyDecision | undefined, bothMustAllow: boolean): Outcome {
  const combined = combineWithResourcePolicy(identity, resource, { bothMustAllow });
  return combined.allowed ? 'Allow' : combined.explicit ? 'Explicit Deny' : 'Implicit Deny';
}

// [identity side, resource policy, Table A (same account), Table B (another account)]
const rows: [PolicyDecision, PolicyDecision, Outcome, Outcome][] = [
  ['Allow', 'Allow', 'Allow', 'Allow'],
  ['Allow', NEITHER, 'Allow', 'Implicit Deny'],
  ['Allow', 'Deny', 'Explicit Deny', 'Explicit Deny'],
  [NEITHER, 'Allow', 'Allow', 'Implicit Deny'],
  [NEITHER, NEITHER, 'Implicit Deny', 'Implicit Deny'],
  [NEITHER, 'Deny', 'Explicit Deny', 'Explicit Deny'],
  ['Deny', 'Allow', 'Explicit Deny', 'Explicit Deny'],
  ['Deny', NEITHER, 'Explicit Deny', 'Explicit Deny'],
  ['Deny', 'Deny', 'Explicit Deny', 'Explicit Deny'],
];

describe('combineWithResourcePolicy', () => {
  for (const [identity, resource, tableA, tableB] of rows) {
    it(`identity ${identity}, resource policy ${resource}: ${tableA} in the same account, ${tableB} across accounts`, () => {
      assert.equal(outcome(identity, resource, false), tableA);
      assert.equal(outcome(identity, resource, true), tableB);
    });
  }

  it('an API without a resource policy counts as neither allow nor deny', () => {
    assert.equal(outcome('Allow', undefined, false), 'Allow');
    assert.equal(outcome(NEITHER, undefined, false), 'Implicit Deny');
    assert.equal(outcome('Allow', undefined, true), 'Implicit Deny');
  });

  it('says which side refused', () => {
    assert.deepEqual(combineWithResourcePolicy('Allow', 'Deny'), { allowed: false, explicit: true, deniedBy: 'resource' });
    assert.deepEqual(combineWithResourcePolicy('Deny', 'Deny'), { allowed: false, explicit: true, deniedBy: 'identity' });
    assert.deepEqual(combineWithResourcePolicy('Allow', NEITHER, { bothMustAllow: true }), { allowed: false, explicit: false, deniedBy: 'resource' });
    assert.deepEqual(combineWithResourcePolicy(NEITHER, 'Allow', { bothMustAllow: true }), { allowed: false, explicit: false, deniedBy: 'identity' });
  });
});

describe('clientAddress', () => {
  it('is the TCP peer unless proxies are trusted', () => {
    assert.equal(clientAddress('::ffff:127.0.0.1', undefined, 0), '127.0.0.1');
    assert.equal(clientAddress('::1', undefined, 0), '::1');
    assert.equal(clientAddress('10.0.0.5', ['203.0.113.7'], 0), '10.0.0.5');
  });

  it('takes the address as many hops back as proxies are trusted, never what the client wrote', () => {
    assert.equal(clientAddress('10.0.0.5', ['203.0.113.7'], 1), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.5', ['6.6.6.6, 203.0.113.7'], 1), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.5', ['6.6.6.6', '203.0.113.7, 10.0.0.4'], 2), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.5', undefined, 1), '10.0.0.5');
    assert.equal(clientAddress('10.0.0.5', ['203.0.113.7'], 5), '203.0.113.7');
  });
});
