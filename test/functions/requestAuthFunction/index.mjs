// The Developer Guide's REQUEST authorizer: allows the call when the HeaderAuth1 header, the
// QueryString1 query string and the StageVar1 stage variable hold the expected values.
export const handler = function (event, context, callback) {
  console.log('Received event:', JSON.stringify(event, null, 2));

  // Retrieve request parameters from the Lambda function input:
  var headers = event.headers;
  var queryStringParameters = event.queryStringParameters;
  var stageVariables = event.stageVariables;

  // Perform authorization to return the Allow policy for correct parameters and
  // the 'Unauthorized' error, otherwise.
  if (headers.HeaderAuth1 === 'headerValue1' && queryStringParameters.QueryString1 === 'queryValue1' && stageVariables.StageVar1 === 'stageValue1') {
    callback(null, generateAllow('me', event.methodArn));
  } else {
    callback('Unauthorized');
  }
};

// Help function to generate an IAM policy
var generatePolicy = function (principalId, effect, resource) {
  // Required output:
  var authResponse = {};
  authResponse.principalId = principalId;
  if (effect && resource) {
    var policyDocument = {};
    policyDocument.Version = '2012-10-17'; // default version
    policyDocument.Statement = [];
    var statementOne = {};
    statementOne.Action = 'execute-api:Invoke'; // default action
    statementOne.Effect = effect;
    statementOne.Resource = resource;
    policyDocument.Statement[0] = statementOne;
    authResponse.policyDocument = policyDocument;
  }
  // Optional output with custom properties of the String, Number or Boolean type.
  authResponse.context = {
    stringKey: 'stringval',
    numberKey: 123,
    booleanKey: true,
  };
  return authResponse;
};

var generateAllow = function (principalId, resource) {
  return generatePolicy(principalId, 'Allow', resource);
};
