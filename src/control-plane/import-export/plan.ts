// Reads an OpenAPI 3 / Swagger 2 document with API Gateway's x-amazon-apigateway-* extensions into
// what ImportRestApi and PutRestApi write: API settings, models, authorizers, request validators,
// resources, methods with their integrations, gateway responses and documentation parts. Problems
// are collected as AWS reports them: errors fail the import, warnings only with failonwarnings.
import { checkAuthorizer } from '../authorizers/handlers.js';
import { documentationPartsOf } from '../documentation/from-document.js';
import type { NewPart } from '../documentation/store.js';
import { checkIntegration, checkIntegrationResponse } from '../integrations/validate.js';
import { normalizeTemplates } from '../integrations/mapping.js';
import { checkHttpMethod, checkRequestParameters, checkResponseParameters, usesAuthorizer } from '../methods/validate.js';
import { checkModelSchema } from '../models/schema.js';
import { ApiError } from '../protocol/errors.js';
import type { Authorizer, GatewayResponse, GatewayResponseType, Integration, IntegrationResponse, Method, MethodResponse } from '../protocol/shapes.js';
import { childPath, pathPartKind } from '../resources/path-part.js';
import { defaultResponseTemplates, gatewayResponseTypes, builtInGatewayResponse } from '../../shared/gateway-responses.js';
import { deref, isObject, referencedModel, stringOf, type ApiDocument, type Json } from './document.js';
import { prettyJson } from './jackson.js';

export type ApiSettings = {
  name?: string;
  description?: string;
  version?: string;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  policy?: string;
  vpcEndpointIds?: string[];
  disableExecuteApiEndpoint?: boolean;
};

export type PlannedModel = { name: string; contentType: string; description?: string; schema: string };
export type PlannedValidator = { name: string; validateRequestBody: boolean; validateRequestParameters: boolean };
/** A method whose authorizer and validator are named; their ids are known once they are written. */
export type PlannedMethod = { path: string; method: Method; authorizerName?: string; validatorName?: string };

export type ImportPlan = {
  api: ApiSettings;
  models: PlannedModel[];
  authorizers: Authorizer[];
  validators: PlannedValidator[];
  /** every resource path the methods need, parents first */
  paths: string[];
  methods: PlannedMethod[];
  gatewayResponses: GatewayResponse[];
  /** absent with ignore=documentation */
  documentation?: NewPart[];
  warnings: string[];
  errors: string[];
};

export type ImportOptions = { restApiId: string; basepath?: string; ignoreDocumentation: boolean };

const OPERATION_KEYS: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD',
  'x-amazon-apigateway-any-method': 'ANY',
};
const INTEGRATION_TYPES = ['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK'];
const DEFAULT_TIMEOUT = 29000;
/** OpenAPI-only schema keywords, which a model (JSON Schema draft 4) does without. */
const OPENAPI_KEYWORDS = ['example', 'examples', 'nullable', 'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'deprecated'];

const modelUrl = (restApiId: string, name: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;
const messageOf = (e: unknown) => (e instanceof ApiError ? e.message : (e as Error).message);

/** Runs a check, turning its error into one line of the import's report. */
function attempt(errors: string[], context: string, check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    errors.push(`${context}: ${messageOf(e)}`);
    return false;
  }
}

/** Rewrites `#/definitions/X` and `#/components/schemas/X` into the model URLs API Gateway uses. */
function rewriteRefs(node: unknown, restApiId: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, restApiId));
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      const model = key === '$ref' ? referencedModel({ $ref: value }) : undefined;
      return [key, model ? modelUrl(restApiId, model) : rewriteRefs(value, restApiId)];
    }),
  );
}

function withoutOpenApiKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutOpenApiKeywords);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => !OPENAPI_KEYWORDS.includes(k)).map(([k, v]) => [k, withoutOpenApiKeywords(v)]));
}

