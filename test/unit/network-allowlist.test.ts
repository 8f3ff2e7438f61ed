// PORTICO_INTEGRATION_ALLOWED_NETWORKS: parsing CIDR lists, and which addresses they allow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDestination, guardedLookup, isAllowed, NetworkDenied, parseAllowedNetworks } from '../../src/data-plane/integrations/network-allowlist.js';

describe('integration network allowlist', () => {
  it('is unrestricted when unset or empty', () => {
    assert.equal(parseAllowedNetworks(undefined), undefined);
    assert.equal(parseAllowedNetworks(' , '), undefined);
  });

  it('allows addresses inside the listed blocks only, IPv4-mapped IPv6 as IPv4', () => {
    const networks = parseAllowedNetworks('10.0.0.0/8, 192.168.1.7, fd00::/8')!;
    for (const address of ['10.1.2.3', '10.255.255.255', '192.168.1.7', '::ffff:10.0.0.1', 'fd12::1']) assert.ok(isAllowed(networks, address), address);
    for (const address of ['11.0.0.1', '192.168.1.8', '127.0.0.1', '::1', '::ffff:127.0.0.1', 'fe80::1', 'not-an-ip']) assert.ok(!isAllowed(networks, address), address);
  });

  it('refuses what is not a CIDR block or an address, at start-up', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', 'example.com', '10.0.0.0/8/8', '::/129', '10.0.0.0/x']) {
      assert.throws(() => parseAllowedNetworks(bad), /PORTICO_INTEGRATION_ALLOWED_NETWORKS/, bad);
    }
  });

  it('checks every address a host name resolves to, and IP literals as they are', async () => {
    const loopback = parseAllowedNetworks('127.0.0.0/8, ::1')!;
    await checkDestination(loopback, 'localhost');
    await checkDestination(loopback, '[::1]');
    await assert.rejects(checkDestination(parseAllowedNetworks('10.0.0.0/8')!, 'localhost'), NetworkDenied);
    await assert.rejects(checkDestination(loopback, '10.0.0.1'), (err: NetworkDenied) => err.address === '10.0.0.1');
  });

  it('fails the lookup a connection makes when the address is outside the networks', async () => {
    const lookup = guardedLookup(parseAllowedNetworks('10.0.0.0/8')!);
    const err = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    assert.ok(err instanceof NetworkDenied);
    const allowed = guardedLookup(parseAllowedNetworks('127.0.0.0/8, ::1')!);
    const address = await new Promise<string>((resolve, reject) => allowed('localhost', {}, (e, a) => (e ? reject(e) : resolve(a as string))));
    assert.ok(['127.0.0.1', '::1'].includes(address));
  });
});
