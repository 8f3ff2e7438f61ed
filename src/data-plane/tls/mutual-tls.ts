// Mutual TLS on custom domain names: where a domain name's truststore (`s3://bucket/key`) is found
// self-hosted (the file `{bucket}/{key}` under PORTICO_TLS_TRUSTSTORES_DIR), whether a request's
// TLS connection proved a certificate for the name it asks for, and that certificate as
// `$context.identity.clientCert` shows it.
import type { Socket } from 'node:net';
import { resolve, sep } from 'node:path';
import type { TLSSocket } from 'node:tls';

/** The TLS side of a request, when it came over the worker's HTTPS port. */
export type TlsClient = { servername: string | undefined; authorized: boolean; socket: TLSSocket };

export type ClientCertIdentity = {
  clientCertPem: string;
  subjectDN: string;
  issuerDN: string;
  serialNumber: string;
  validity: { notBefore: string; notAfter: string };
};

export function tlsClientOf(socket: Socket | null | undefined): TlsClient | undefined {
  const tls = socket as TLSSocket | null | undefined;
  if (!tls?.encrypted) return undefined;
  return { servername: typeof tls.servername === 'string' ? tls.servername.toLowerCase() : undefined, authorized: tls.authorized, socket: tls };
}

/** The truststore file of `s3://bucket/key` under `dir`; undefined for a URI that would leave it. */
export function truststorePath(dir: string, truststoreUri: string): string | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(truststoreUri);
  if (!match) return undefined;
  const root = resolve(dir);
  const path = resolve(root, match[1]!, match[2]!);
  return path.startsWith(root + sep) ? path : undefined;
}

/** The verified client certificate of a connection, in API Gateway's shape. */
export function clientCertIdentity(socket: TLSSocket): ClientCertIdentity | undefined {
  const x509 = socket.getPeerX509Certificate();
  if (!x509) return undefined;
  return {
    clientCertPem: x509.toString(),
    subjectDN: x509.subject.split('\n').join(','),
    issuerDN: x509.issuer.split('\n').join(','),
    serialNumber: (x509.serialNumber.length % 2 ? '0' + x509.serialNumber : x509.serialNumber).toLowerCase().match(/../g)!.join(':'),
    validity: { notBefore: x509.validFrom, notAfter: x509.validTo },
  };
}
