// The control plane's HTTP face: every management call goes authenticate → route → parse → handler
// → serialize, all driven by the OpenAPI description; handlers hold only the logic.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { v4 as uuid } from 'uuid';
import type { TestInvokeServices } from '../data-plane/auth/test-invoke.js';
import type { Database } from '../db/data-source.js';
import { logger } from '../logger.js';
import { authenticate, type Authenticator } from './auth.js';
import { controlPlaneObservability } from './observability.js';
import { handlers } from './operations.js';
import { ApiError, badRequest, conflict, notImplemented } from './protocol/errors.js';
import { openApiDocument } from './protocol/openapi.js';
import type { Context } from './protocol/operation.js';
import { parseInput } from './protocol/parse.js';
import { matchOperation } from './protocol/router.js';
import { serializeOutput } from './protocol/serialize.js';

export type ControlPlaneOptions = { db: Database; region: string; authenticator: Authenticator; configChannel: Router; testInvoke?: TestInvokeServices };

function sendError(res: Response, requestId: string, error: ApiError) {
  res.status(error.status);
  res.set({ 'x-amzn-ErrorType': error.type, 'Content-Type': 'application/json', ...error.headers });
  res.send(JSON.stringify({ message: error.message }));
}

function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'].includes(code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect/i.test((err as Error)?.message ?? '');
}

/**
 * What a refusal by Postgres means to the caller. A data exception (class 22) or a value too large
 * for an index is bad input: handlers check what AWS checks, the store's own limits land here. A
 * unique violation, a serialization failure or a deadlock is a concurrent change that won the race.
 */
function refusalByStore(err: unknown): ApiError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('22') || code === '54000') return badRequest('Invalid input: a value is too long or contains characters that cannot be stored');
  if (['23505', '40001', '40P01'].includes(code)) return conflict('Unable to complete operation due to concurrent modification. Please try again later.');
  return undefined;
}

export function createControlPlane(options: ControlPlaneOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const requestId = uuid();
    res.locals.requestId = requestId;
    res.set('x-amzn-RequestId', requestId);
    next();
  });

  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use(options.configChannel);
  app.use(controlPlaneObservability(options.db));

  app.use(express.raw({ type: () => true, limit: '12mb' }));

  app.use(async (req: Request, res: Response) => {
    const requestId: string = res.locals.requestId;
    const [rawPath, rawQuery = ''] = req.originalUrl.split(/\?(.*)/s, 2) as [string, string?];
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const started = Date.now();
    let operation = 'Unknown';
    try {
      const identity = await authenticate(options.authenticator, { method: req.method, rawPath, rawQuery, headers: req.headers, body }, options.region);
      const query = new URLSearchParams(rawQuery);
      const match = matchOperation(req.method, rawPath, query);
      if (!match) throw new ApiError('UnknownOperationException', 404, `No operation matches ${req.method} ${rawPath}`);
      operation = match.spec.name;
      res.locals.operation = operation;
      const handler = handlers[operation];
      if (!handler) throw notImplemented(operation);
      const input = parseInput(match.spec, { pathParams: match.pathParams, query, headers: req.headers, body });
      const ctx: Context = { accountId: identity.accountId, region: options.region, requestId, db: options.db, testInvoke: options.testInvoke };
      const output = await handler(input, ctx);
      const wire = serializeOutput(match.spec.output, output);
      res.status(match.spec.status).set(wire.headers);
      if (wire.body !== undefined) res.send(wire.body);
      else res.end();
      logger.info({ requestId, operation, status: match.spec.status, ms: Date.now() - started }, 'management call');
    } catch (err) {
      if (err instanceof ApiError) {
        logger.info({ requestId, operation, status: err.status, error: err.type, ms: Date.now() - started }, 'management call failed');
        return sendError(res, requestId, err);
      }
      if (isDatabaseDown(err)) {
        logger.warn({ requestId, operation, err: (err as Error).message }, 'database unavailable');
        return sendError(res, requestId, new ApiError('ServiceUnavailableException', 503, 'The service is temporarily unavailable. Please try again later.', { 'Retry-After': '1' }));
      }
      const refusal = refusalByStore(err);
      if (refusal) {
        logger.warn({ requestId, operation, err: (err as Error).message }, 'database refused the change');
        return sendError(res, requestId, refusal);
      }
      logger.error({ requestId, operation, err }, 'internal failure');
      sendError(res, requestId, new ApiError('InternalFailure', 500, 'An internal error occurred. Please try again later.'));
    }
  });

  // Body-parser failures (oversized or unreadable bodies) are answered in AWS's shape too.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const requestId: string = res.locals.requestId;
    if (err.type === 'entity.too.large') return sendError(res, requestId, new ApiError('RequestEntityTooLargeException', 413, 'Request payload size exceeds the limit'));
    sendError(res, requestId, new ApiError('BadRequestException', 400, 'Could not read the request body'));
  });

  return app;
}
