// Custom domain names, client certificates and VPC links end to end, as in the Developer Guide's "Set up
// custom domain names for REST APIs", "Generate and configure an SSL certificate for backend
// authentication" and "Set up private integrations": an API reached by Host through `(none)`, single
// and multi-level base paths; HTTPS terminated by the worker with certificate files chosen by SNI; an
// HTTPS backend that demands the stage's client certificate; and HTTP_PROXY integrations through a
// VPC link (also named by `${stageVariables.vpcLinkId}`) whose target ARN maps to a local backend.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateVpcLinkCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GenerateClientCertificateCommand,
  GetVpcLinkCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import forge from 'node-forge';
import { newClient } from '../helpers/client.js';
import { startTestWorker } from '../helpers/worker.js';
import { invoke, waitForStage, waitUntil, workerEndpoint, type Invocation } from '../helpers/invoke.js';
import { eventually } from '../helpers/processes.js';
import type { RunningWorker } from '../../src/data-plane/worker.js';

const certificateArn = (account: string) => `arn:aws:acm:us-east-1:${account}:certificate/12345678-1234-1234-1234-123456789012`;
const unique = () => randomBytes(5).toString('hex');

type KeyPair = { cert: string; key: string; signer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } };

/** A certificate for `cn`: self-signed unless `issuer` signs it; a CA, a server's (for `altNames`) or a client's. */
function certificate(cn: string, kind: { ca?: true; serverNames?: string[]; issuer?: KeyPair }): KeyPair {
  // Node's native key generation (fast); node-forge builds and signs the certificate.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const keys = { privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey };
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(keys.privateKey.n, keys.privateKey.e);
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }, { name: 'organizationName', value: 'Portico tests' }]);
  cert.setIssuer(kind.issuer ? kind.issuer.signer.cert.subject.attributes : cert.subject.attributes);
  cert.setExtensions(
    kind.ca
      ? [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true }]
      : kind.serverNames
        ? [
            { name: 'basicConstraints', cA: false },
            { name: 'extKeyUsage', serverAuth: true },
            { name: 'subjectAltName', altNames: kind.serverNames.map((value) => (/^[\d.]+$/.test(value) ? { type: 7, ip: value } : { type: 2, value })) },
          ]
        : [{ name: 'basicConstraints', cA: false }, { name: 'extKeyUsage', clientAuth: true }],
  );
  cert.sign(kind.issuer?.signer.key ?? keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey), signer: { cert, key: keys.privateKey } };
}

const serverCertificate = (...names: string[]) => certificate(names[0]!, { serverNames: names });

/** A request to a worker's plain port with the Host header of a custom domain name. */
function viaHost(port: number, host: string, path: string): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

type TlsAnswer = Invocation & { peerCertificate: string };

/** Like viaTls, but the Host header names `host` while SNI names `servername`. */
function viaTlsWithHost(port: number, servername: string, host: string, ca: string, client: KeyPair): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/', servername, ca, cert: client.cert, key: client.key, headers: { host }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: new Headers(), body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request to a worker's HTTPS port, naming `servername` by SNI and Host, trusting `ca`, maybe presenting `client`. */
function viaTls(port: number, servername: string, path: string, ca: string, client?: KeyPair): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const identity = client ? { cert: client.cert, key: client.key } : {};
    const req = httpsRequest({ host: '127.0.0.1', port, path, servername, ca, ...identity, headers: { host: servername }, agent: false }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks).toString(), peerCertificate: String(peer.subject?.CN ?? '') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const workerPort = () => Number(new URL(workerEndpoint).port);

/** An API whose `GET /pets` and `GET /pets/{petId}` answer, from MOCK, where they were reached. */
async function whereAmIApi(client: APIGatewayClient, name: string, stages: string[]): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name }));
  const pets = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
  const pet = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id, pathPart: '{petId}' }));
  for (const resourceId of [pets.id, pet.id]) {
    const ids = { restApiId: api.id, resourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
    await client.send(
      new PutIntegrationResponseCommand({
        ...ids,
        statusCode: '200',
        responseTemplates: {
          'application/json': `{"api": "${name}", "stage": "$context.stage", "resourcePath": "$context.resourcePath", "path": "$context.path", "domainName": "$context.domainName", "petId": "$input.params('petId')"}`,
        },
      }),
    );
  }
  for (const stageName of stages) {
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
    await waitForStage(api.id!, stageName, '/pets');
  }
  return api.id!;
}

