// Integration request: what the integration receives. Request parameters are mapped into the URI
// path, query string and headers; the body is the request template chosen by Content-Type, or the
// method request's body as passthroughBehavior allows (415 Unsupported Media Type otherwise).
import type { Integration } from '../../control-plane/protocol/shapes.js';
import { methodMappings } from '../compile/templates.js';
import { encodePathValue } from '../integrations/http-url.js';
import { contextVariables, type ContextVariables } from '../mapping/context-variables.js';
import { isMap, javaString } from '../mapping/java-values.js';
import { requestTemplateFor, type MediaTemplate } from '../mapping/media-types.js';
import { applyParameters, type MappedParameters } from '../mapping/parameters.js';
import { parameterSources, renderTemplate, templateVariables } from '../mapping/variables.js';
import { integrationRequestPayload } from '../payload/content-handling.js';
import { firstValue, type HeaderMap, type InvocationContext, type QueryMap } from './context.js';
import { GatewayError } from './errors.js';

function requestTemplate(integration: Integration, templates: MediaTemplate[], contentType: string | undefined): MediaTemplate | undefined {
  const template = requestTemplateFor(templates, contentType);
  if (template) return template;
  const behavior = (integration.passthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase();
  if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && templates.length > 0)) {
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
  }
  return undefined;
}

/** `{name}` in the integration URI becomes integration.request.path.name, each segment URL-encoded. */
function substitutePath(uri: string, path: Record<string, string>): string {
  if (!uri.includes('{')) return uri;
  return uri.replace(/\{([^{}]+?)\+?\}/g, (whole, name: string) => (Object.hasOwn(path, name) ? encodePathValue(path[name]!) : whole));
}

/** $context.requestOverride.* set by the template wins over everything mapped before. */
function applyOverrides(context: ContextVariables, headers: HeaderMap, query: QueryMap, path: Record<string, string>): void {
  const { header, querystring, path: pathOverride } = context.requestOverride;
  const entries = (map: unknown) => (isMap(map) ? Object.entries(map) : []);
  for (const [name, value] of entries(header)) headers[name.toLowerCase()] = [javaString(value)];
  for (const [name, value] of entries(querystring)) query[name] = [javaString(value)];
  for (const [name, value] of entries(pathOverride)) path[name] = javaString(value);
}

const NOTHING_MAPPED: MappedParameters = Object.freeze({ path: Object.freeze({}), query: Object.freeze({}), headers: Object.freeze({}) });

export function integrationRequest(ctx: InvocationContext): void {
  const integration = ctx.integration!;
  const uri = integration.uri ?? '';
  const httpMethod = integration.httpMethod ?? ctx.httpMethod;
  // Lambda proxy events are built from the method request itself.
  if (integration.type === 'AWS_PROXY') {
    ctx.integrationRequest = { uri, httpMethod, headers: ctx.headers, query: ctx.query, body: ctx.body };
    return;
  }
  const mappings = methodMappings(ctx.stage?.deployment.mappings, ctx.method);
  // $context is built only when a mapping or the template reads it; the template's overrides are in it.
  let context: ContextVariables | undefined;
  const contextOf = () => (context ??= contextVariables(ctx));
  const mapped = mappings.requestParameters.length ? applyParameters(mappings.requestParameters, parameterSources(ctx, contextOf)) : NOTHING_MAPPED;
  const proxy = integration.type === 'HTTP_PROXY';
  let body = ctx.body;
  let contentType = firstValue(ctx.headers, 'content-type');
  if (!proxy) {
    const template = requestTemplate(integration, mappings.requestTemplates, contentType);
    // contentHandling converts the payload before the template sees it as $input.body.
    body = integrationRequestPayload(ctx);
    if (template) {
      const compiled = template.template;
      body = Buffer.from(compiled.constant ?? renderTemplate(compiled, templateVariables(ctx, body, contextOf, compiled.uses), ctx), 'utf8');
      contentType = template.mediaType;
    }
  }
  // Proxies forward the whole method request; other integrations receive only what is mapped.
  const headers: HeaderMap = proxy ? { ...ctx.headers } : contentType && body.length ? { 'content-type': [contentType] } : {};
  const query: QueryMap = proxy ? { ...ctx.query } : {};
  Object.assign(headers, mapped.headers);
  Object.assign(query, mapped.query);
  const path = { ...mapped.path };
  if (context) applyOverrides(context, headers, query, path);
  ctx.integrationRequest = { uri: substitutePath(uri, path), httpMethod, headers, query, body };
}