function schemasOf(document: ApiDocument): Json {
  const { doc } = document;
  const schemas = document.kind === 'swagger' ? doc.definitions : isObject(doc.components) ? doc.components.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

function planModels(document: ApiDocument, options: ImportOptions, existing: Set<string>, errors: string[]): PlannedModel[] {
  const schemas = schemasOf(document);
  const names = new Set([...existing, ...Object.keys(schemas)]);
  const models: PlannedModel[] = [];
  for (const [name, raw] of Object.entries(schemas)) {
    const context = `Unable to create model for '${name}'`;
    if (!/^[a-zA-Z0-9]+$/.test(name)) {
      errors.push(`${context}: Model name must be alphanumeric: ${name}`);
      continue;
    }
    if (!isObject(raw)) {
      errors.push(`${context}: Invalid model schema specified`);
      continue;
    }
    const schema = rewriteRefs(raw, options.restApiId) as Json;
    const ok = attempt(errors, context, () => checkModelSchema(JSON.stringify(withoutOpenApiKeywords(schema)), options.restApiId, names));
    if (!ok) continue;
    models.push({
      name,
      contentType: 'application/json',
      ...(typeof raw.description === 'string' && raw.description ? { description: raw.description } : {}),
      schema: prettyJson(schema),
    });
  }
  return models;
}

function securitySchemesOf(document: ApiDocument): Json {
  const { doc } = document;
  const schemes = document.kind === 'swagger' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  return isObject(schemes) ? schemes : {};
}

function identitySourceOf(scheme: Json): string | undefined {
  if (typeof scheme.name !== 'string' || !scheme.name) return undefined;
  if (scheme.in === 'header') return `method.request.header.${scheme.name}`;
  if (scheme.in === 'query') return `method.request.querystring.${scheme.name}`;
  return undefined;
}

function planAuthorizers(document: ApiDocument, errors: string[]): Authorizer[] {
  const authorizers: Authorizer[] = [];
  for (const [name, raw] of Object.entries(securitySchemesOf(document))) {
    const scheme = isObject(raw) ? raw : {};
    const extension = scheme['x-amazon-apigateway-authorizer'];
    if (!isObject(extension)) continue;
    const type = String(extension.type ?? 'token').toUpperCase() as Authorizer['type'];
    const given = (key: string) => (typeof extension[key] === 'string' && extension[key] !== '' ? (extension[key] as string) : undefined);
    const ttl = extension.authorizerResultTtlInSeconds;
    const authorizer: Authorizer = {
      name,
      type,
      ...(Array.isArray(extension.providerARNs) ? { providerARNs: extension.providerARNs.map(String) } : {}),
      authType: stringOf(scheme['x-amazon-apigateway-authtype']) ?? (type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
      authorizerUri: given('authorizerUri'),
      authorizerCredentials: given('authorizerCredentials'),
      identitySource: given('identitySource') ?? identitySourceOf(scheme),
      identityValidationExpression: given('identityValidationExpression'),
      ...(ttl !== undefined && ttl !== null ? { authorizerResultTtlInSeconds: Number(ttl) } : {}),
    };
    const context = `Unable to create authorizer '${name}'`;
    if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(type!)) {
      errors.push(`${context}: Invalid authorizer type: ${type}. Must be one of: [TOKEN, REQUEST, COGNITO_USER_POOLS]`);
      continue;
    }
    if (attempt(errors, context, () => checkAuthorizer(authorizer))) authorizers.push(JSON.parse(JSON.stringify(authorizer)) as Authorizer);
  }
  return authorizers;
}

function planValidators(doc: Json): PlannedValidator[] {
  const validators = doc['x-amazon-apigateway-request-validators'];
  if (!isObject(validators)) return [];
  return Object.entries(validators).map(([name, raw]) => ({
    name,
    validateRequestBody: isObject(raw) && raw.validateRequestBody === true,
    validateRequestParameters: isObject(raw) && raw.validateRequestParameters === true,
  }));
}

function planGatewayResponses(doc: Json, errors: string[]): GatewayResponse[] {
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  if (!isObject(responses)) return [];
  const planned: GatewayResponse[] = [];
  for (const [type, raw] of Object.entries(responses)) {
    if (!gatewayResponseTypes.includes(type as GatewayResponseType)) {
      errors.push(`Unable to put gateway response '${type}': Invalid gateway response type specified: ${type}`);
      continue;
    }
    const response = isObject(raw) ? raw : {};
    const statusCode = stringOf(response.statusCode) ?? builtInGatewayResponse(type as GatewayResponseType).statusCode;
    planned.push({
      responseType: type as GatewayResponseType,
      ...(statusCode ? { statusCode } : {}),
      responseParameters: stringMap(response.responseParameters) ?? {},
      responseTemplates: stringMap(response.responseTemplates) ?? defaultResponseTemplates(),
      defaultResponse: false,
    });
  }
  return planned;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringOf(v) ?? ''])) as Record<string, string>;
}

