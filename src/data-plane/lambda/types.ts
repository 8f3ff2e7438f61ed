// The seam between the pipeline (Lambda integrations, Lambda authorizers) and where functions run.

/** Lambda's X-Amz-Invocation-Type: wait for the result, queue the event (202), or only check (204). */
export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export type LambdaInvocation = {
  /** `arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]` */
  functionArn: string;
  /** the event, as JSON bytes */
  payload: Buffer;
  /**
   * The same event as text, when the gateway built it itself with JSON.stringify (a proxy event):
   * the built-in runner takes it as it is instead of decoding and checking `payload` again.
   */
  eventText?: string;
  /** the API Gateway request id, for the function's context and its logs */
  requestId?: string;
  /** RequestResponse unless said otherwise */
  invocationType?: InvocationType;
  /**
   * Aborted when the caller stops waiting (an integration's timeout): the Invoke API client gives up
   * its call; the built-in runner lets the function run on, as Lambda does.
   */
  signal?: AbortSignal;
  /**
   * What the call to an Invoke API is signed with instead of the invoker's own credentials: those a
   * Lambda integration's `credentials` or authorizer's `authorizerCredentials` role maps to. The
   * built-in runner needs none.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

/** As Lambda's Invoke API answers. */
export type LambdaResult = {
  /** the Invoke API's own status (200 when the function ran, even if it failed; 202 Event, 204 DryRun) */
  statusCode: number;
  /** the function's result, or its error object `{errorMessage, errorType, ...}`; the API's error body when it did not run */
  payload: Buffer;
  /** Lambda's X-Amz-Function-Error: `Unhandled` when the function threw, timed out or crashed */
  functionError?: string;
  /** Lambda's x-amzn-ErrorType when the Invoke API refused the call (e.g. ResourceNotFoundException) */
  errorType?: string;
};

export interface LambdaInvoker {
  invoke(invocation: LambdaInvocation): Promise<LambdaResult>;
  close(): Promise<void>;
}
