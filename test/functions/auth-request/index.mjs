// A REQUEST authorizer for the authorizer tests, after the Developer Guide's example: the caller is
// allowed when the HeaderAuth1 header, the QueryString1 query parameter and the StageVar1 stage
// variable hold the expected values, refused with "Unauthorized" otherwise.
import { randomUUID } from 'node:crypto';

export const handler = async (event) => {
  const allowed =
    event.headers?.HeaderAuth1 === 'headerValue1' &&
    event.queryStringParameters?.QueryString1 === 'queryValue1' &&
    event.stageVariables?.StageVar1 === 'stageValue1';
  if (!allowed) throw new Error('Unauthorized');
  const [arn, stage] = event.methodArn.split('/');
  return {
    principalId: 'request-user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*` }] },
    context: { nonce: randomUUID(), resource: event.resource, path: event.path, stage: event.requestContext.stage, type: event.type },
  };
};