/** The document's base path: Swagger's basePath, or the first server's basePath variable or URL path. */
function basePathOf(document: ApiDocument): string {
  const { doc } = document;
  let path = '';
  if (document.kind === 'swagger') path = typeof doc.basePath === 'string' ? doc.basePath : '';
  else {
    const server = Array.isArray(doc.servers) && isObject(doc.servers[0]) ? doc.servers[0] : undefined;
    const variable = server && isObject(server.variables) && isObject(server.variables.basePath) ? server.variables.basePath.default : undefined;
    if (typeof variable === 'string') path = variable;
    else if (typeof server?.url === 'string') {
      try {
        path = decodeURI(new URL(server.url, 'https://placeholder.invalid').pathname);
      } catch {
        path = '';
      }
    }
  }
  const segments = path.split('/').filter(Boolean);
  return segments.length ? `/${segments.join('/')}` : '';
}

function pathPrefix(document: ApiDocument, mode: string | undefined): string {
  const basePath = basePathOf(document);
  if (mode === 'prepend') return basePath;
  if (mode === 'split') return basePath.split('/').filter(Boolean).slice(1).map((s) => `/${s}`).join('');
  return '';
}

const joinPath = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix}${path}`);

type OperationContext = { document: ApiDocument; path: string; httpMethod: string; pathItem: Json; operation: Json; schemes: Json };

function parametersOf(ctx: OperationContext): Json[] {
  const all = [...(Array.isArray(ctx.pathItem.parameters) ? ctx.pathItem.parameters : []), ...(Array.isArray(ctx.operation.parameters) ? ctx.operation.parameters : [])];
  return all.map((p) => deref(ctx.document.doc, p)).filter(isObject);
}

const LOCATIONS: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };

function requestOf(ctx: OperationContext): Pick<Method, 'requestParameters' | 'requestModels'> {
  const parameters: Record<string, boolean> = {};
  const models: Record<string, string> = {};
  const consumes = (ctx.operation.consumes ?? ctx.document.doc.consumes ?? ['application/json']) as string[];
  for (const p of parametersOf(ctx)) {
    const location = LOCATIONS[String(p.in)];
    if (location && typeof p.name === 'string') parameters[`method.request.${location}.${p.name}`] = location === 'path' || p.required === true;
    const model = p.in === 'body' ? referencedModel(p.schema) : undefined;
    if (model) for (const contentType of consumes) models[contentType] = model;
  }
  for (const [, name] of ctx.path.matchAll(/\{([^}+]+)\+?\}/g)) parameters[`method.request.path.${name}`] = true;
  const body = deref(ctx.document.doc, ctx.operation.requestBody);
  if (isObject(body) && isObject(body.content)) {
    for (const [contentType, media] of Object.entries(body.content)) {
      const model = isObject(media) ? referencedModel(media.schema) : undefined;
      if (model) models[contentType] = model;
    }
  }
  return {
    ...(Object.keys(parameters).length ? { requestParameters: parameters } : {}),
    ...(Object.keys(models).length ? { requestModels: models } : {}),
  };
}

function methodResponsesOf(ctx: OperationContext): Record<string, MethodResponse> | undefined {
  const responses = isObject(ctx.operation.responses) ? ctx.operation.responses : {};
  const produces = (ctx.operation.produces ?? ctx.document.doc.produces ?? ['application/json']) as string[];
  const out: Record<string, MethodResponse> = {};
  for (const [statusCode, raw] of Object.entries(responses)) {
    if (!/^[1-5]\d\d$/.test(statusCode)) continue;
    const response = deref(ctx.document.doc, raw);
    if (!isObject(response)) continue;
    const parameters = isObject(response.headers) ? Object.fromEntries(Object.keys(response.headers).map((h) => [`method.response.header.${h}`, false])) : {};
    const models: Record<string, string> = {};
    const swaggerModel = referencedModel(response.schema);
    if (swaggerModel) for (const contentType of produces) models[contentType] = swaggerModel;
    if (isObject(response.content)) {
      for (const [contentType, media] of Object.entries(response.content)) {
        const model = isObject(media) ? referencedModel(media.schema) : undefined;
        if (model) models[contentType] = model;
      }
    }
    out[statusCode] = {
      statusCode,
      ...(Object.keys(parameters).length ? { responseParameters: parameters } : {}),
      ...(Object.keys(models).length ? { responseModels: models } : {}),
    };
  }
  return Object.keys(out).length ? out : undefined;
}

type Security = Pick<Method, 'authorizationType' | 'apiKeyRequired' | 'authorizationScopes'> & { authorizerName?: string };

function securityOf(ctx: OperationContext, authorizers: Authorizer[], warnings: string[]): Security {
  const requirements = Array.isArray(ctx.operation.security) ? ctx.operation.security : Array.isArray(ctx.document.doc.security) ? ctx.document.doc.security : [];
  const security: Security = { authorizationType: 'NONE', apiKeyRequired: false };
  for (const requirement of requirements.filter(isObject)) {
    for (const [name, scopes] of Object.entries(requirement)) {
      const scheme = ctx.schemes[name];
      if (!isObject(scheme)) {
        warnings.push(`Unable to find security definition '${name}' for method '${ctx.httpMethod}' of resource '${ctx.path}'`);
        continue;
      }
      const authorizer = authorizers.find((a) => a.name === name);
      if (authorizer) {
        security.authorizationType = authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        security.authorizerName = name;
        if (authorizer.type === 'COGNITO_USER_POOLS' && Array.isArray(scopes) && scopes.length) security.authorizationScopes = scopes.map(String);
      } else if (String(scheme['x-amazon-apigateway-authtype']).toLowerCase() === 'awssigv4') security.authorizationType = 'AWS_IAM';
      else if (scheme.type === 'apiKey' && !isObject(scheme['x-amazon-apigateway-authorizer'])) security.apiKeyRequired = true;
    }
  }
  return security;
}

function integrationResponsesOf(raw: unknown): Record<string, IntegrationResponse> | undefined {
  if (!isObject(raw)) return undefined;
  const out: Record<string, IntegrationResponse> = {};
  for (const [pattern, value] of Object.entries(raw)) {
    if (!isObject(value)) continue;
    const statusCode = stringOf(value.statusCode) ?? '200';
    out[statusCode] = JSON.parse(JSON.stringify({
      statusCode,
      selectionPattern: pattern === 'default' ? undefined : pattern,
      responseParameters: stringMap(value.responseParameters),
      responseTemplates: normalizeTemplates(stringMap(value.responseTemplates)),
      contentHandling: stringOf(value.contentHandling)?.toUpperCase(),
    })) as IntegrationResponse;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Request parameters must map to strings; anything else is dropped with AWS's warning. */
function requestParametersOf(raw: unknown, ctx: OperationContext, warnings: string[]): Record<string, string> | undefined {
  if (!isObject(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[name] = value;
    else {
      warnings.push(
        `Invalid format for 'requestParameters'. Expected type string for property '${name}' of resource '${ctx.path}' and method '${ctx.httpMethod}' but got '${String(value)}'`,
      );
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function integrationOf(ctx: OperationContext, warnings: string[], errors: string[]): Integration | undefined {
  const raw = deref(ctx.document.doc, ctx.operation['x-amazon-apigateway-integration']);
  if (!isObject(raw)) return undefined;
  const type = String(raw.type ?? '').toUpperCase();
  if (!INTEGRATION_TYPES.includes(type)) {
    errors.push(`Unable to put integration on '${ctx.httpMethod}' for resource at path '${ctx.path}': Invalid integration type specified: ${String(raw.type)}`);
    return undefined;
  }
  const isMock = type === 'MOCK';
  const isHttp = type === 'HTTP' || type === 'HTTP_PROXY';
  const tls = isObject(raw.tlsConfig) ? { insecureSkipVerification: raw.tlsConfig.insecureSkipVerification === true } : undefined;
  const integration: Integration = {
    type: type as Integration['type'],
    ...(isMock ? {} : { httpMethod: stringOf(raw.httpMethod)?.toUpperCase(), uri: stringOf(raw.uri) }),
    connectionType: (stringOf(raw.connectionType)?.toUpperCase() ?? (isHttp ? 'INTERNET' : undefined)) as Integration['connectionType'],
    connectionId: stringOf(raw.connectionId),
    credentials: stringOf(raw.credentials),
    requestParameters: requestParametersOf(raw.requestParameters, ctx, warnings),
    requestTemplates: normalizeTemplates(stringMap(raw.requestTemplates)),
    passthroughBehavior: stringOf(raw.passthroughBehavior)?.toUpperCase() ?? 'WHEN_NO_MATCH',
    contentHandling: stringOf(raw.contentHandling)?.toUpperCase() as Integration['contentHandling'],
    timeoutInMillis: raw.timeoutInMillis === undefined ? DEFAULT_TIMEOUT : Number(raw.timeoutInMillis),
    cacheNamespace: stringOf(raw.cacheNamespace),
    cacheKeyParameters: Array.isArray(raw.cacheKeyParameters) ? raw.cacheKeyParameters.map(String) : [],
    integrationResponses: integrationResponsesOf(raw.responses),
    tlsConfig: tls,
  };
  return JSON.parse(JSON.stringify(integration)) as Integration;
}

function planMethod(ctx: OperationContext, authorizers: Authorizer[], modelNames: Set<string>, defaultValidator: unknown, warnings: string[], errors: string[]): PlannedMethod | undefined {
  const context = `Unable to put method '${ctx.httpMethod}' on resource at path '${ctx.path}'`;
  const { authorizerName, ...security } = securityOf(ctx, authorizers, warnings);
  const validator = ctx.operation['x-amazon-apigateway-request-validator'] ?? defaultValidator;
  const method: Method = {
    httpMethod: ctx.httpMethod,
    ...security,
    ...(typeof ctx.operation.operationId === 'string' ? { operationName: ctx.operation.operationId } : {}),
    ...requestOf(ctx),
  };
  const responses = methodResponsesOf(ctx);
  if (responses) method.methodResponses = responses;
  const used = [...Object.values(method.requestModels ?? {}), ...Object.values(responses ?? {}).flatMap((r) => Object.values(r.responseModels ?? {}))];
  const unknown = used.find((name) => !modelNames.has(name));
  if (unknown !== undefined) {
    errors.push(`${context}: Invalid model identifier specified: ${unknown}`);
    return undefined;
  }
  const methodOk = attempt(errors, context, () => {
    checkHttpMethod(ctx.httpMethod);
    checkRequestParameters(method.requestParameters);
    for (const response of Object.values(responses ?? {})) checkResponseParameters(response.responseParameters);
  });
  if (!methodOk) return undefined;
  if (!usesAuthorizer(method.authorizationType)) delete method.authorizationScopes;
  const integration = integrationOf(ctx, warnings, errors);
  if (integration) {
    const integrationOk = attempt(errors, `Unable to put integration on '${ctx.httpMethod}' for resource at path '${ctx.path}'`, () => {
      checkIntegration(integration, method);
      for (const response of Object.values(integration.integrationResponses ?? {})) checkIntegrationResponse(response, method);
    });
    if (!integrationOk) return undefined;
    method.methodIntegration = integration;
  }
  return {
    path: ctx.path,
    method,
    ...(authorizerName ? { authorizerName } : {}),
    ...(typeof validator === 'string' ? { validatorName: validator } : {}),
  };
}

/** Each path with all its ancestors, parents first; a bad path part or clashing siblings is an error. */
function planPaths(paths: string[], errors: string[]): string[] {
  const all = new Set<string>(['/']);
  for (const path of paths) {
    let current = '/';
    for (const part of path.split('/').filter(Boolean)) {
      const next = childPath(current, part);
      if (!all.has(next) && !attempt(errors, `Unable to create resource at path '${next}'`, () => pathPartKind(part))) break;
      all.add(next);
      current = next;
    }
  }
  const sorted = [...all].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  const variableChild = new Map<string, string>();
  for (const path of sorted.filter((p) => p !== '/')) {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const part = path.slice(path.lastIndexOf('/') + 1);
    if (pathPartKind(part) === 'literal') continue;
    const sibling = variableChild.get(parent);
    if (sibling !== undefined) {
      errors.push(`Unable to create resource at path '${path}': A sibling (${sibling}) of this resource already has a variable path part -- only one is allowed`);
    } else variableChild.set(parent, part);
  }
  return sorted;
}

function apiSettingsOf(doc: Json): ApiSettings {
  const info = isObject(doc.info) ? doc.info : {};
  const endpoint = isObject(doc['x-amazon-apigateway-endpoint-configuration']) ? doc['x-amazon-apigateway-endpoint-configuration'] : {};
  const policy = doc['x-amazon-apigateway-policy'];
  const compression = doc['x-amazon-apigateway-minimum-compression-size'];
  const keySource = stringOf(doc['x-amazon-apigateway-api-key-source'])?.toUpperCase();
  const settings: ApiSettings = {
    name: stringOf(info.title),
    description: stringOf(info.description),
    version: stringOf(info.version),
    binaryMediaTypes: Array.isArray(doc['x-amazon-apigateway-binary-media-types']) ? doc['x-amazon-apigateway-binary-media-types'].map(String) : undefined,
    minimumCompressionSize: compression === undefined || compression === null ? undefined : Number(compression),
    apiKeySource: keySource === 'HEADER' || keySource === 'AUTHORIZER' ? keySource : undefined,
    policy: policy === undefined || policy === null ? undefined : typeof policy === 'string' ? policy : JSON.stringify(policy),
    vpcEndpointIds: Array.isArray(endpoint.vpcEndpointIds) ? endpoint.vpcEndpointIds.map(String) : undefined,
    disableExecuteApiEndpoint: typeof endpoint.disableExecuteApiEndpoint === 'boolean' ? endpoint.disableExecuteApiEndpoint : undefined,
  };
  return JSON.parse(JSON.stringify(settings)) as ApiSettings;
}

/** Everything the document asks for; `existingModels` are models the API keeps (PutRestApi merge). */
export function planImport(document: ApiDocument, options: ImportOptions, existingModels: Set<string> = new Set()): ImportPlan {
  const { doc } = document;
  const warnings: string[] = [];
  const errors: string[] = [];
  const models = planModels(document, options, existingModels, errors);
  const modelNames = new Set([...existingModels, ...Object.keys(schemasOf(document))]);
  const authorizers = planAuthorizers(document, errors);
  const validators = planValidators(doc);
  const schemes = securitySchemesOf(document);
  const prefix = pathPrefix(document, options.basepath);
  const methods: PlannedMethod[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [docPath, rawItem] of Object.entries(paths)) {
    const pathItem = deref(doc, rawItem);
    if (!isObject(pathItem) || !docPath.startsWith('/')) continue;
    const path = joinPath(prefix, docPath.replace(/\/+$/, '') || '/');
    for (const [key, operation] of Object.entries(pathItem)) {
      const httpMethod = OPERATION_KEYS[key.toLowerCase()];
      if (!httpMethod || !isObject(operation)) continue;
      const planned = planMethod({ document, path, httpMethod, pathItem, operation, schemes }, authorizers, modelNames, doc['x-amazon-apigateway-request-validator'], warnings, errors);
      if (planned) methods.push(planned);
    }
  }
  for (const m of methods) {
    if (m.validatorName && !validators.some((v) => v.name === m.validatorName)) {
      errors.push(`Unable to put method '${m.method.httpMethod}' on resource at path '${m.path}': Invalid Request Validator identifier specified`);
    }
  }
  const allPaths = [...Object.keys(paths).filter((p) => p.startsWith('/')).map((p) => joinPath(prefix, p.replace(/\/+$/, '') || '/')), ...methods.map((m) => m.path)];
  const documentation = options.ignoreDocumentation ? undefined : documentationPartsOf(doc);
  warnings.push(...(documentation?.warnings ?? []));
  return {
    api: apiSettingsOf(doc),
    models,
    authorizers,
    validators,
    paths: planPaths(allPaths, errors),
    methods,
    gatewayResponses: planGatewayResponses(doc, errors),
    documentation: documentation?.parts,
    warnings,
    errors,
  };
}
