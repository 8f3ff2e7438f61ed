// The connection pools of HTTP integrations that are not the plain shared one: a stage's client
// certificate presented to HTTPS backends, an integration's VPC link (the URI's host stays the Host
// header and TLS name, the connection goes to the link target's address, PORTICO_VPC_LINK_TARGETS),
// and tlsConfig.insecureSkipVerification. One pool per combination, kept across configs while its
// certificate and target stay the same, closed (after its requests finish) when they change.
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { Integration } from '../../control-plane/protocol/shapes.js';
import { config } from '../../config.js';
import { logger } from '../../logger.js';
import type { ClientCertificateConfig, VpcLinkConfig } from '../../shared/worker-config.js';
import type { CompiledConfig, CompiledStage } from '../compile/index.js';
import { GatewayError } from '../pipeline/errors.js';
import { guardedLookup } from './network-allowlist.js';
import type { VpcLinkTarget, VpcLinkTargets } from './vpc-link-targets.js';

const STAGE_VARIABLE = /\$\{stageVariables\.([^{}]+)\}/g;

type Pool = { agent: Agent; fingerprint: string };

const configurationError = () => new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', 500);

function connector(certificate: ClientCertificateConfig | undefined, target: VpcLinkTarget | undefined, insecure: boolean): buildConnector.connector {
  const connect = buildConnector({
    timeout: 60_000,
    ...(certificate ? { cert: certificate.certificatePem, key: certificate.privateKeyPem } : {}),
    ...(insecure ? { rejectUnauthorized: false } : {}),
    // As the shared pool: the URI's host is held to the allowed networks; a VPC link's target (the operator's) is not.
    ...(config.integrationAllowedNetworks && !target ? { lookup: guardedLookup(config.integrationAllowedNetworks) } : {}),
  });
  if (!target) return connect;
  // `host` (the URI's) still names the server for TLS; only where the socket goes changes.
  return (options, callback) => connect({ ...options, hostname: target.host, port: String(target.port ?? options.port) }, callback);
}

export class BackendConnections {
  private pools = new Map<string, Pool>();
  private certificates = new Map<string, ClientCertificateConfig>();
  private vpcLinks = new Map<string, VpcLinkConfig>();

  constructor(private readonly targets: VpcLinkTargets) {}

  /** Takes a new config's certificates and links; pools whose certificate or target changed are closed. */
  update(config: CompiledConfig): void {
    this.certificates = config.clientCertificates;
    this.vpcLinks = config.vpcLinks;
    for (const [key, pool] of this.pools) {
      const [certificateId, vpcLinkId, insecure] = key.split('|');
      const fingerprint = this.fingerprint(certificateId ? this.certificates.get(certificateId) : undefined, vpcLinkId ? this.targetOf(this.vpcLinks.get(vpcLinkId)) : undefined, insecure === '1');
      if (fingerprint !== pool.fingerprint || (certificateId && !this.certificates.has(certificateId)) || (vpcLinkId && !this.vpcLinks.has(vpcLinkId))) {
        this.pools.delete(key);
        void pool.agent.close();
      }
    }
  }

  /** The pool an HTTP integration call of `stage` goes through; undefined for the shared plain one. */
  dispatcherFor(stage: CompiledStage, integration: Integration | undefined): Dispatcher | undefined {
    const accountId = stage.deployment.snapshot.accountId;
    const certificateId = stage.config.clientCertificateId;
    const certificate = certificateId ? this.certificates.get(certificateId) : undefined;
    const presented = certificate && certificate.accountId === accountId ? certificate : undefined;
    const link = integration?.connectionType === 'VPC_LINK' ? this.vpcLinkOf(stage, integration, accountId) : undefined;
    const target = link ? this.targetOf(link) : undefined;
    if (link && !target) {
      logger.warn({ vpcLinkId: link.id, targetArns: link.targetArns }, 'VPC link target is not in PORTICO_VPC_LINK_TARGETS');
      throw configurationError();
    }
    const insecure = integration?.tlsConfig?.insecureSkipVerification === true;
    if (!presented && !link && !insecure) return undefined;
    const key = `${presented?.id ?? ''}|${link?.id ?? ''}|${insecure ? 1 : 0}`;
    const fingerprint = this.fingerprint(presented, target, insecure);
    let pool = this.pools.get(key);
    if (!pool || pool.fingerprint !== fingerprint) {
      if (pool) void pool.agent.close();
      pool = {
        agent: new Agent({ connections: 256, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0, connect: connector(presented, target, insecure) }),
        fingerprint,
      };
      this.pools.set(key, pool);
    }
    return pool.agent;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.agent.close()));
  }

  /** The integration's link (its connectionId may name a stage variable); unknown or PENDING links fail the call. */
  private vpcLinkOf(stage: CompiledStage, integration: Integration, accountId: string): VpcLinkConfig {
    const id = (integration.connectionId ?? '').replace(STAGE_VARIABLE, (_, name: string) => stage.config.variables[name] ?? '');
    const link = this.vpcLinks.get(id);
    if (!link || link.accountId !== accountId || Date.now() < link.availableAt) throw configurationError();
    return link;
  }

  private targetOf(link: VpcLinkConfig | undefined): VpcLinkTarget | undefined {
    const arn = link?.targetArns[0];
    return arn === undefined ? undefined : this.targets[arn];
  }

  private fingerprint(certificate: ClientCertificateConfig | undefined, target: VpcLinkTarget | undefined, insecure: boolean): string {
    return `${certificate?.certificatePem ?? ''}|${target ? `${target.host}:${target.port ?? ''}` : ''}|${insecure}`;
  }
}
