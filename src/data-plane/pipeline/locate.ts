// Finds the API and stage a request is for, from either invoke URL form:
// host style `{restApiId}.{executeApiDomain}/{stage}/{path}` or path style
// `/restapis/{restApiId}/{stage}/_user_request_/{path}`, or from a custom domain name's base path
// mapping when the Host is one: `{domainName}/{basePath}/{path}` (the longest base path wins;
// a mapping without a stage takes it from the next segment). A name with mutual TLS is only reached
// over TLS, for that name (SNI), with a client certificate its truststore verified.
import { findDomain, matchBasePath, type CompiledDomain } from '../compile/domains.js';
import type { CompiledConfig, CompiledStage } from '../compile/index.js';
import { clientCertIdentity, type ClientCertIdentity, type TlsClient } from '../tls/mutual-tls.js';
import type { InvocationContext } from './context.js';

export class Forbidden extends Error {}

/**
 * `basePath`: on a custom domain, what precedes the API's path (`/v1/orders`, the stage too when the path names it, `''`);
 * `clientCert`: the certificate a mutual TLS name verified.
 */
export type Located = { stage: CompiledStage; pathSegments: string[]; basePath?: string; clientCert?: ClientCertIdentity };

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function splitPath(rawPath: string): string[] {
  return rawPath.split('/').filter(Boolean).map(decodeSegment);
}

/** A mutual TLS name's verified client certificate; Forbidden without one. */
function mutualTlsClient(config: CompiledConfig, domain: CompiledDomain, tls: TlsClient | undefined): ClientCertIdentity {
  const verified = tls?.authorized && tls.servername !== undefined && findDomain(config.domains, tls.servername) === domain;
  const identity = verified ? clientCertIdentity(tls.socket) : undefined;
  if (!identity) throw new Forbidden();
  return identity;
}

/** Through a custom domain name: undefined when the host is not one; Forbidden when no base path maps the path. */
function locateByDomain(config: CompiledConfig, hostname: string, segments: string[], tls: TlsClient | undefined): Located | undefined {
  const domain = findDomain(config.domains, hostname);
  if (!domain) return undefined;
  const clientCert = domain.truststoreUri !== undefined ? mutualTlsClient(config, domain, tls) : undefined;
  const decoded = segments.map(decodeSegment);
  const match = matchBasePath(domain, decoded);
  if (!match) throw new Forbidden();
  const { mapping, consumed } = match;
  const stageName = mapping.stage ?? decoded[consumed];
  const stage = stageName === undefined ? undefined : config.apis.get(mapping.restApiId)?.get(stageName);
  if (!stage || stage.deployment.snapshot.accountId !== domain.accountId) throw new Forbidden();
  const prefix = consumed + (mapping.stage === undefined ? 1 : 0);
  return { stage, pathSegments: decoded.slice(prefix), basePath: prefix ? `/${decoded.slice(0, prefix).join('/')}` : '', ...(clientCert ? { clientCert } : {}) };
}

/** `tls`: the connection's TLS side, when the request came over the HTTPS port. */
export function locate(config: CompiledConfig | undefined, host: string, rawPath: string, executeApiDomain: string, tls?: TlsClient): Located {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const segments = rawPath.split('/').filter(Boolean);
  const viaDomain = config && !hostname.endsWith(`.${executeApiDomain}`) ? locateByDomain(config, hostname, segments, tls) : undefined;
  if (viaDomain) return viaDomain;
  let restApiId: string | undefined;
  let stageName: string | undefined;
  let rest: string[] = [];
  if (hostname.endsWith(`.${executeApiDomain}`) && hostname.length > executeApiDomain.length + 1) {
    restApiId = hostname.slice(0, -(executeApiDomain.length + 1));
    stageName = segments[0] && decodeSegment(segments[0]);
    rest = segments.slice(1);
  } else if (segments[0] === 'restapis' && segments[3] === '_user_request_') {
    restApiId = segments[1];
    stageName = segments[2] && decodeSegment(segments[2]);
    rest = segments.slice(4);
  }
  const stage = restApiId && stageName ? config?.apis.get(restApiId)?.get(stageName) : undefined;
  if (!stage) throw new Forbidden();
  return { stage, pathSegments: rest.map(decodeSegment) };
}

export function applyLocation(ctx: InvocationContext, located: Located): void {
  ctx.stage = located.stage;
  ctx.segments = located.pathSegments;
  ctx.path = '/' + located.pathSegments.join('/');
  if (located.basePath !== undefined) ctx.basePath = located.basePath;
  if (located.clientCert) ctx.clientCert = located.clientCert;
}
