// Compiles a worker config into what the request path reads: per API and stage, the deployment's
// route tree and everything else computable ahead of time. Deployments are compiled once and
// reused across configs by id, since a snapshot never changes.
import type { Method } from '../../control-plane/protocol/shapes.js';
import type { ClientCertificateConfig, DeploymentSnapshot, StageConfig, VpcLinkConfig, WorkerConfig } from '../../shared/worker-config.js';
import { compileAwsServiceIntegrations, type AwsServiceIntegration } from '../integrations/aws-service-settings.js';
import { compileHttpIntegrations, type HttpIntegrationSettings } from '../integrations/http-settings.js';
import { compileAuthorizers, type CompiledAuthorizers } from '../auth/compile.js';
import { compileIdentities, type CompiledIdentities } from '../auth/iam.js';
import { compileResourcePolicy, type CompiledResourcePolicy } from '../auth/resource-policy.js';
import { compileStageCache, type StageCachePolicy } from '../cache/policy.js';
import { compileBinaryMediaTypes, type BinaryMediaTypes } from '../payload/binary-media-types.js';
import { compileRequestValidation, type RequestValidation } from '../validation/index.js';
import { compileUsage, type CompiledUsage } from '../usage/compile.js';
import { compileAccessLogFormat, type AccessLogFormat } from './access-log-format.js';
import { compileDomains, type CompiledDomains } from './domains.js';
import { buildRouteTree, type RouteTree } from './routes.js';
import { compileMappings, type CompiledMappings } from './templates.js';

export type CompiledDeployment = {
  snapshot: DeploymentSnapshot;
  routes: RouteTree;
  mappings: CompiledMappings;
  binaryMediaTypes: BinaryMediaTypes;
  /** HTTP and HTTP_PROXY integrations by the snapshot's Method object */
  httpIntegrations: Map<Method, HttpIntegrationSettings>;
  /** AWS service (non-Lambda AWS) integrations by the snapshot's Method object */
  awsServiceIntegrations: Map<Method, AwsServiceIntegration>;
  /** Lambda and user pool authorizers by id */
  authorizers: CompiledAuthorizers;
  /** required parameters and model validators of methods with a request validator */
  requestValidation: RequestValidation;
  /** the API's resource policy, when it has one */
  resourcePolicy?: CompiledResourcePolicy;
};

/** `identities` (what AWS_IAM methods verify against) is the config's, shared by all its stages; absent is open mode. */
export type CompiledStage = {
  config: StageConfig;
  deployment: CompiledDeployment;
  identities?: CompiledIdentities;
  /** the stage's access log line, when accessLogSettings has a format */
  accessLog?: AccessLogFormat;
  /** API keys, usage plans and account throttles: the config's, shared by all its stages */
  usage?: CompiledUsage;
  /** the methods the stage cache serves, when its cache cluster is enabled */
  cache?: StageCachePolicy;
  /** the stage's canary release, when it has canarySettings */
  canary?: CompiledCanary;
  /** true for the canary's own CompiledStage: $context.isCanaryRequest */
  isCanary?: boolean;
};

/**
 * A canary release: `percentTraffic`% of the stage's requests go to `stage`, a CompiledStage of the
 * canary's deployment with the stage's variables overridden by stageVariableOverrides, using the
 * stage cache only with useStageCache.
 */
export type CompiledCanary = { percentTraffic: number; stage: CompiledStage };

export type CompiledConfig = {
  version: number;
  /** restApiId → stageName → stage */
  apis: Map<string, Map<string, CompiledStage>>;
  deployments: Map<string, CompiledDeployment>;
  /** custom domain names by Host, with their base path trees */
  domains: CompiledDomains;
  /** client certificates that stages present to HTTPS backends, by id */
  clientCertificates: Map<string, ClientCertificateConfig>;
  /** VPC links by id */
  vpcLinks: Map<string, VpcLinkConfig>;
};

export function compileDeployment(snapshot: DeploymentSnapshot): CompiledDeployment {
  return {
    snapshot,
    routes: buildRouteTree(snapshot.resources),
    mappings: compileMappings(snapshot),
    binaryMediaTypes: compileBinaryMediaTypes(snapshot.api.binaryMediaTypes),
    httpIntegrations: compileHttpIntegrations(snapshot),
    awsServiceIntegrations: compileAwsServiceIntegrations(snapshot),
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
  const usage = compileUsage(config);
  const apis = new Map<string, Map<string, CompiledStage>>();
  for (const stage of config.stages) {
    const deployment = deployments.get(stage.deploymentId);
    if (!deployment) continue;
    if (!apis.has(stage.restApiId)) apis.set(stage.restApiId, new Map());
    const accessLog = stage.accessLogSettings?.format ? compileAccessLogFormat(stage.accessLogSettings.format) : undefined;
    const compiled: CompiledStage = { config: stage, deployment, identities, accessLog, usage, cache: compileStageCache(stage, deployment.snapshot.resources) };
    compiled.canary = compileCanary(compiled, deployments);
    apis.get(stage.restApiId)!.set(stage.stageName, compiled);
  }
  return {
    version: config.version,
    apis,
    deployments,
    domains: compileDomains(config.domainNames),
    clientCertificates: new Map((config.clientCertificates ?? []).map((c) => [c.id, c])),
    vpcLinks: new Map((config.vpcLinks ?? []).map((l) => [l.id, l])),
  };
}

function compileCanary(stage: CompiledStage, deployments: Map<string, CompiledDeployment>): CompiledCanary | undefined {
  const settings = stage.config.canarySettings;
  const deployment = settings?.deploymentId ? deployments.get(settings.deploymentId) : undefined;
  if (!settings || !deployment) return undefined;
  const config: StageConfig = { ...stage.config, deploymentId: settings.deploymentId!, variables: { ...stage.config.variables, ...settings.stageVariableOverrides } };
  const cache = settings.useStageCache ? compileStageCache(config, deployment.snapshot.resources) : undefined;
  return { percentTraffic: settings.percentTraffic ?? 0, stage: { ...stage, config, deployment, cache, canary: undefined, isCanary: true } };
}
