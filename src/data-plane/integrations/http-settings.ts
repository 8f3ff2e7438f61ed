// What an HTTP or HTTP_PROXY integration needs besides its integration request, compiled once per
// deployment: its timeout, and whether its mappings set a header API Gateway reserves.
import type { Integration, Method } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';

export type HttpIntegrationSettings = {
  timeoutMs: number;
  /** a request parameter maps to a header API Gateway computes itself; every call fails with 500 */
  mapsReservedHeader: boolean;
};

export const DEFAULT_TIMEOUT_MS = 29_000;

const RESERVED_HEADERS = new Set(['content-length', 'transfer-encoding', 'x-amzn-trace-id', 'x-amzn-apigateway-api-id']);
const HEADER_TARGET = /^integration\.request\.header\.(.+)$/s;

function mapsReservedHeader(integration: Integration): boolean {
  return Object.keys(integration.requestParameters ?? {}).some((target) => {
    const header = HEADER_TARGET.exec(target)?.[1];
    return header !== undefined && RESERVED_HEADERS.has(header.toLowerCase());
  });
}

export function compileHttpIntegrations(snapshot: DeploymentSnapshot): Map<Method, HttpIntegrationSettings> {
  const settings = new Map<Method, HttpIntegrationSettings>();
  for (const resource of snapshot.resources) {
    for (const method of Object.values(resource.methods)) {
      const integration = method.methodIntegration;
      if (integration?.type !== 'HTTP' && integration?.type !== 'HTTP_PROXY') continue;
      settings.set(method, { timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS, mapsReservedHeader: mapsReservedHeader(integration) });
    }
  }
  return settings;
}
