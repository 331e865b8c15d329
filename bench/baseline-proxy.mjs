// Baseline for the throughput bench: a minimal hand-written reverse proxy on node:http with a
// keep-alive http.Agent, in front of the local upstream. (The generated ApiClient calls its upstream
// through undici's Pool, which costs less per call: the yardstick stays plain node:http.)
// Forwards method, path and headers (host rewritten, hop-by-hop headers dropped), the request body
// when there is one, buffers the upstream answer and returns its status and body. Run as its own process:
//   node bench/baseline-proxy.mjs <upstream-origin> [port]
// Prints "baseline proxy listening on http://127.0.0.1:PORT" on stderr.
import http from 'node:http';

const upstream = new URL(process.argv[2] ?? 'http://127.0.0.1:1');
const agent = new http.Agent({ keepAlive: true });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const server = http.createServer((req, res) => {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  headers.host = upstream.host;
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const out = http.request(
    { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    (up) => {
      const chunks = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const h = { 'content-length': String(body.length) };
        if (up.headers['content-type']) h['content-type'] = up.headers['content-type'];
        res.writeHead(up.statusCode ?? 502, h);
        res.end(body);
      });
      up.on('error', () => res.destroy());
    },
  );
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"error":"upstream_unavailable"}');
  });
  if (hasBody) req.pipe(out);
  else {
    req.resume();
    out.end();
  }
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  process.stderr.write(`baseline proxy listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    agent.destroy();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
