// Lambda proxy: answers the event it received and what its context said, as JSON.
export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    event,
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      remainingTimeInMillis: context.getRemainingTimeInMillis(),
      callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
      cwd: process.cwd(),
      env: { AWS_LAMBDA_FUNCTION_NAME: process.env.AWS_LAMBDA_FUNCTION_NAME, GREETING: process.env.GREETING, PORTICO_CLUSTER_SECRET: process.env.PORTICO_CLUSTER_SECRET ?? null },
    },
  }),
});
