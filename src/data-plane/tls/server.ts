// HTTPS for custom domain names: certificate files `{domainName}.crt` / `{domainName}.key` in
// PORTICO_TLS_CERTS_DIR (a wildcard name as `_.example.com.crt`), chosen by SNI. A name with mutual
// TLS also asks for the client's certificate and verifies it against the name's truststore file
// (mutual-tls.ts); the request path then refuses requests whose certificate did not verify. Requests
// go through the same handler as plain HTTP. Files are read at start and again when the directory changes.
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { logger } from '../../logger.js';
import { truststorePath } from './mutual-tls.js';

export type TlsSettings = {
  port: number;
  host: string;
  certsDir: string;
  /** where `s3://bucket/key` truststores are found, as `{bucket}/{key}` */
  truststoresDir: string;
  /** the mutual TLS truststore URI of the domain name a server name is, if it has one */
  truststoreFor: (servername: string) => string | undefined;
};

export type TlsServer = { port: number; close: () => Promise<void> };

type KeyPair = { cert: Buffer; key: Buffer; context: SecureContext };

/** `{name}.crt` + `{name}.key` pairs by lower-case name; `_.` stands for the wildcard `*.`. */
function loadCertificates(dir: string): Map<string, KeyPair> {
  const pairs = new Map<string, KeyPair>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.crt')) continue;
    const name = file.slice(0, -4);
    try {
      const cert = readFileSync(join(dir, file));
      const key = readFileSync(join(dir, `${name}.key`));
      pairs.set(name.toLowerCase().replace(/^_\./, '*.'), { cert, key, context: createSecureContext({ cert, key }) });
    } catch (err) {
      logger.warn({ file, reason: (err as Error).message }, 'TLS certificate skipped: no readable key pair');
    }
  }
  return pairs;
}

/** The certificate for a server name: the name's own, else the wildcard one label up. */
function pairFor(pairs: Map<string, KeyPair>, name: string): KeyPair | undefined {
  const dot = name.indexOf('.');
  return pairs.get(name) ?? (dot < 0 ? undefined : pairs.get(`*${name.slice(dot)}`));
}

export async function startTlsServer(settings: TlsSettings, onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<TlsServer> {
  let pairs = loadCertificates(settings.certsDir);
  // Contexts that verify client certificates, by key pair and truststore file (and its mtime).
  let mutualContexts = new Map<string, { context: SecureContext; mtimeMs: number }>();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(settings.certsDir, () => {
      pairs = loadCertificates(settings.certsDir);
      mutualContexts = new Map();
    });
  } catch (err) {
    logger.warn({ reason: (err as Error).message }, 'TLS certificates directory not watched: changes need a restart');
  }

  function mutualContext(name: string, pair: KeyPair, truststoreUri: string): SecureContext {
    const path = truststorePath(settings.truststoresDir, truststoreUri);
    if (!path) throw new Error(`truststore ${truststoreUri} is outside PORTICO_TLS_TRUSTSTORES_DIR`);
    const { mtimeMs } = statSync(path);
    const key = `${name}|${path}`;
    const cached = mutualContexts.get(key);
    if (cached && cached.mtimeMs === mtimeMs) return cached.context;
    const context = createSecureContext({ cert: pair.cert, key: pair.key, ca: readFileSync(path) });
    mutualContexts.set(key, { context, mtimeMs });
    return context;
  }

  const server: Server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      // Asked of every client, verified only against a mutual TLS name's truststore; whether a
      // request may pass without one is the request path's decision (its domain name's).
      requestCert: true,
      rejectUnauthorized: false,
      SNICallback: (servername, callback) => {
        const name = servername.toLowerCase();
        const pair = pairFor(pairs, name);
        if (!pair) return callback(new Error(`no certificate for ${servername}`));
        const truststoreUri = settings.truststoreFor(name);
        if (!truststoreUri) return callback(null, pair.context);
        try {
          callback(null, mutualContext(name, pair, truststoreUri));
        } catch (err) {
          logger.warn({ servername, truststoreUri, reason: (err as Error).message }, 'mutual TLS truststore unreadable: handshake refused');
          callback(err as Error);
        }
      },
    },
    onRequest,
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, certificates: [...pairs.keys()] }, `worker serving custom domain names on https://localhost:${port}`);
  return {
    port,
    close: async () => {
      watcher?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      server.closeAllConnections();
      await closed;
    },
  };
}
