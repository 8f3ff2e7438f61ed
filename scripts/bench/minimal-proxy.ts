// Baseline: a minimal reverse proxy, node:http in front and an undici pool to the backend behind.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const backend = new Pool(process.env.BACKEND_URL!, { connections: 64 });
const server = createServer(async (req, res) => {
  try {
    const { statusCode, headers, body } = await backend.request({ method: req.method as 'GET', path: req.url!, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: req });
    const payload = Buffer.from(await body.arrayBuffer());
    res.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json'), 'content-length': payload.length }).end(payload);
  } catch {
    res.writeHead(502).end();
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
process.on('SIGTERM', () => process.exit(0));
