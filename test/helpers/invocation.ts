// Unit-test fixture: an invocation context on stage `dev` of API a1b2c3d4e5, as the pipeline
// builds one, with whatever a test needs to differ given as overrides.
import type { CompiledDeployment } from '../../src/data-plane/compile/index.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';

export function testInvocation(deployment: CompiledDeployment, variables: Record<string, string>, overrides: Partial<InvocationContext>): InvocationContext {
  return {
    requestId: 'req-1',
    extendedRequestId: 'ext-1',
    startedAt: Date.UTC(2024, 1, 3, 4, 5, 6),
    services: { executeApiDomain: 'execute-api.localhost' },
    httpMethod: 'POST',
    protocol: 'HTTP/1.1',
    sourceIp: '10.0.0.7',
    domainName: 'a1b2c3d4e5.execute-api.localhost',
    path: '/',
    segments: [],
    query: {},
    headers: {},
    rawHeaderNames: {},
    body: Buffer.alloc(0),
    received: { path: '/dev/', query: '', body: Buffer.alloc(0) },
    stage: { config: { restApiId: 'a1b2c3d4e5', stageName: 'dev', deploymentId: 'dep123', variables, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false }, deployment },
    resource: deployment.snapshot.resources[0],
    pathParams: {},
    ...overrides,
  };
}
