// The worker's pieces for custom domain names and VPC links: base path matching by whole segments
// (longest wins, `(none)` last), wildcard names one label down, where mutual TLS truststores are
// found (never outside their directory), and PORTICO_VPC_LINK_TARGETS parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDomains, findDomain, matchBasePath } from '../../src/data-plane/compile/domains.js';
import { parseVpcLinkTargets } from '../../src/data-plane/integrations/vpc-link-targets.js';
import { truststorePath } from '../../src/data-plane/tls/mutual-tls.js';

describe('custom domain names on the worker', () => {
  const domains = compileDomains([
    {
      domainName: 'api.example.com',
      accountId: '111122223333',
      basePathMappings: [
        { basePath: '', restApiId: 'root', stage: 'prod' },
        { basePath: 'v1', restApiId: 'one', stage: 'prod' },
        { basePath: 'v1/orders', restApiId: 'orders' },
      ],
      mutualTls: { truststoreUri: 's3://bucket/ca.pem' },
    },
    { domainName: '*.example.org', accountId: '111122223333', basePathMappings: [{ basePath: 'shop', restApiId: 'shop', stage: 'beta' }] },
  ]);

  it('finds names exactly or by wildcard one label down', () => {
    assert.equal(findDomain(domains, 'api.example.com')?.truststoreUri, 's3://bucket/ca.pem');
    assert.equal(findDomain(domains, 'eu.example.org')?.domainName, '*.example.org');
    assert.equal(findDomain(domains, 'a.eu.example.org'), undefined);
    assert.equal(findDomain(domains, 'example.org'), undefined);
  });

  it('matches the longest base path of whole segments, (none) when nothing longer does', () => {
    const api = findDomain(domains, 'api.example.com')!;
    const match = (path: string) => {
      const found = matchBasePath(api, path.split('/').filter(Boolean));
      return found && [found.mapping.restApiId, found.consumed];
    };
    assert.deepEqual(match('/v1/orders/42'), ['orders', 2]);
    assert.deepEqual(match('/v1/ordersx'), ['one', 1]);
    assert.deepEqual(match('/v1'), ['one', 1]);
    assert.deepEqual(match('/v2/pets'), ['root', 0]);
    assert.deepEqual(match('/'), ['root', 0]);
    assert.equal(matchBasePath(findDomain(domains, 'x.example.org')!, ['pets']), undefined);
  });

  it('finds truststores under their directory only', () => {
    assert.equal(truststorePath('/etc/portico/truststores', 's3://my-bucket/clients/ca.pem'), '/etc/portico/truststores/my-bucket/clients/ca.pem');
    assert.equal(truststorePath('/etc/portico/truststores', 's3://my-bucket/../../secret.pem'), undefined);
    assert.equal(truststorePath('/etc/portico/truststores', 's3://../x'), undefined);
    assert.equal(truststorePath('/etc/portico/truststores', 'https://my-bucket/ca.pem'), undefined);
  });
});

describe('PORTICO_VPC_LINK_TARGETS', () => {
  it('maps target ARNs to host and port, or host alone', () => {
    assert.deepEqual(parseVpcLinkTargets(undefined), {});
    assert.deepEqual(parseVpcLinkTargets('{"arn:a": "10.0.0.7:8080", "arn:b": "orders.internal", "arn:c": "[::1]:443"}'), {
      'arn:a': { host: '10.0.0.7', port: 8080 },
      'arn:b': { host: 'orders.internal' },
      'arn:c': { host: '::1', port: 443 },
    });
  });

  it('refuses what is not a map of addresses, at start-up', () => {
    for (const bad of ['[]', '"x"', '{"arn:a": 8080}', '{"arn:a": "host:0"}', '{"arn:a": "host:99999"}', '{"arn:a": "http://host"}', 'not json']) {
      assert.throws(() => parseVpcLinkTargets(bad), /PORTICO_VPC_LINK_TARGETS/, bad);
    }
  });
});
