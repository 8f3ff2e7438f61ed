// What every handler gets and returns: a typed input, the caller's context, a typed output.
import type { TestInvokeServices } from '../../data-plane/auth/test-invoke.js';
import type { Database } from '../../db/data-source.js';

export type Context = {
  accountId: string;
  region: string;
  requestId: string;
  db: Database;
  /** what test invocations (TestInvokeAuthorizer) run functions and check tokens with */
  testInvoke?: TestInvokeServices;
};

// Inputs arrive validated against the model; each handler names its own input and output shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: Context) => Promise<unknown>;
export type Handlers = Record<string, Handler>;
