// PORTICO_INTEGRATION_ALLOWED_NETWORKS: the networks HTTP integrations may connect to. The backend's
// host is resolved and every address checked before a connection is made (and again by the pool's
// own lookup, so a name that resolves differently the second time gains nothing); unset, any
// address is allowed.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Why a backend call was never made: its address is outside the allowed networks. */
export class NetworkDenied extends Error {
  readonly code = 'PORTICO_NETWORK_DENIED';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} (${address}) is outside PORTICO_INTEGRATION_ALLOWED_NETWORKS`);
  }
}

export type AllowedNetworks = { list: BlockList; networks: string[] };

/** Parses a comma-separated list of CIDR blocks or single addresses (IPv4 or IPv6); empty means unrestricted. */
export function parseAllowedNetworks(value: string | undefined): AllowedNetworks | undefined {
  const networks = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!networks.length) return undefined;
  const list = new BlockList();
  for (const network of networks) {
    const [address = '', prefix, extra] = network.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32) || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`PORTICO_INTEGRATION_ALLOWED_NETWORKS: ${JSON.stringify(network)} is not a CIDR block (e.g. 10.0.0.0/8) or an IP address`);
    }
    list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { list, networks };
}

/** IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are checked as the IPv4 address they carry. */
export function isAllowed(networks: AllowedNetworks, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  const family = isIP(plain);
  if (!family) return false;
  return networks.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

const stripBrackets = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/** Resolves `hostname` and throws NetworkDenied unless every address it has is allowed. */
export async function checkDestination(networks: AllowedNetworks, hostname: string): Promise<void> {
  const host = stripBrackets(hostname);
  const addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
  const denied = addresses.find((address) => !isAllowed(networks, address));
  if (denied !== undefined) throw new NetworkDenied(host, denied);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for net.connect that fails with NetworkDenied for any address outside the networks. */
export function guardedLookup(networks: AllowedNetworks) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const denied = addresses.find((a) => !isAllowed(networks, a.address));
      if (denied) return callback(new NetworkDenied(hostname, denied.address), '');
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
