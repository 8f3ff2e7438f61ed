// GetExport's documents: a stage's deployed API as Swagger 2.0 or OpenAPI 3.0.1, shaped as API
// Gateway exports it, with the x-amazon-apigateway-* extensions when asked for (`integrations`,
// `authorizers`, or `apigateway` for all of them), so that importing the export gives the API back.
import type { Authorizer, DocumentationPart, Method, Model } from '../protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import type { Json } from './document.js';

export type ExportType = 'swagger' | 'oas30';

export type ExportInput = {
  type: ExportType;
  snapshot: DeploymentSnapshot;
  title: string;
  description?: string;
  version: string;
  host: string;
  stageName: string;
  extensions: Set<string>;
  documentation?: { version: string; createdDate: Date; parts: DocumentationPart[] };
};

const canonicalRef = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)$/;

const compact = <T extends Json>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;

/** A model's schema as a definition: model URLs become local references, `$schema` goes. */
function definitionOf(model: Model, refPrefix: string): unknown {
  let schema: unknown;
  try {
    schema = JSON.parse(model.schema ?? '{}');
  } catch {
    return {};
  }
  const localize = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(localize);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key]) => key !== '$schema')
        .map(([key, value]) => {
          const match = key === '$ref' && typeof value === 'string' ? canonicalRef.exec(value) : null;
          return [key, match ? `${refPrefix}${match[1]}` : localize(value)];
        }),
    );
  };
  return localize(schema);
}

type Location = 'path' | 'query' | 'header';
const LOCATION_OF: Record<string, Location> = { path: 'path', querystring: 'query', header: 'header' };

/**
 * Keys in the order a Java HashMap of their size iterates them: API Gateway lists a method's
 * parameters so (`type` before `page`), and the stored map keeps no order of its own.
 */
function javaHashMapOrder(keys: string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string) => {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
    return ((h ^ (h >>> 16)) >>> 0) & (capacity - 1);
  };
  return keys.map((key, i) => ({ key, i, b: bucket(key) })).sort((x, y) => x.b - y.b || x.i - y.i).map((e) => e.key);
}

function parametersOf(method: Method, type: ExportType): Json[] {
  const out: Json[] = [];
  const parameters = method.requestParameters ?? {};
  for (const key of javaHashMapOrder(Object.keys(parameters))) {
    const required = parameters[key];
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!match) continue;
    const location = LOCATION_OF[match[1]!]!;
    const isRequired = location === 'path' || required;
    out.push(
      type === 'swagger'
        ? { name: match[2], in: location, required: isRequired, type: 'string' }
        : { name: match[2], in: location, ...(isRequired ? { required: true } : {}), schema: { type: 'string' } },
    );
  }
  return out;
}

function integrationExtension(method: Method): Json | undefined {
  const integration = method.methodIntegration;
  if (!integration) return undefined;
  const responses: Json = {};
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    const key = response.selectionPattern === undefined || response.selectionPattern === null ? 'default' : response.selectionPattern;
    responses[key] = compact({
      statusCode: response.statusCode,
      responseParameters: response.responseParameters,
      responseTemplates: response.responseTemplates,
      contentHandling: response.contentHandling,
    });
  }
  return compact({
    type: integration.type?.toLowerCase(),
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    credentials: integration.credentials,
    connectionType: integration.connectionType === 'VPC_LINK' ? 'VPC_LINK' : undefined,
    connectionId: integration.connectionId,
    responses: Object.keys(responses).length ? responses : undefined,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior?.toLowerCase(),
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis !== undefined && integration.timeoutInMillis !== 29000 ? integration.timeoutInMillis : undefined,
    cacheNamespace: undefined,
    cacheKeyParameters: integration.cacheKeyParameters,
    tlsConfig: integration.tlsConfig,
  });
}

type DocIndex = (type: string, path?: string, method?: string, extra?: { statusCode?: string; name?: string }) => Json | undefined;

/** The documentation published to the stage, looked up as API Gateway inherits it (exact method first, then `*`). */
function docIndex(parts: DocumentationPart[] | undefined): DocIndex {
  const byKey = new Map<string, Json>();
  for (const part of parts ?? []) {
    const l = part.location!;
    try {
      byKey.set(JSON.stringify([l.type, l.path ?? null, l.method ?? null, l.statusCode ?? null, l.name ?? null]), JSON.parse(part.properties ?? '{}'));
    } catch {
      continue;
    }
  }
  return (type, path, method, extra = {}) => {
    for (const m of method === undefined ? [null] : [method, '*']) {
      for (const s of extra.statusCode === undefined ? [null] : [extra.statusCode, '*']) {
        const found = byKey.get(JSON.stringify([type, path ?? null, m, s, extra.name ?? null]));
        if (found) return found;
      }
    }
    return undefined;
  };
}

