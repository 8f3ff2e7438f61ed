// The client's address ($context.identity.sourceIp, the `aws:SourceIp` of resource policies): the
// TCP peer, unless PORTICO_TRUSTED_PROXY_HOPS says how many proxies in front of the worker append
// to X-Forwarded-For; then the address that many hops back. Entries beyond the trusted hops were
// written by the client and are never believed.

/** An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) as the IPv4 address. */
const unmapped = (address: string): string => (address.startsWith(':') ? address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') : address);

export function clientAddress(remoteAddress: string | undefined, forwardedFor: string[] | undefined, trustedHops: number): string {
  // No proxy trusted, or none in front: the TCP peer, whatever the header says.
  if (!forwardedFor || !(trustedHops > 0)) return unmapped(remoteAddress ?? '');
  const chain = forwardedFor.flatMap((h) => h.split(',')).map((a) => a.trim()).filter(Boolean);
  chain.push(remoteAddress ?? '');
  const hop = Math.max(0, chain.length - 1 - trustedHops);
  return unmapped(chain[hop]!);
}