describe('an API reached through a custom domain name and base path mappings', () => {
  it('routes by Host: (none), a single-level path without a stage, a multi-level path; the longest base path wins', async () => {
    const client = newClient();
    const orders = await whereAmIApi(client, 'orders', ['prod']);
    const shop = await whereAmIApi(client, 'shop', ['beta', 'prod']);
    const domainName = `api-${unique()}.example.com`;
    await client.send(
      new CreateDomainNameCommand({ domainName, regionalCertificateArn: certificateArn(client.accountId), endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_2' }),
    );
    await client.send(new CreateBasePathMappingCommand({ domainName, restApiId: orders, stage: 'prod' }));
    await client.send(new CreateBasePathMappingCommand({ domainName, basePath: 'v1/shop', restApiId: shop, stage: 'beta' }));
    // Without a stage, the first segment after the base path names it.
    await client.send(new CreateBasePathMappingCommand({ domainName, basePath: 'store', restApiId: shop }));

    const live = await waitUntil(() => viaHost(workerPort(), domainName, '/pets/7'), (r) => r.status === 200);
    assert.deepEqual(JSON.parse(live.result.body), { api: 'orders', stage: 'prod', resourcePath: '/pets/{petId}', path: '/pets/7', domainName, petId: '7' });

    // The multi-level base path is longer than (none): it wins, and the rest is the API's path.
    const multi = await waitUntil(() => viaHost(workerPort(), `${domainName}:443`, '/v1/shop/pets/9'), (r) => r.status === 200);
    assert.deepEqual(JSON.parse(multi.result.body), { api: 'shop', stage: 'beta', resourcePath: '/pets/{petId}', path: '/v1/shop/pets/9', domainName, petId: '9' });
    const { result: store } = await waitUntil(() => viaHost(workerPort(), domainName.toUpperCase(), '/store/prod/pets'), (r) => r.status === 200);
    assert.deepEqual(JSON.parse(store.body), { api: 'shop', stage: 'prod', resourcePath: '/pets', path: '/store/prod/pets', domainName: domainName.toUpperCase(), petId: '' });

    // Only a whole segment matches a base path: /v1/pets and /v1/shopping are the (none) API's paths.
    const partial = await viaHost(workerPort(), domainName, '/v1/shopping');
    assert.equal(partial.status, 403);
    assert.equal(partial.body, '{"message":"Missing Authentication Token"}');
    // A stage the unstaged mapping's API does not have.
    const noStage = await viaHost(workerPort(), domainName, '/store/gamma/pets');
    assert.equal(noStage.status, 403);
    assert.equal(noStage.body, '{"message":"Forbidden"}');

    // Without (none), paths outside every base path are forbidden.
    await client.send(new DeleteBasePathMappingCommand({ domainName, basePath: '(none)' }));
    await waitUntil(() => viaHost(workerPort(), domainName, '/pets/7'), (r) => r.status === 403 && r.body === '{"message":"Forbidden"}');
    assert.equal((await viaHost(workerPort(), domainName, '/v1/shop/pets/1')).status, 200);

    // A deleted domain name no longer routes; the API stays reachable by its own invoke URL.
    await client.send(new DeleteDomainNameCommand({ domainName }));
    await waitUntil(() => viaHost(workerPort(), domainName, '/v1/shop/pets/1'), (r) => r.status === 403 && r.body === '{"message":"Forbidden"}');
    assert.equal((await invoke(shop, 'beta', '/pets/1')).status, 200);
  });

  it('serves one account\'s mapping of another account\'s API not at all', async () => {
    const owner = newClient();
    const api = await whereAmIApi(owner, 'private-orders', ['prod']);
    const other = newClient();
    const domainName = `other-${unique()}.example.com`;
    await other.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(other.accountId) }));
    // The API is not the other account's: the mapping cannot even be made.
    await assert.rejects(other.send(new CreateBasePathMappingCommand({ domainName, restApiId: api, stage: 'prod' })), { name: 'BadRequestException' });
    const answer = await viaHost(workerPort(), domainName, '/pets');
    assert.equal(answer.status, 403);
    assert.equal(answer.body, '{"message":"Forbidden"}');
  });
});