function operationOf(input: ExportInput, path: string, httpMethod: string, method: Method, docs: DocIndex, authorizers: Authorizer[]): Json {
  const swagger = input.type === 'swagger';
  const refPrefix = swagger ? '#/definitions/' : '#/components/schemas/';
  const methodDoc = docs('METHOD', path, httpMethod) ?? {};
  const parameters = parametersOf(method, input.type).map((p) => {
    const docType = p.in === 'path' ? 'PATH_PARAMETER' : p.in === 'query' ? 'QUERY_PARAMETER' : 'REQUEST_HEADER';
    const described = docs(docType, path, httpMethod, { name: String(p.name) });
    return described?.description ? { ...p, description: described.description } : p;
  });
  const requestModels = Object.entries(method.requestModels ?? {});
  const requestTemplates = Object.keys(method.methodIntegration?.requestTemplates ?? {});
  const responseTemplates = Object.values(method.methodIntegration?.integrationResponses ?? {}).flatMap((r) => Object.keys(r.responseTemplates ?? {}));
  const responseModels = Object.values(method.methodResponses ?? {}).flatMap((r) => Object.keys(r.responseModels ?? {}));
  const consumes = [...new Set([...requestModels.map(([ct]) => ct), ...requestTemplates])];
  const produces = [...new Set([...responseModels, ...responseTemplates])];
  if (swagger && requestModels.length) {
    const [, model] = requestModels[0]!;
    parameters.push({ in: 'body', name: model, required: true, schema: { $ref: `${refPrefix}${model}` } });
  }

  const responses: Json = {};
  for (const [statusCode, response] of Object.entries(method.methodResponses ?? {})) {
    const described = docs('RESPONSE', path, httpMethod, { statusCode });
    const headers = Object.fromEntries(
      Object.keys(response.responseParameters ?? {})
        .filter((k) => k.startsWith('method.response.header.'))
        .map((k) => {
          const name = k.slice('method.response.header.'.length);
          const headerDoc = docs('RESPONSE_HEADER', path, httpMethod, { statusCode, name });
          const description = headerDoc?.description ? { description: headerDoc.description } : {};
          return [name, swagger ? { type: 'string', ...description } : { ...description, schema: { type: 'string' } }];
        }),
    );
    const models = Object.entries(response.responseModels ?? {});
    const entry: Json = { description: (described?.description as string | undefined) ?? `${statusCode} response` };
    if (swagger) {
      const json = models.find(([ct]) => ct === 'application/json') ?? models[0];
      if (json) entry.schema = { $ref: `${refPrefix}${json[1]}` };
      if (Object.keys(headers).length) entry.headers = headers;
    } else {
      if (Object.keys(headers).length) entry.headers = headers;
      entry.content = Object.fromEntries(models.map(([ct, model]) => [ct, { schema: { $ref: `${refPrefix}${model}` } }]));
    }
    responses[statusCode] = entry;
  }

  const security: Json[] = [];
  if (method.authorizerId && (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS')) {
    const authorizer = authorizers.find((a) => a.id === method.authorizerId);
    if (authorizer) security.push({ [authorizer.name!]: method.authorizationScopes ?? [] });
  }
  if (method.authorizationType === 'AWS_IAM') security.push({ sigv4: [] });
  if (method.apiKeyRequired) security.push({ api_key: [] });

  const operation: Json = compact({
    tags: methodDoc.tags as string[] | undefined,
    summary: methodDoc.summary,
    description: methodDoc.description,
    operationId: method.operationName,
    consumes: swagger && consumes.length ? consumes : undefined,
    produces: swagger && produces.length ? produces : undefined,
    parameters: parameters.length ? parameters : undefined,
    requestBody: !swagger && requestModels.length
      ? { content: Object.fromEntries(requestModels.map(([ct, model]) => [ct, { schema: { $ref: `${refPrefix}${model}` } }])), required: true }
      : undefined,
    responses,
    security: security.length ? security : undefined,
  });
  const all = input.extensions.has('apigateway');
  if (all && method.requestValidatorId) {
    const validator = input.snapshot.requestValidators.find((v) => v.id === method.requestValidatorId);
    if (validator) operation['x-amazon-apigateway-request-validator'] = validator.name;
  }
  if (all || input.extensions.has('integrations')) {
    const integration = integrationExtension(method);
    if (integration) operation['x-amazon-apigateway-integration'] = integration;
  }
  return operation;
}

function securitySchemes(input: ExportInput, used: Set<string>): Json {
  const withAuthorizers = input.extensions.has('apigateway') || input.extensions.has('authorizers');
  const schemes: Json = {};
  if (used.has('api_key')) schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  if (used.has('sigv4')) schemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  for (const authorizer of input.snapshot.authorizers) {
    if (!withAuthorizers && !used.has(authorizer.name!)) continue;
    const source = /^method\.request\.(header|querystring)\.([^,\s]+)$/.exec(authorizer.identitySource ?? '');
    schemes[authorizer.name!] = {
      type: 'apiKey',
      name: source?.[2] ?? 'Unused',
      in: source?.[1] === 'querystring' ? 'query' : 'header',
      'x-amazon-apigateway-authtype': authorizer.authType,
      ...(withAuthorizers
        ? {
            'x-amazon-apigateway-authorizer': compact({
              type: authorizer.type?.toLowerCase(),
              authorizerUri: authorizer.authorizerUri,
              authorizerCredentials: authorizer.authorizerCredentials,
              identitySource: authorizer.identitySource,
              identityValidationExpression: authorizer.identityValidationExpression,
              authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
              providerARNs: authorizer.providerARNs,
            }),
          }
        : {}),
    };
  }
  return schemes;
}

function apiExtensions(input: ExportInput): Json {
  const { api, requestValidators, gatewayResponses } = input.snapshot;
  const out: Json = {};
  if (api.binaryMediaTypes?.length) out['x-amazon-apigateway-binary-media-types'] = api.binaryMediaTypes;
  if (!input.extensions.has('apigateway')) return out;
  if (api.apiKeySource && api.apiKeySource !== 'HEADER') out['x-amazon-apigateway-api-key-source'] = api.apiKeySource;
  if (api.minimumCompressionSize !== undefined) out['x-amazon-apigateway-minimum-compression-size'] = api.minimumCompressionSize;
  if (api.policy) {
    try {
      out['x-amazon-apigateway-policy'] = JSON.parse(api.policy);
    } catch {
      out['x-amazon-apigateway-policy'] = api.policy;
    }
  }
  if (api.endpointConfiguration?.vpcEndpointIds?.length || api.disableExecuteApiEndpoint) {
    out['x-amazon-apigateway-endpoint-configuration'] = compact({
      vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds,
      disableExecuteApiEndpoint: api.disableExecuteApiEndpoint || undefined,
    });
  }
  if (requestValidators.length) {
    out['x-amazon-apigateway-request-validators'] = Object.fromEntries(
      requestValidators.map((v) => [v.name, { validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false }]),
    );
  }
  if (gatewayResponses.length) {
    out['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(
      gatewayResponses.map((r) => [r.responseType, compact({ statusCode: r.statusCode, responseParameters: r.responseParameters, responseTemplates: r.responseTemplates })]),
    );
  }
  if (input.documentation) {
    out['x-amazon-apigateway-documentation'] = {
      version: input.documentation.version,
      createdDate: input.documentation.createdDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      documentationParts: input.documentation.parts.map((p) => ({ location: compact({ ...p.location }), properties: JSON.parse(p.properties ?? '{}') })),
    };
  }
  return out;
}

export function buildExport(input: ExportInput): Json {
  const swagger = input.type === 'swagger';
  const docs = docIndex(input.documentation?.parts);
  const apiDoc = docs('API') ?? {};
  const infoDoc = (apiDoc.info ?? {}) as Json;
  const paths: Json = {};
  const used = new Set<string>();
  for (const resource of input.snapshot.resources) {
    const entries = Object.entries(resource.methods);
    if (!entries.length) continue;
    const item: Json = {};
    for (const [httpMethod, method] of entries) {
      const key = httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
      const operation = operationOf(input, resource.path, httpMethod, method, docs, input.snapshot.authorizers);
      for (const requirement of (operation.security as Json[] | undefined) ?? []) for (const name of Object.keys(requirement)) used.add(name);
      item[key] = operation;
    }
    paths[resource.path] = item;
  }
  const refPrefix = swagger ? '#/definitions/' : '#/components/schemas/';
  const definitions = Object.fromEntries(input.snapshot.models.map((m) => [m.name, definitionOf(m, refPrefix)]));
  const schemes = securitySchemes(input, used);
  const description = (infoDoc.description as string | undefined) ?? input.description;
  const info = swagger
    ? compact({ description, version: input.version, title: input.title })
    : compact({ title: input.title, description, version: input.version });
  if (swagger) {
    return compact({
      swagger: '2.0',
      info,
      host: input.host,
      basePath: `/${input.stageName}`,
      schemes: ['https'],
      paths,
      securityDefinitions: Object.keys(schemes).length ? schemes : undefined,
      definitions: Object.keys(definitions).length ? definitions : undefined,
      ...apiExtensions(input),
    });
  }
  const components: Json = {};
  if (Object.keys(definitions).length) components.schemas = definitions;
  if (Object.keys(schemes).length) components.securitySchemes = schemes;
  return {
    openapi: '3.0.1',
    info,
    servers: [{ url: `https://${input.host}/{basePath}`, variables: { basePath: { default: input.stageName } } }],
    paths,
    components,
    ...apiExtensions(input),
  };
}

/** A Postman collection (v2.1) of the stage's methods, as `extensions=postman` asks for. */
export function buildPostman(input: ExportInput): Json {
  const items: Json[] = [];
  for (const resource of input.snapshot.resources) {
    for (const httpMethod of Object.keys(resource.methods)) {
      const path = resource.path.replace(/\{([^}+]+)\+?\}/g, ':$1');
      items.push({
        name: `${httpMethod} ${resource.path}`,
        request: {
          method: httpMethod === 'ANY' ? 'GET' : httpMethod,
          url: {
            raw: `https://${input.host}/${input.stageName}${path === '/' ? '' : path}`,
            protocol: 'https',
            host: input.host.split('.'),
            path: [input.stageName, ...path.split('/').filter(Boolean)],
          },
        },
      });
    }
  }
  return {
    info: { name: input.title, ...(input.description ? { description: input.description } : {}), schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: items,
  };
}
