// The endpoint rules of an integration: an HTTP(S) URL for HTTP integrations, an API Gateway service
// ARN for AWS integrations, and no endpoint at all for MOCK.
import { badRequest } from '../protocol/errors.js';
import type { Integration } from '../protocol/shapes.js';

// Stage variables and path parameters (`${stageVariables.host}`, `{id}`) may stand anywhere after the scheme.
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;

// arn:{partition}:{service}:{region}:{account}:{resource}; for API Gateway the account slot names the AWS service.
const ARN = /^arn:[^:]+:([^:]*):([^:]*):([^:]*):(.+)$/;

const PROXY_SERVICES = ['lambda', 'firehose'];

/** The parts of `arn:aws:apigateway:{region}:{subdomain.service|service}:path|action/{api}` an integration needs. */
type ServiceArn = { region: string; service: string; kind: 'path' | 'action'; target: string };

function parseServiceArn(uri: string): ServiceArn {
  const match = ARN.exec(uri);
  if (!match) throw badRequest('Invalid ARN specified in the request');
  const [, arnService, region, service, resource] = match as unknown as [string, string, string, string, string];
  const slash = resource.indexOf('/');
  const kind = resource.slice(0, slash);
  if (slash < 0 || (kind !== 'path' && kind !== 'action')) throw badRequest('AWS ARN for integration must contain path or action');
  if (arnService !== 'apigateway' || !service) throw badRequest('Invalid ARN specified in the request');
  return { region, service: service.split('.').pop()!, kind, target: resource.slice(slash + 1) };
}

function checkHttpUri(uri: string) {
  if (!HTTP_URL.test(uri)) throw badRequest('Invalid HTTP endpoint specified for URI');
}

function checkAwsUri(integration: Integration) {
  const arn = parseServiceArn(integration.uri!);
  if (integration.type === 'AWS_PROXY' && !PROXY_SERVICES.includes(arn.service)) {
    throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
}

/** Checks the endpoint of a non-MOCK integration against its type. */
export function checkIntegrationUri(integration: Integration) {
  if (integration.type === 'MOCK') return;
  if (!integration.uri) throw badRequest('Invalid integration URI specified');
  if (integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') checkHttpUri(integration.uri);
  else checkAwsUri(integration);
}
