// The one contract between the planes: what a deployment snapshot holds and what a worker receives.
// Both planes import these types; neither reaches into the other's internals.
import type {
  AccessLogSettings,
  Authorizer,
  CanarySettings,
  EndpointConfiguration,
  GatewayResponse,
  Method,
  MethodSetting,
  Model,
  RequestValidator,
} from '../control-plane/protocol/shapes.js';

/** Bumped when the shape below changes incompatibly; workers refuse configs of another format. */
export const CONFIG_FORMAT = 1;

export type SnapshotResource = {
  id: string;
  path: string;
  pathPart?: string;
  parentId?: string;
  /** by HTTP method (`GET`, ..., `ANY`): the Method shape with its responses and integration */
  methods: Record<string, Method>;
};

/** An API frozen by CreateDeployment: later edits to the API change nothing here. */
export type DeploymentSnapshot = {
  restApiId: string;
  deploymentId: string;
  accountId: string;
  api: {
    name: string;
    binaryMediaTypes?: string[];
    minimumCompressionSize?: number;
    apiKeySource?: string;
    disableExecuteApiEndpoint?: boolean;
    policy?: string;
    endpointConfiguration?: EndpointConfiguration;
  };
  resources: SnapshotResource[];
  models: Model[];
  requestValidators: RequestValidator[];
  authorizers: Authorizer[];
  /** customized gateway responses only; the worker applies AWS's defaults for the rest */
  gatewayResponses: GatewayResponse[];
};

export type StageConfig = {
  restApiId: string;
  stageName: string;
  deploymentId: string;
  variables: Record<string, string>;
  methodSettings: Record<string, MethodSetting>;
  tracingEnabled: boolean;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  clientCertificateId?: string;
  accessLogSettings?: AccessLogSettings;
  canarySettings?: CanarySettings;
};

export type WorkerConfig = {
  format: typeof CONFIG_FORMAT;
  /** the global config version; every change that affects workers bumps it */
  version: number;
  stages: StageConfig[];
  /** every deployment a stage (or a canary) points at, by deployment id */
  deployments: Record<string, DeploymentSnapshot>;
};
