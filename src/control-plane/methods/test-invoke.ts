// TestInvokeMethod: runs a method as API Gateway's test call does — on the API as it is now, deployed
// or not, with the path, query string, headers, body and stage variables the caller gives — through
// the data plane's own steps from request validation to the method response, and answers the result
// with API Gateway's execution log. As on AWS, a test call runs no authorizer, no IAM or resource
// policy check and needs no API key.
import { randomUUID } from 'node:crypto';
import { headersOf, type TestInvokeServices } from '../../data-plane/auth/test-invoke.js';
import { compileDeployment, type CompiledDeployment } from '../../data-plane/compile/index.js';
import { buildRouteTree } from '../../data-plane/compile/routes.js';
import { traceFailure, type InvocationContext, type Step } from '../../data-plane/pipeline/context.js';
import { GatewayError } from '../../data-plane/pipeline/errors.js';
import { errorResponse, readQuery } from '../../data-plane/pipeline/index.js';
import { integrate } from '../../data-plane/pipeline/integrate.js';
import { integrationRequest } from '../../data-plane/pipeline/integration-request.js';
import { integrationResponse } from '../../data-plane/pipeline/integration-response.js';
import { splitPath } from '../../data-plane/pipeline/locate.js';
import { validateRequest } from '../../data-plane/pipeline/validate-request.js';
import type { SnapshotResource } from '../../shared/worker-config.js';
import { snapshotApi } from '../deployments/snapshot.js';
import { ApiError } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { TestInvokeMethodRequest, TestInvokeMethodResponse } from '../protocol/shapes.js';
import { findRestApi } from '../rest-apis/lookup.js';
import { findMethod, methodNotFound } from './lookup.js';
import { testInvokeResult, type TestOutcome } from './test-invoke-log.js';

/** The stage and deployment a test call runs in, as API Gateway names them in $context. */
const TEST_STAGE = 'test-invoke-stage';
const TEST_DEPLOYMENT_ID = 'test-invoke-deployment-id';

/** The request path onward from the route: the route is the method under test, and authorization is skipped. */
const steps: Step[] = [validateRequest, integrationRequest, integrate, integrationResponse];

/** Path parameters as the resource's path reads them from the test's path; none when it does not match. */
function pathParameters(resource: SnapshotResource, segments: string[]): Record<string, string> {
  const match = buildRouteTree([resource]).match(segments);
  return match ? match.pathParams : {};
}

function testContext(input: TestInvokeMethodRequest, deployment: CompiledDeployment, resource: SnapshotResource, services: TestInvokeServices): InvocationContext {
  // Without a path, the resource's own path is the request's: `{petId}` then stands for itself.
  const target = input.pathWithQueryString || resource.path;
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const segments = splitPath(rawPath);
  const method = resource.methods[input.httpMethod]!;
  const body = Buffer.from(input.body ?? '', 'utf8');
  return {
    requestId: randomUUID(),
    extendedRequestId: randomUUID().replace(/-/g, '').slice(0, 16),
    startedAt: Date.now(),
    httpMethod: input.httpMethod,
    protocol: 'HTTP/1.1',
    sourceIp: 'test-invoke-source-ip',
    domainName: 'testPrefix.testDomainName',
    path: rawPath.startsWith('/') ? rawPath : `/${rawPath}`,
    segments,
    query: readQuery(rawQuery),
    ...headersOf(input),
    body,
    received: { path: rawPath, query: rawQuery, body },
    pathParams: pathParameters(resource, segments),
    services: { executeApiDomain: '', ...services },
    stage: {
      config: {
        restApiId: input.restApiId,
        stageName: TEST_STAGE,
        deploymentId: TEST_DEPLOYMENT_ID,
        variables: input.stageVariables ?? {},
        methodSettings: {},
        tracingEnabled: false,
        cacheClusterEnabled: false,
      },
      deployment,
    },
    resource,
    method,
    integration: method.methodIntegration,
    trace: {},
  };
}

async function run(ctx: InvocationContext): Promise<TestOutcome> {
  try {
    // Deployments refuse such methods; a test call fails them as a configuration error.
    if (!ctx.integration) {
      traceFailure(ctx, 'Execution failed due to configuration error: No integration defined for method');
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);
    }
    for (const step of steps) {
      await step(ctx);
      if (ctx.response) break;
    }
    return { response: ctx.response! };
  } catch (error) {
    return { response: errorResponse(ctx, error), error };
  }
}

/** Runs the method as the API defines it now, on the request the caller describes. */
export async function TestInvokeMethod(input: TestInvokeMethodRequest, ctx: Context): Promise<TestInvokeMethodResponse> {
  const em = ctx.db.dataSource.manager;
  await findMethod(em, ctx, input.restApiId, input.resourceId, input.httpMethod);
  if (!ctx.testInvoke) throw new ApiError('InternalFailure', 500, 'Test invocations are not available on this control plane');
  const snapshot = await snapshotApi(em, await findRestApi(em, ctx, input.restApiId), TEST_DEPLOYMENT_ID);
  const resource = snapshot.resources.find((r) => r.id === input.resourceId);
  // Deleted between the two reads.
  if (!resource?.methods[input.httpMethod]) throw methodNotFound();
  const invocation = testContext(input, compileDeployment(snapshot), resource, ctx.testInvoke);
  return testInvokeResult(invocation, await run(invocation));
}
