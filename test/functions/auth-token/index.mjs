// A TOKEN authorizer for the authorizer tests: the token says what to answer. Every answer carries
// a fresh nonce in its context, so a test can tell a cached answer from a new invocation.
import { randomUUID } from 'node:crypto';

/** `arn:...:{apiId}/{stage}/{verb}/{path}` → `arn:...:{apiId}/{stage}/{verb}/*` (or any verb). */
const resourceFor = (methodArn, verb = '*') => `${methodArn.split('/').slice(0, 2).join('/')}/${verb}/*`;

const answer = (principalId, effect, resource, context = {}) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  context: { nonce: randomUUID(), ...context },
});

export const handler = async (event) => {
  const token = event.authorizationToken;
  switch (token.replace(/^Bearer /, '')) {
    case 'allow':
      return answer('user-allow', 'Allow', resourceFor(event.methodArn), { tier: 'gold', count: 3, admin: true });
    case 'get-only':
      return answer('user-get', 'Allow', resourceFor(event.methodArn, 'GET'));
    case 'deny':
      return answer('user-deny', 'Deny', resourceFor(event.methodArn));
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'nested-context':
      return { ...answer('user-bad', 'Allow', resourceFor(event.methodArn)), context: { nested: { not: 'allowed' } } };
    default:
      throw new Error(`unexpected token ${token}`);
  }
};
