// A TOKEN authorizer for APIs whose apiKeySource is AUTHORIZER: `Bearer {key}` is allowed, and the
// key is handed back as the usageIdentifierKey that API Gateway checks against usage plans.
export const handler = async (event) => {
  const key = /^Bearer (.+)$/.exec(event.authorizationToken ?? '')?.[1];
  if (!key) throw new Error('Unauthorized');
  const [arn, stage] = event.methodArn.split('/');
  return {
    principalId: 'usage-client',
    usageIdentifierKey: key,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*` }] },
  };
};
