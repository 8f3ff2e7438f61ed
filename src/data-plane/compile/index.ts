// Compiles a worker config into what the request path reads: per API and stage, the deployment's
// route tree and everything else computable ahead of time. Deployments are compiled once and
// reused across configs by id, since a snapshot never changes.
import type { Method } from '../../control-plane/protocol/shapes.js';
import type { DeploymentSnapshot, StageConfig, WorkerConfig } from '../../shared/worker-config.js';
import { compileHttpIntegrations, type HttpIntegrationSettings } from '../integrations/http-settings.js';
import { compileAuthorizers, type CompiledAuthorizers } from '../auth/compile.js';
import { compileIdentities, type CompiledIdentities } from '../auth/iam.js';
import { compileResourcePolicy, type CompiledResourcePolicy } from '../auth/resource-policy.js';
import { compileBinaryMediaTypes, type BinaryMediaTypes } from '../payload/binary-media-types.js';
import { compileRequestValidation, type RequestValidation } from '../validation/index.js';
import { buildRouteTree, type RouteTree } from './routes.js';
import { compileMappings, type CompiledMappings } from './templates.js';

export type CompiledDeployment = {
  snapshot: DeploymentSnapshot;
  routes: RouteTree;
  mappings: CompiledMappings;
  binaryMediaTypes: BinaryMediaTypes;
  /** HTTP and HTTP_PROXY integrations by the snapshot's Method object */
  httpIntegrations: Map<Method, HttpIntegrationSettings>;
  /** Lambda and user pool authorizers by id */
  authorizers: CompiledAuthorizers;
  /** required parameters and model validators of methods with a request validator */
  requestValidation: RequestValidation;
  /** the API's resource policy, when it has one */
  resourcePolicy?: CompiledResourcePolicy;
};

/** `identities` (what AWS_IAM methods verify against) is the config's, shared by all its stages; absent is open mode. */
export type CompiledStage = { config: StageConfig; deployment: CompiledDeployment; identities?: CompiledIdentities };

export type CompiledConfig = {
  version: number;
  /** restApiId → stageName → stage */
  apis: Map<string, Map<string, CompiledStage>>;
  deployments: Map<string, CompiledDeployment>;
};

export function compileDeployment(snapshot: DeploymentSnapshot): CompiledDeployment {
  return {
    snapshot,
    routes: buildRouteTree(snapshot.resources),
    mappings: compileMappings(snapshot),
    binaryMediaTypes: compileBinaryMediaTypes(snapshot.api.binaryMediaTypes),
    httpIntegrations: compileHttpIntegrations(snapshot),
    authorizers: compileAuthorizers(snapshot),
    requestValidation: compileRequestValidation(snapshot),
    resourcePolicy: compileResourcePolicy(snapshot),
  };
}

export function compileConfig(config: WorkerConfig, previous?: CompiledConfig): CompiledConfig {
  const deployments = new Map<string, CompiledDeployment>();
  for (const [id, snapshot] of Object.entries(config.deployments)) {
    deployments.set(id, previous?.deployments.get(id) ?? compileDeployment(snapshot));
  }
  const identities = compileIdentities(config.identities);
  const apis = new Map<string, Map<string, CompiledStage>>();
  for (const stage of config.stages) {
    const deployment = deployments.get(stage.deploymentId);
    if (!deployment) continue;
    if (!apis.has(stage.restApiId)) apis.set(stage.restApiId, new Map());
    apis.get(stage.restApiId)!.set(stage.stageName, { config: stage, deployment, identities });
  }
  return { version: config.version, apis, deployments };
}
