// What an AWS service integration (type AWS, a URI of another service than Lambda) needs besides its
// integration request, compiled once per deployment: the service, region and subdomain its URI names,
// whether it calls a path or an action, and the X-Amz-Target prefix of services that take one.
import type { Integration, Method } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import { isLambdaUri } from './lambda.js';

export type AwsServiceIntegration = {
  /** the service's name as it signs (`s3`, `sqs`, `dynamodb`, ...) and as PORTICO_AWS_ENDPOINT_{SERVICE} names it */
  service: string;
  /** the region the call is signed for; empty in the URI means the gateway's own */
  region: string;
  /** `{subdomain}.{service}` in the URI: prefixed to the endpoint's host name */
  subdomain?: string;
  kind: 'path' | 'action';
  /** where the path or action begins in the integration request's URI (after `:path/` or `:action/`) */
  targetOffset: number;
  /** `X-Amz-Target: {prefix}.{Action}` for actions of JSON-protocol services, which API Gateway sets itself */
  targetPrefix?: string;
};

/** JSON-protocol services whose actions API Gateway addresses with X-Amz-Target by itself. */
const TARGET_PREFIXES: Record<string, string> = {
  dynamodb: 'DynamoDB_20120810',
  kinesis: 'Kinesis_20131202',
  states: 'AWSStepFunctions',
};

const SERVICE_URI = /^arn:[^:]+:apigateway:([^:]*):([^:]+):(path|action)\//;

/** The service call an AWS integration URI names, or undefined when it names none (the call fails as misconfigured). */
export function parseAwsServiceUri(uri: string): AwsServiceIntegration | undefined {
  const match = SERVICE_URI.exec(uri);
  if (!match) return undefined;
  const [whole, region, host, kind] = match as unknown as [string, string, string, 'path' | 'action'];
  const dot = host.lastIndexOf('.');
  const service = host.slice(dot + 1).toLowerCase();
  const subdomain = dot > 0 ? host.slice(0, dot) : undefined;
  const targetPrefix = kind === 'action' ? TARGET_PREFIXES[service] : undefined;
  return { service, region, kind, targetOffset: whole.length, ...(subdomain ? { subdomain } : {}), ...(targetPrefix ? { targetPrefix } : {}) };
}

const isAwsService = (integration: Integration | undefined) => integration?.type === 'AWS' && !isLambdaUri(integration.uri);

export function compileAwsServiceIntegrations(snapshot: DeploymentSnapshot): Map<Method, AwsServiceIntegration> {
  const compiled = new Map<Method, AwsServiceIntegration>();
  for (const resource of snapshot.resources) {
    for (const method of Object.values(resource.methods)) {
      const integration = method.methodIntegration;
      if (!isAwsService(integration)) continue;
      const parsed = parseAwsServiceUri(integration!.uri ?? '');
      if (parsed) compiled.set(method, parsed);
    }
  }
  return compiled;
}