describe('workers with certificate files and VPC link targets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-domains-'));
  const certsDir = join(dir, 'certs');
  const secureName = `secure-${unique()}.example.com`;
  const wildcardSuffix = `wild-${unique()}.example.com`;
  const secure = serverCertificate(secureName);
  const wildcard = serverCertificate(`*.${wildcardSuffix}`);
  // Mutual TLS: the truststore holds the clients' CA; a client of another CA is not trusted.
  const mtlsName = `mtls-${unique()}.example.com`;
  const mtlsServer = serverCertificate(mtlsName);
  const truststoreUri = `s3://truststores-${unique()}/clients/ca.pem`;
  const clientsCa = certificate('Portico test clients CA', { ca: true });
  const trustedClient = certificate('trusted-client', { issuer: clientsCa });
  const untrustedClient = certificate('untrusted-client', { issuer: certificate('Stranger CA', { ca: true }) });
  const nlbArn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb-${unique()}/50dc6c495c0c9188`;
  const unmappedNlbArn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/unmapped-${unique()}/50dc6c495c0c9188`;
  // The load balancer's backend: answers with what it was asked.
  const seen: { host?: string; url?: string }[] = [];
  const nlbBackend = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ host: req.headers.host, url: req.url });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host: req.headers.host, url: req.url }));
  });
  let worker: RunningWorker;
  const own = () => `http://127.0.0.1:${worker.port}`;

  before(async () => {
    await new Promise<void>((resolve) => nlbBackend.listen(0, '127.0.0.1', resolve));
    mkdirSync(certsDir);
    writeFileSync(join(certsDir, `${secureName}.crt`), secure.cert);
    writeFileSync(join(certsDir, `${secureName}.key`), secure.key);
    writeFileSync(join(certsDir, `_.${wildcardSuffix}.crt`), wildcard.cert);
    writeFileSync(join(certsDir, `_.${wildcardSuffix}.key`), wildcard.key);
    writeFileSync(join(certsDir, `${mtlsName}.crt`), mtlsServer.cert);
    writeFileSync(join(certsDir, `${mtlsName}.key`), mtlsServer.key);
    // Truststores default to {certsDir}/truststores, `s3://bucket/key` as `{bucket}/{key}`.
    const truststore = join(certsDir, 'truststores', truststoreUri.slice('s3://'.length));
    mkdirSync(join(truststore, '..'), { recursive: true });
    writeFileSync(truststore, clientsCa.cert);
    worker = await startTestWorker(join(dir, 'cache'), {
      tls: { port: 0, certsDir },
      lambda: { endpoint: undefined, functionsDir: join(import.meta.dirname, '..', 'functions'), functionTimeoutMs: 2000 },
      vpcLinkTargets: { [nlbArn]: { host: '127.0.0.1', port: (nlbBackend.address() as AddressInfo).port } },
    });
  });

  after(async () => {
    await worker?.stop();
    await new Promise((resolve) => nlbBackend.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('terminates TLS with the certificate SNI names, exact or wildcard, and routes by Host', async () => {
    const client = newClient();
    const api = await whereAmIApi(client, 'tls', ['prod']);
    const wildName = `shop.${wildcardSuffix}`;
    for (const domainName of [secureName, `*.${wildcardSuffix}`]) {
      await client.send(new CreateDomainNameCommand({ domainName, certificateArn: certificateArn(client.accountId) }));
      await client.send(new CreateBasePathMappingCommand({ domainName, basePath: 'orders', restApiId: api, stage: 'prod' }));
    }
    const exact = await waitUntil(() => viaTls(worker.tlsPort!, secureName, '/orders/pets/3', secure.cert), (r) => r.status === 200);
    assert.equal((exact.result as TlsAnswer).peerCertificate, secureName);
    assert.deepEqual(JSON.parse(exact.result.body), { api: 'tls', stage: 'prod', resourcePath: '/pets/{petId}', path: '/orders/pets/3', domainName: secureName, petId: '3' });
    const wild = (await waitUntil(() => viaTls(worker.tlsPort!, wildName, '/orders/pets', wildcard.cert), (r) => r.status === 200)).result as TlsAnswer;
    assert.equal(wild.peerCertificate, `*.${wildcardSuffix}`);
    assert.equal(JSON.parse(wild.body).domainName, wildName);
    // No certificate for the name: the handshake fails.
    await assert.rejects(viaTls(worker.tlsPort!, `nobody-${unique()}.example.com`, '/orders/pets', secure.cert));
    // The certificate of another name is not trusted for this one.
    await assert.rejects(viaTls(worker.tlsPort!, wildName, '/orders/pets', secure.cert));
  });

  it('requires, on a name with mutual TLS, a client certificate its truststore verifies', async () => {
    const client = newClient();
    const api = await client.send(new CreateRestApiCommand({ name: 'mutual tls' }));
    const ids = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
    await client.send(
      new PutIntegrationResponseCommand({
        ...ids,
        statusCode: '200',
        responseTemplates: { 'application/json': '{"subjectDN": "$context.identity.clientCert.subjectDN", "issuerDN": "$context.identity.clientCert.issuerDN", "serialNumber": "$context.identity.clientCert.serialNumber"}' },
      }),
    );
    // A Lambda proxy integration sees the certificate in requestContext.identity.clientCert.
    const echo = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'echo' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: echo.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: echo.id,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${client.accountId}:function:echo/invocations`,
      }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    await client.send(
      new CreateDomainNameCommand({
        domainName: mtlsName,
        regionalCertificateArn: certificateArn(client.accountId),
        endpointConfiguration: { types: ['REGIONAL'] },
        securityPolicy: 'TLS_1_2',
        mutualTlsAuthentication: { truststoreUri },
      }),
    );
    await client.send(new CreateBasePathMappingCommand({ domainName: mtlsName, restApiId: api.id, stage: 'prod' }));

    const trusted = await waitUntil(() => viaTls(worker.tlsPort!, mtlsName, '/', mtlsServer.cert, trustedClient), (r) => r.status === 200);
    const x509 = new X509Certificate(trustedClient.cert);
    assert.deepEqual(JSON.parse(trusted.result.body), {
      subjectDN: 'CN=trusted-client,O=Portico tests',
      issuerDN: 'CN=Portico test clients CA,O=Portico tests',
      serialNumber: x509.serialNumber.toLowerCase().match(/../g)!.join(':'),
    });
    const proxied = await viaTls(worker.tlsPort!, mtlsName, '/echo', mtlsServer.cert, trustedClient);
    assert.equal(proxied.status, 200, proxied.body);
    const { clientCert } = JSON.parse(proxied.body).event.requestContext.identity;
    assert.equal(clientCert.clientCertPem, x509.toString());
    assert.equal(clientCert.subjectDN, 'CN=trusted-client,O=Portico tests');
    assert.deepEqual(clientCert.validity, { notBefore: x509.validFrom, notAfter: x509.validTo });
    // Without a certificate, with one of another CA, or over plain HTTP: 403 Forbidden.
    for (const answer of [
      await viaTls(worker.tlsPort!, mtlsName, '/', mtlsServer.cert),
      await viaTls(worker.tlsPort!, mtlsName, '/', mtlsServer.cert, untrustedClient),
      await viaHost(worker.port, mtlsName, '/'),
    ]) {
      assert.equal(answer.status, 403);
      assert.equal(answer.body, '{"message":"Forbidden"}');
    }
    // A certificate verified for another name (SNI) does not open this one.
    const other = await viaTlsWithHost(worker.tlsPort!, secureName, mtlsName, secure.cert, trustedClient);
    assert.equal(other.status, 403);
  });

  it('presents the stage\'s client certificate to an HTTPS backend that requires it', async () => {
    const client = newClient();
    const generated = await client.send(new GenerateClientCertificateCommand({ description: 'backend auth' }));
    const backendCertificate = serverCertificate('localhost', '127.0.0.1');
    const backend = createHttpsServer({ ...backendCertificate, ca: [generated.pemEncodedCertificate!], requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const presented = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client: presented.subject?.CN, serial: presented.serialNumber }));
    });
    let handshakes = 0;
    backend.on('tlsClientError', () => handshakes++);
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    try {
      const api = await client.send(new CreateRestApiCommand({ name: 'mutual' }));
      const ids = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
      await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
      await client.send(
        new PutIntegrationCommand({
          ...ids,
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'GET',
          uri: `https://localhost:${(backend.address() as AddressInfo).port}/whoami`,
          // The backend's own certificate is self-signed.
          tlsConfig: { insecureSkipVerification: true },
        }),
      );
      await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
      // Without a client certificate the backend refuses the handshake: API Gateway's 502.
      const refused = await waitForStage(api.id!, 'prod');
      assert.equal(refused.status, 502, refused.body);
      assert.equal(refused.body, '{"message":"Internal server error"}');
      assert.ok(handshakes > 0, 'the backend saw a handshake without a certificate');

      await client.send(
        new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: generated.clientCertificateId }] }),
      );
      const accepted = await waitUntil(() => invoke(api.id!, 'prod', '/'), (r) => r.status === 200);
      const x509 = new X509Certificate(generated.pemEncodedCertificate!);
      assert.deepEqual(JSON.parse(accepted.result.body), { client: `ApiGateway-${generated.clientCertificateId}`, serial: x509.serialNumber });

      // Another stage of the same API without the certificate is still refused.
      await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'plain' }));
      const plain = await waitForStage(api.id!, 'plain');
      assert.equal(plain.status, 502);

      // Removing it from the stage stops presenting it.
      await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/clientCertificateId', value: '' }] }));
      await waitUntil(() => invoke(api.id!, 'prod', '/'), (r) => r.status === 502);
    } finally {
      backend.closeAllConnections();
      await new Promise((resolve) => backend.close(resolve));
    }
  });

  it('sends a private integration through a VPC link, named directly or by ${stageVariables.vpcLinkId}', async () => {
    const client = newClient();
    const link = await client.send(new CreateVpcLinkCommand({ name: 'orders-nlb', targetArns: [nlbArn] }));
    assert.equal(link.status, 'PENDING');
    const unmapped = await client.send(new CreateVpcLinkCommand({ name: 'unmapped', targetArns: [unmappedNlbArn] }));
    const api = await client.send(new CreateRestApiCommand({ name: 'private integration' }));
    const proxy = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    const proxyIds = { restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY' };
    await client.send(new PutMethodCommand({ ...proxyIds, authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
    await client.send(
      new PutIntegrationCommand({
        ...proxyIds,
        type: 'HTTP_PROXY',
        integrationHttpMethod: 'ANY',
        // The URI's host is what the load balancer's backends see as Host; the link decides where the connection goes.
        uri: 'http://orders.internal.example:8080/api/{proxy}',
        connectionType: 'VPC_LINK',
        connectionId: '${stageVariables.vpcLinkId}',
        requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      }),
    );
    const rootIds = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...rootIds, authorizationType: 'NONE' }));
    await client.send(
      new PutIntegrationCommand({ ...rootIds, type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://orders.internal.example/health', connectionType: 'VPC_LINK', connectionId: link.id }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { vpcLinkId: link.id! } }));

    // While the link is PENDING, calls through it fail as API Gateway's configuration errors do.
    const answers: { answer: Invocation; before: string | undefined; status: string | undefined; started: number }[] = [];
    let availableSince: number | undefined;
    const linkStatus = async () => {
      const status = (await client.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).status;
      if (status === 'AVAILABLE') availableSince ??= Date.now();
      return status;
    };
    await waitUntil(
      async () => {
        const before = await linkStatus();
        const started = Date.now();
        const answer = await invoke(api.id!, 'prod', '/orders/42?verbose=1', {}, own());
        answers.push({ answer, before, status: await linkStatus(), started });
        return answer;
      },
      (r) => r.status === 200,
      15_000,
    );
    for (const { answer, before, status, started } of answers) {
      // 403 Forbidden: the worker did not serve the stage yet.
      if (answer.status === 403 && answer.body === '{"message":"Forbidden"}') continue;
      // The status was read after the answer: a link still PENDING then was PENDING during the call.
      if (answer.status === 200) {
        assert.equal(status, 'AVAILABLE');
        continue;
      }
      assert.equal(answer.status, 500, answer.body);
      assert.equal(answer.body, '{"message":"Internal server error"}');
      // A failure is only ever a link not yet AVAILABLE, or one the worker's config has not caught
      // up with yet (a config change reaches workers within a few seconds).
      assert.ok(before !== 'AVAILABLE' || started - availableSince! < 5000, `failed ${started - availableSince!} ms after the link was AVAILABLE`);
    }
    const last = answers.at(-1)!.answer;
    assert.deepEqual(JSON.parse(last.body), { host: 'orders.internal.example:8080', url: '/api/orders/42?verbose=1' });
    assert.equal((await client.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).status, 'AVAILABLE');

    const root = await invoke(api.id!, 'prod', '/', {}, own());
    assert.equal(root.status, 200, root.body);
    assert.deepEqual(JSON.parse(root.body), { host: 'orders.internal.example', url: '/health' });

    // A stage whose variable names a link whose target this worker has no address for.
    await eventually(async () => ((await client.send(new GetVpcLinkCommand({ vpcLinkId: unmapped.id }))).status === 'AVAILABLE' ? true : undefined), 'unmapped link AVAILABLE', 15_000);
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'unmapped', variables: { vpcLinkId: unmapped.id! } }));
    const noTarget = await waitForStage(api.id!, 'unmapped', '/orders/1', 5000, own());
    assert.equal(noTarget.status, 500);
    // A stage variable naming no link at all.
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'nolink', variables: { vpcLinkId: 'nope00' } }));
    const noLink = await waitForStage(api.id!, 'nolink', '/orders/1', 5000, own());
    assert.equal(noLink.status, 500);
    assert.ok(seen.every((s) => s.host?.startsWith('orders.internal.example')));
  });
});
