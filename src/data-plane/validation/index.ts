// Request validation as a method's request validator asks for it: the required request parameters
// (path, query string, headers) and the body against the model for its Content-Type. Compiled once
// per deployment; the pipeline's validate-request step applies it.
import type { ValidateFunction } from 'ajv';
import type { Method } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';
import type { HeaderMap, QueryMap } from '../pipeline/context.js';
import { mediaTypeOf } from '../mapping/media-types.js';
import { validationMessages } from './messages.js';
import { modelCompiler, type CompiledModel, type ModelCompiler } from './models.js';

export type RequiredParameter = { location: 'path' | 'querystring' | 'header'; name: string };

export type MethodValidation = {
  /** when the validator checks parameters: the required ones, in the order AWS names them */
  requiredParameters?: RequiredParameter[];
  /** when the validator checks bodies: the method's request models by media type (and `$default`) */
  models?: Map<string, CompiledModel>;
};

/** By the snapshot's Method object; methods without a request validator are absent. */
export type RequestValidation = Map<Method, MethodValidation>;

const parameterKey = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/;

/** AWS lists missing parameters sorted by their full names: headers, then path, then query string. */
export function requiredParameters(requestParameters: Record<string, boolean> | undefined): RequiredParameter[] {
  const required: RequiredParameter[] = [];
  for (const key of Object.keys(requestParameters ?? {}).sort()) {
    const match = parameterKey.exec(key);
    if (!requestParameters![key] || !match) continue;
    const location = match[1]!.replace('multivalue', '') as RequiredParameter['location'];
    required.push({ location, name: match[2]! });
  }
  return required;
}

export type MethodRequest = { pathParams: Record<string, string>; query: QueryMap; headers: HeaderMap };

/** Names of required parameters the request lacks; any value, even an empty one, counts as present. */
export function missingParameters(required: RequiredParameter[], request: MethodRequest): string[] {
  // The Developer Guide: required parameters must be "included and not blank".
  const filled = (value: string | undefined) => value !== undefined && value.trim() !== '';
  const present = ({ location, name }: RequiredParameter) => {
    if (location === 'path') return filled(request.pathParams[name]);
    if (location === 'querystring') return (request.query[name] ?? []).some(filled);
    return (request.headers[name.toLowerCase()] ?? []).some(filled);
  };
  return required.filter((p) => !present(p)).map((p) => p.name);
}

/** The model for the request's Content-Type (none means JSON), else the `$default` one. */
export function modelFor(models: Map<string, CompiledModel>, contentType: string | undefined): CompiledModel | undefined {
  return models.get(contentType ? mediaTypeOf(contentType) : 'application/json') ?? models.get('$default');
}

/**
 * Why the body does not match the model, or undefined when it does. An empty body is validated
 * as an empty JSON object; a body that is not JSON fails.
 */
export function bodyErrors(validate: ValidateFunction, body: Buffer): string[] | undefined {
  const text = body.toString('utf8');
  let data: unknown = {};
  if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      return ['request body is not valid JSON'];
    }
  }
  if (validate(data)) return undefined;
  return validationMessages(validate.errors ?? []);
}

function requestModels(method: Method, compile: ModelCompiler): Map<string, CompiledModel> {
  const models = new Map<string, CompiledModel>();
  for (const [contentType, name] of Object.entries(method.requestModels ?? {})) {
    models.set(contentType === '$default' ? contentType : mediaTypeOf(contentType), compile(name));
  }
  return models;
}

export function compileRequestValidation(snapshot: DeploymentSnapshot): RequestValidation {
  const validators = new Map(snapshot.requestValidators.map((v) => [v.id, v]));
  // Only deployments that validate bodies need the models compiled.
  let compiler: ModelCompiler | undefined;
  const compile: ModelCompiler = (name) => (compiler ??= modelCompiler(snapshot))(name);
  const compiled: RequestValidation = new Map();
  for (const resource of snapshot.resources) {
    for (const method of Object.values(resource.methods)) {
      const validator = method.requestValidatorId ? validators.get(method.requestValidatorId) : undefined;
      if (!validator || !(validator.validateRequestParameters || validator.validateRequestBody)) continue;
      compiled.set(method, {
        ...(validator.validateRequestParameters ? { requiredParameters: requiredParameters(method.requestParameters) } : {}),
        ...(validator.validateRequestBody ? { models: requestModels(method, compile) } : {}),
      });
    }
  }
  return compiled;
}
