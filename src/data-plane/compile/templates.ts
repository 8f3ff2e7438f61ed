// Compiles every mapping of a deployment once: request and response templates, parameter mappings,
// selection patterns, and the templates and parameters of customized gateway responses.
import type { Integration, Method } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import { mediaTypeOf, type MediaTemplate } from '../mapping/media-types.js';
import { compileParameters, type CompiledParameter } from '../mapping/parameters.js';
import { compileTemplate } from '../mapping/vtl.js';

export type CompiledIntegrationResponse = {
  statusCode: string;
  /** the selectionPattern as a whole-string match; undefined for the default response */
  selectionPattern?: RegExp;
  templates: MediaTemplate[];
  parameters: CompiledParameter[];
  contentHandling?: string;
};

export type CompiledMethodMappings = {
  requestTemplates: MediaTemplate[];
  requestParameters: CompiledParameter[];
  /** those with a selectionPattern first, in definition order, then the default */
  integrationResponses: CompiledIntegrationResponse[];
};

export type CompiledGatewayResponseMappings = { templates: MediaTemplate[]; parameters: CompiledParameter[] };

export type CompiledMappings = {
  /** by the snapshot's Method object, as the route step finds it */
  methods: Map<Method, CompiledMethodMappings>;
  /** customized gateway responses by responseType */
  gatewayResponses: Map<string, CompiledGatewayResponseMappings>;
};

const NEVER = /(?!)/;

const NO_MAPPINGS: CompiledMethodMappings = { requestTemplates: [], requestParameters: [], integrationResponses: [] };

/** The compiled mappings of the method a request was routed to. */
export function methodMappings(mappings: CompiledMappings | undefined, method: Method | undefined): CompiledMethodMappings {
  return (method && mappings?.methods.get(method)) || NO_MAPPINGS;
}

function templates(source: Record<string, string> | undefined): MediaTemplate[] {
  return Object.entries(source ?? {})
    .filter(([, template]) => typeof template === 'string')
    .map(([contentType, template]) => ({ mediaType: mediaTypeOf(contentType), template: compileTemplate(template) }));
}

/** Java's String.matches: the whole string; a pattern JavaScript cannot read never matches. */
function selectionPattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return NEVER;
  }
}

function integrationResponses(integration: Integration): CompiledIntegrationResponse[] {
  const compiled = Object.entries(integration.integrationResponses ?? {}).map(([statusCode, response]) => ({
    statusCode: response.statusCode ?? statusCode,
    ...(response.selectionPattern ? { selectionPattern: selectionPattern(response.selectionPattern) } : {}),
    templates: templates(response.responseTemplates),
    parameters: compileParameters(response.responseParameters),
    contentHandling: response.contentHandling,
  }));
  return [...compiled.filter((r) => r.selectionPattern), ...compiled.filter((r) => !r.selectionPattern)];
}

export function compileMappings(snapshot: DeploymentSnapshot): CompiledMappings {
  const methods = new Map<Method, CompiledMethodMappings>();
  for (const resource of snapshot.resources) {
    for (const method of Object.values(resource.methods)) {
      const integration = method.methodIntegration ?? {};
      methods.set(method, {
        requestTemplates: templates(integration.requestTemplates),
        requestParameters: compileParameters(integration.requestParameters),
        integrationResponses: integrationResponses(integration),
      });
    }
  }
  const gatewayResponses = new Map<string, CompiledGatewayResponseMappings>();
  for (const response of snapshot.gatewayResponses) {
    if (!response.responseType) continue;
    gatewayResponses.set(response.responseType, { templates: templates(response.responseTemplates), parameters: compileParameters(response.responseParameters) });
  }
  return { methods, gatewayResponses };
}
