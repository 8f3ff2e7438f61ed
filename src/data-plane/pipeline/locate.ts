// Finds the API and stage a request is for, from either invoke URL form:
// host style `{restApiId}.{executeApiDomain}/{stage}/{path}` or path style
// `/restapis/{restApiId}/{stage}/_user_request_/{path}`.
import type { CompiledConfig, CompiledStage } from '../compile/index.js';
import type { InvocationContext } from './context.js';

export class Forbidden extends Error {}

export type Located = { stage: CompiledStage; pathSegments: string[] };

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function splitPath(rawPath: string): string[] {
  return rawPath.split('/').filter(Boolean).map(decodeSegment);
}

export function locate(config: CompiledConfig | undefined, host: string, rawPath: string, executeApiDomain: string): Located {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const segments = rawPath.split('/').filter(Boolean);
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
}
