// The error payloads Lambda answers when a function fails outside its own code: it ran out of time,
// out of memory, or its runtime exited; and the Invoke API's own errors.
import type { LambdaResult } from '../types.js';

export type FunctionErrorPayload = { errorType?: string; errorMessage: string; trace?: string[] };

/** Lambda's limit on a synchronous invocation's request and response payloads. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export const timedOut = (awsRequestId: string, timeoutMs: number): FunctionErrorPayload => ({
  errorType: 'Sandbox.Timedout',
  errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${seconds(timeoutMs)} seconds`,
});

export const outOfMemory = (awsRequestId: string): FunctionErrorPayload => ({
  errorType: 'Runtime.OutOfMemory',
  errorMessage: `RequestId: ${awsRequestId} Error: Runtime exited with error: signal: killed`,
});

/** `exit status 1` or `signal: killed`, as Lambda words a runtime's end. */
export function runtimeExited(awsRequestId: string, code: number | null, signal: NodeJS.Signals | null): FunctionErrorPayload {
  const how = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal === 'SIGABRT' ? 'aborted' : signal}` : `exit status ${code ?? 0}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${awsRequestId} Error: Runtime exited with error: ${how}` };
}

export const initTimedOut = (awsRequestId: string, timeoutMs: number): FunctionErrorPayload => ({
  errorType: 'Runtime.Unknown',
  errorMessage: `RequestId: ${awsRequestId} Error: INIT phase timed out after ${seconds(timeoutMs)} seconds`,
});

export const responseTooLarge = (): FunctionErrorPayload => ({
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES + 100} bytes).`,
});

/** An Invoke API error, its body as Lambda's REST-JSON protocol writes it. */
export const refused = (statusCode: number, errorType: string, message: string, type: 'User' | 'Service' = 'User'): LambdaResult => ({
  statusCode,
  errorType,
  payload: Buffer.from(JSON.stringify({ Type: type, Message: message })),
});

export const invalidFunctionName = (value: string) =>
  refused(400, 'ValidationException', `1 validation error detected: Value '${value}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);

export const payloadTooLarge = () => refused(413, 'RequestTooLargeException', `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
