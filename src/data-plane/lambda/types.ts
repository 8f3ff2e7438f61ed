// The seam between the pipeline (Lambda integrations, Lambda authorizers) and where functions run.

export type LambdaInvocation = {
  /** `arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]` */
  functionArn: string;
  /** the event, as JSON bytes */
  payload: Buffer;
  /** the API Gateway request id, for the function's context and its logs */
  requestId?: string;
};

/** As Lambda's Invoke API answers (RequestResponse). */
export type LambdaResult = {
  /** the Invoke API's own status (200 when the function ran, even if it failed) */
  statusCode: number;
  /** the function's result, or its error object `{errorMessage, errorType, ...}` */
  payload: Buffer;
  /** Lambda's X-Amz-Function-Error: `Unhandled` when the function threw, timed out or crashed */
  functionError?: string;
};

export interface LambdaInvoker {
  invoke(invocation: LambdaInvocation): Promise<LambdaResult>;
  close(): Promise<void>;
}
