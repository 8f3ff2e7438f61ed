// The models of a deployment as JSON Schema draft 4 validators, compiled once per deployment.
// Models refer to each other by URL (https://apigateway.amazonaws.com/restapis/{restApiId}/models/{name}),
// so every model is registered under its URL and compiled with its references resolved.
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { logger } from '../../logger.js';
import type { DeploymentSnapshot } from '../../shared/worker-config.js';

// The package is CommonJS: under NodeNext its class is the module's `default` member.
const Ajv = AjvDraft04.default;

/** A model's validator, or why it has none (a schema that does not compile). */
export type CompiledModel = { name: string; validate: ValidateFunction } | { name: string; error: string };

export const modelUrl = (restApiId: string, name: string) => `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;

export type ModelCompiler = (name: string) => CompiledModel;

/** Compiles the snapshot's models on demand, each at most once, sharing what they refer to. */
export function modelCompiler(snapshot: DeploymentSnapshot): ModelCompiler {
  const ajv = new Ajv({
    allErrors: true,
    // messages quote the failing value and the keyword's schema
    verbose: true,
    // The control plane checked the schemas; keywords draft 4 does not know are ignored here.
    strict: false,
    // API Gateway does not check `format`.
    validateFormats: false,
    logger: false,
  });
  const registered = new Map<string, string>();
  for (const model of snapshot.models) {
    if (!model.name) continue;
    try {
      ajv.addSchema(JSON.parse(model.schema ?? '{}') as object, modelUrl(snapshot.restApiId, model.name));
      registered.set(model.name, modelUrl(snapshot.restApiId, model.name));
    } catch (err) {
      registered.set(model.name, '');
      logger.warn({ restApiId: snapshot.restApiId, deploymentId: snapshot.deploymentId, model: model.name, err: (err as Error).message }, 'model schema does not load');
    }
  }
  const compiled = new Map<string, CompiledModel>();
  const compile = (name: string): CompiledModel => {
    const url = registered.get(name);
    if (!url) return { name, error: url === undefined ? 'no such model' : 'schema does not load' };
    try {
      return { name, validate: ajv.getSchema(url)! };
    } catch (err) {
      logger.warn({ restApiId: snapshot.restApiId, deploymentId: snapshot.deploymentId, model: name, err: (err as Error).message }, 'model schema does not compile');
      return { name, error: (err as Error).message };
    }
  };
  return (name) => {
    if (!compiled.has(name)) compiled.set(name, compile(name));
    return compiled.get(name)!;
  };
}
