// The client's address ($context.identity.sourceIp, the `aws:SourceIp` of resource policies): the
// TCP peer, unless PORTICO_TRUSTED_PROXY_HOPS says how many proxies in front of the worker append
// to X-Forwarded-For; then the address that many hops back. Entries beyond the trusted hops were
// written by the client and are never believed.
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string[] | undefined, trustedHops: number): string {
  const chain = (forwardedFor ?? []).flatMap((h) => h.split(',')).map((a) => a.trim()).filter(Boolean);
  chain.push(remoteAddress ?? '');
  const hop = Math.max(0, chain.length - 1 - Math.max(0, trustedHops));
  return chain[hop]!.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
