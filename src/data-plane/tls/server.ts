// HTTPS for custom domain names: certificate files `{domainName}.crt` / `{domainName}.key` in
// PORTICO_TLS_CERTS_DIR (a wildcard name as `_.example.com.crt`), chosen by SNI. Requests then go
// through the same handler as plain HTTP. Files are read at start and again when the directory changes.
import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { logger } from '../../logger.js';

export type TlsSettings = { port: number; host: string; certsDir: string };

export type TlsServer = { port: number; close: () => Promise<void> };

/** `{name}.crt` + `{name}.key` pairs by lower-case name; `_.` stands for the wildcard `*.`. */
export function loadCertificates(dir: string): Map<string, SecureContext> {
  const contexts = new Map<string, SecureContext>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.crt')) continue;
    const name = file.slice(0, -4);
    try {
      const context = createSecureContext({ cert: readFileSync(join(dir, file)), key: readFileSync(join(dir, `${name}.key`)) });
      contexts.set(name.toLowerCase().replace(/^_\./, '*.'), context);
    } catch (err) {
      logger.warn({ file, reason: (err as Error).message }, 'TLS certificate skipped: no readable key pair');
    }
  }
  return contexts;
}

/** The certificate for a server name: the name's own, else the wildcard one label up. */
export function contextFor(contexts: Map<string, SecureContext>, servername: string): SecureContext | undefined {
  const name = servername.toLowerCase();
  const dot = name.indexOf('.');
  return contexts.get(name) ?? (dot < 0 ? undefined : contexts.get(`*${name.slice(dot)}`));
}

export async function startTlsServer(settings: TlsSettings, onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<TlsServer> {
  let contexts = loadCertificates(settings.certsDir);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(settings.certsDir, () => {
      contexts = loadCertificates(settings.certsDir);
    });
  } catch (err) {
    logger.warn({ reason: (err as Error).message }, 'TLS certificates directory not watched: changes need a restart');
  }
  const server: Server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      SNICallback: (servername, callback) => {
        const context = contextFor(contexts, servername);
        if (context) callback(null, context);
        else callback(new Error(`no certificate for ${servername}`));
      },
    },
    onRequest,
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, certificates: [...contexts.keys()] }, `worker serving custom domain names on https://localhost:${port}`);
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
