// PORTICO_VPC_LINK_TARGETS: where a VPC link's target (a network load balancer ARN) sends traffic
// here, `host:port` or just `host` (then the integration URI's port is kept).
export type VpcLinkTarget = { host: string; port?: number };

export type VpcLinkTargets = Record<string, VpcLinkTarget>;

const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

export function parseVpcLinkTargets(raw: string | undefined): VpcLinkTargets {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('PORTICO_VPC_LINK_TARGETS must be a JSON object of target ARN → "host:port"');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('PORTICO_VPC_LINK_TARGETS must be a JSON object of target ARN → "host:port"');
  const targets: VpcLinkTargets = {};
  for (const [arn, address] of Object.entries(parsed)) {
    const match = typeof address === 'string' ? ADDRESS.exec(address) : null;
    if (!match) throw new Error(`PORTICO_VPC_LINK_TARGETS: ${arn} must map to "host:port" or "host", got ${JSON.stringify(address)}`);
    const port = match[2] === undefined ? undefined : Number(match[2]);
    if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`PORTICO_VPC_LINK_TARGETS: invalid port in ${address}`);
    targets[arn] = { host: match[1]!.replace(/^\[|\]$/g, ''), ...(port !== undefined ? { port } : {}) };
  }
  return targets;
}
