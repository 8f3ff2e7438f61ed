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
import type { Quota } from './quota.js';

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
  /** bumped by FlushStageAuthorizersCache: workers drop the stage's cached authorizer results when it changes */
  authorizersCacheEpoch?: number;
  /** bumped by FlushStageCache: workers drop the stage's cached method responses when it changes */
  cacheEpoch?: number;
};

/**
 * An API key as a worker matches it: by the SHA-256 of the `x-api-key` value (or of the key an
 * authorizer returns), so that key values never reach workers, their disk cache or their logs.
 */
export type ApiKeyConfig = {
  id: string;
  accountId: string;
  /** lower-case hex SHA-256 of the key's value */
  valueHash: string;
  enabled: boolean;
  /** the usage plans the key is in */
  usagePlanIds: string[];
  /** legacy (pre-usage-plan) stage associations, `{restApiId}/{stageName}` */
  stageKeys: string[];
};

export type ThrottleConfig = { rateLimit: number; burstLimit: number };

export type UsagePlanStageConfig = {
  restApiId: string;
  stageName: string;
  /** per-method throttles by `{resourcePath}/{httpMethod}`, as ApiStage.throttle keys them (`/pets/GET`, `//GET` for the root) */
  methodThrottles: Record<string, ThrottleConfig>;
};

export type UsagePlanConfig = {
  id: string;
  accountId: string;
  apiStages: UsagePlanStageConfig[];
  throttle?: ThrottleConfig;
  /** periods and offsets as src/shared/quota.ts computes them */
  quota?: Quota;
  /**
   * UpdateUsage's changes to a key's remaining quota, by key id: in the period starting on
   * `periodStart` (and no other) the key may make `quota.limit + delta` requests.
   */
  quotaAdjustments: Record<string, { periodStart: string; delta: number }>;
};

/** One count a worker reports: requests admitted for a key under a plan on a UTC day (`YYYY-MM-DD`). */
export type UsageReport = { usagePlanId: string; keyId: string; day: string; count: number };

/** The body of `POST /_portico/usage` (cluster token required); the batch is added atomically. */
export type UsageReportBatch = { reports: UsageReport[] };

/**
 * A credential AWS_IAM methods accept, with the identity policies of its principal. Secrets travel
 * to workers (SigV4 needs them to recompute signatures) but never to logs; the worker's disk cache
 * is written readable by its owner only.
 */
export type IamIdentity = {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** `arn:aws:iam::{accountId}:root` for an account's root credentials, else the user's ARN */
  arn: string;
  /** the principal's unique id: $context.identity.caller and .user, `aws:userid` */
  principalId: string;
  /** the IAM user name (`aws:username`); absent for the root */
  userName?: string;
  /** identity policy documents; the root needs none: it may invoke anything in its account */
  policies: unknown[];
};

/** What AWS_IAM methods verify against, following PORTICO_AUTH (see the README). */
export type WorkerIdentities = {
  /** `open`: signatures by unknown keys are accepted unverified (the key's account calls); `sigv4`: only `credentials` */
  mode: 'open' | 'sigv4';
  credentials: IamIdentity[];
};

/** A base path of a custom domain name: `''` for `(none)`; without a stage, the path's next segment names it. */
export type BasePathMappingConfig = { basePath: string; restApiId: string; stage?: string };

/**
 * A public custom domain name (lower case, maybe `*.`-prefixed) and its base path mappings, as workers route it by Host;
 * with mutual TLS, the truststore (`s3://bucket/key`) its clients' certificates must chain to.
 */
export type DomainNameConfig = {
  domainName: string;
  accountId: string;
  basePathMappings: BasePathMappingConfig[];
  mutualTls?: { truststoreUri: string; truststoreVersion?: string };
};

/**
 * A client certificate a stage presents to HTTPS backends. Its private key travels to workers (they
 * present it) but never to logs; the worker's disk cache is written readable by its owner only.
 */
export type ClientCertificateConfig = { id: string; accountId: string; certificatePem: string; privateKeyPem: string };

/** A VPC link: workers map its target (a load balancer ARN) to addresses by PORTICO_VPC_LINK_TARGETS. */
export type VpcLinkConfig = { id: string; accountId: string; targetArns: string[]; /** epoch ms: PENDING before */ availableAt: number };

export type WorkerConfig = {
  format: typeof CONFIG_FORMAT;
  /** the global config version; every change that affects workers bumps it */
  version: number;
  stages: StageConfig[];
  /** every deployment a stage (or a canary) points at, by deployment id */
  deployments: Record<string, DeploymentSnapshot>;
  /** every API key of every account */
  apiKeys: ApiKeyConfig[];
  /** every usage plan of every account */
  usagePlans: UsagePlanConfig[];
  /** account-level throttles changed by UpdateAccount, by account id; absent accounts have AWS's default */
  accountThrottles?: Record<string, ThrottleConfig>;
  /** credentials and identity policies for AWS_IAM methods; absent means open mode without identities */
  identities?: WorkerIdentities;
  /** public custom domain names with their base path mappings */
  domainNames?: DomainNameConfig[];
  /** the client certificates that stages use, by id */
  clientCertificates?: ClientCertificateConfig[];
  /** VPC links not being deleted */
  vpcLinks?: VpcLinkConfig[];
};
