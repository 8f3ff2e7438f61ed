// What a generated client needs to know of a deployed API: one operation per resource and method,
// named as API Gateway's generated SDKs name them (`/pets/{petId}` GET → `petsPetIdGet`), and its models.
import type { DeploymentSnapshot } from '../../shared/worker-config.js';

export type SdkOperation = {
  name: string;
  httpMethod: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  authorizationType: string;
  apiKeyRequired: boolean;
  /** the model of the JSON request body and of the 200 response, when the method names one */
  requestModel?: string;
  responseModel?: string;
};

export type SdkDescription = {
  apiName: string;
  restApiId: string;
  stageName: string;
  region: string;
  invokeUrl: string;
  operations: SdkOperation[];
  models: { name: string; schema: string }[];
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `pets`, `{petId}`, `{proxy+}` → `Pets`, `PetId`, `Proxy`; other characters are dropped. */
const segmentName = (segment: string) => capitalize(segment.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')));

function operationName(path: string, httpMethod: string): string {
  const segments = path.split('/').filter(Boolean).map(segmentName).filter(Boolean);
  const base = segments.length ? segments.join('') : 'Root';
  const name = `${base}${capitalize(httpMethod.toLowerCase())}`;
  return /^[0-9]/.test(name) ? `_${name}` : name.charAt(0).toLowerCase() + name.slice(1);
}

const parameterNames = (parameters: Record<string, boolean> | undefined, location: string) =>
  Object.keys(parameters ?? {})
    .filter((key) => key.startsWith(`method.request.${location}.`))
    .map((key) => key.slice(`method.request.${location}.`.length))
    .sort();

export function describeApi(snapshot: DeploymentSnapshot, settings: { apiName: string; stageName: string; region: string; invokeUrl: string }): SdkDescription {
  const taken = new Set<string>();
  const operations: SdkOperation[] = [];
  const resources = [...snapshot.resources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const resource of resources) {
    for (const httpMethod of Object.keys(resource.methods).sort()) {
      const method = resource.methods[httpMethod]!;
      let name = operationName(resource.path, httpMethod);
      for (let n = 2; taken.has(name); n++) name = `${operationName(resource.path, httpMethod)}${n}`;
      taken.add(name);
      operations.push({
        name,
        httpMethod,
        path: resource.path,
        pathParams: [...resource.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!),
        queryParams: parameterNames(method.requestParameters, 'querystring'),
        headerParams: parameterNames(method.requestParameters, 'header'),
        authorizationType: method.authorizationType ?? 'NONE',
        apiKeyRequired: method.apiKeyRequired ?? false,
        requestModel: method.requestModels?.['application/json'],
        responseModel: method.methodResponses?.['200']?.responseModels?.['application/json'],
      });
    }
  }
  return {
    ...settings,
    restApiId: snapshot.restApiId,
    operations,
    models: snapshot.models.filter((m) => m.name && m.schema).map((m) => ({ name: m.name!, schema: m.schema! })),
  };
}
