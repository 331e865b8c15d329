// Local upstream for the throughput bench: node:http with keep-alive, answers one small fixed JSON
// body to any request (method and path ignored, request body drained). Run as its own process:
//   node bench/upstream.mjs [port]      (port 0 or omitted = random)
// Prints "upstream listening on http://127.0.0.1:PORT" on stderr once it accepts connections.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export const UPSTREAM_BODY = JSON.stringify({
  results: [
    { id: 'b8f6c1de-0a4f-4c1e-9d53-1f0e5a1c2b3d', name: 'x', description: 'bench token', created_at: '2026-01-01T00:00:00Z', scope: 'ADMIN' },
  ],
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const body = Buffer.from(UPSTREAM_BODY, 'utf8');
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    process.stderr.write(`upstream listening on http://127.0.0.1:${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0)) && server.closeAllConnections();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
