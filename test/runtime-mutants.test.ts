/**
 * Tests written against the runtime's surviving mutants (npm run mutation:runtime): each pins down a
 * behaviour that an earlier test let vary. Whole texts are compared where the runtime promises a
 * format (Prometheus exposition, status documents), with the clock and memory figures fixed.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DigestAuth } from '../templates/runtime/auth-digest.js';
import { createControlServer, RequestMetrics, statusOf } from '../templates/runtime/control.js';
import { markdownUnder } from '../templates/runtime/format-markdown.js';
import { forwardTo } from '../templates/runtime/forward.js';
import { inboundAuth } from '../templates/runtime/inbound-auth.js';
import { fromXml } from '../templates/runtime/format-xml.js';
import { Metrics } from '../templates/runtime/ops.js';
import { ApiClient, type OperationDescriptor } from '../templates/runtime/upstream.js';

afterEach(() => vi.restoreAllMocks());

/** A stand-in for an http.Server: emits 'request', and each response 'finish' when told. */
function fakeServer(): { server: http.Server; answer: (method: string | undefined, status: number) => void } {
  const server = new EventEmitter() as unknown as http.Server;
  return {
    server,
    answer(method, status) {
      const res = Object.assign(new EventEmitter(), { statusCode: status });
      server.emit('request', { method }, res);
      res.emit('finish');
    },
  };
}

describe('control adapter metrics: the whole exposition text', () => {
  it('counts per adapter, method and status, sorted; durations per adapter; uptime and memory', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const metrics = new RequestMetrics();
    let clock = 0n;
    vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => (clock += 250_000_000n));
    vi.spyOn(process, 'memoryUsage').mockReturnValue({ rss: 4096, heapUsed: 2048, heapTotal: 0, external: 0, arrayBuffers: 0 });
    const rest = fakeServer();
    const mcp = fakeServer();
    metrics.watch('rest', rest.server);
    metrics.watch('mcp', mcp.server);
    rest.answer('POST', 201);
    rest.answer('GET', 200);
    rest.answer('GET', 200);
    mcp.answer(undefined, 404);
    vi.spyOn(Date, 'now').mockReturnValue(1_002_500);
    expect(metrics.render()).toBe(
      [
        '# HELP naftiko_http_requests_total Requests answered by each adapter.',
        '# TYPE naftiko_http_requests_total counter',
        'naftiko_http_requests_total{adapter="mcp",method="",status="404"} 1',
        'naftiko_http_requests_total{adapter="rest",method="GET",status="200"} 2',
        'naftiko_http_requests_total{adapter="rest",method="POST",status="201"} 1',
        '# HELP naftiko_http_request_duration_seconds Time to answer a request.',
        '# TYPE naftiko_http_request_duration_seconds summary',
        'naftiko_http_request_duration_seconds_sum{adapter="mcp"} 0.25',
        'naftiko_http_request_duration_seconds_count{adapter="mcp"} 1',
        'naftiko_http_request_duration_seconds_sum{adapter="rest"} 0.75',
        'naftiko_http_request_duration_seconds_count{adapter="rest"} 3',
        '# HELP process_uptime_seconds Seconds since the server started.',
        '# TYPE process_uptime_seconds gauge',
        'process_uptime_seconds 2.5',
        '# HELP process_resident_memory_bytes Resident memory size.',
        '# TYPE process_resident_memory_bytes gauge',
        'process_resident_memory_bytes 4096',
        '# HELP nodejs_heap_used_bytes V8 heap in use.',
        '# TYPE nodejs_heap_used_bytes gauge',
        'nodejs_heap_used_bytes 2048',
        '',
      ].join('\n'),
    );
  });

  it('the status document: uptime in whole seconds, and a port of null for an adapter not listening', () => {
    const start = new Date('2026-01-02T03:04:05.000Z').getTime();
    vi.useFakeTimers({ now: start, toFake: ['Date'] });
    try {
      const listening = { label: 'REST adapter a', server: { listening: true, address: () => ({ port: 8080 }) } };
      const stopped = { label: 'MCP adapter b', server: { listening: false, address: () => null } };
      const status = statusOf('cap', [listening, stopped] as never);
      vi.setSystemTime(start + 2_600);
      expect(status()).toEqual({
        capability: 'cap',
        startedAt: '2026-01-02T03:04:05.000Z',
        uptimeSeconds: 3,
        adapters: [
          { adapter: 'REST adapter a', listening: true, port: 8080 },
          { adapter: 'MCP adapter b', listening: false, port: null },
        ],
      });
      vi.setSystemTime(start + 2_400);
      expect(status().uptimeSeconds).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('adapter metrics (ops.ts): the whole exposition text', () => {
  it('prints help and type lines, counts, every bucket, sum and count, in-flight requests and connections', () => {
    const m = new Metrics('api');
    m.record('GET', '/a', 200, 0.05);
    m.record('GET', '/a', 404, 1);
    m.inFlight = 1;
    const key = 'adapter="api",method="GET",route="/a"';
    const buckets = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30'];
    const counts = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    expect(m.render(3)).toBe(
      [
        '# HELP http_requests_total Requests answered, by method, route and status.',
        '# TYPE http_requests_total counter',
        `http_requests_total{${key},status="200"} 1`,
        `http_requests_total{${key},status="404"} 1`,
        '# HELP http_request_duration_seconds Time to answer a request.',
        '# TYPE http_request_duration_seconds histogram',
        ...buckets.map((b, i) => `http_request_duration_seconds_bucket{${key},le="${b}"} ${counts[i]}`),
        `http_request_duration_seconds_bucket{${key},le="+Inf"} 2`,
        `http_request_duration_seconds_sum{${key}} 1.05`,
        `http_request_duration_seconds_count{${key}} 2`,
        '# HELP http_requests_in_flight Requests being answered.',
        '# TYPE http_requests_in_flight gauge',
        'http_requests_in_flight{adapter="api"} 1',
        '# HELP http_open_connections Open client connections.',
        '# TYPE http_open_connections gauge',
        'http_open_connections{adapter="api"} 3',
        '',
      ].join('\n'),
    );
  });
});

describe('XML answers', () => {
  it('drops the declaration and processing instructions, keeps an element’s text beside its attributes', () => {
    expect(fromXml('<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><ship><name lang="en"> Ada </name><!-- c --></ship>')).toEqual({ name: { lang: 'en', '': 'Ada' } });
    // A root holding only text is that text.
    expect(fromXml('<a>1</a>')).toBe('1');
    // Text beside the root (a CDATA section before it) makes two top-level values: the whole document.
    expect(fromXml('<![CDATA[x]]><a/>')).toEqual({ a: '', '': 'x' });
  });
});

describe('the upstream client’s connections', () => {
  const op: OperationDescriptor = { name: 'op', method: 'GET', path: ['/x'], query: [], headers: [], cookies: [] };

  /** A server on `host` that records each request's client port and answers after `delayMs`. */
  async function recorder(host: string, delayMs = 0): Promise<{ url: string; seen: Array<{ port: number; url: string; host: string }>; close: () => Promise<void> }> {
    const seen: Array<{ port: number; url: string; host: string }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ port: req.socket.remotePort!, url: req.url!, host: req.headers.host! });
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"n":${seen.length}}`), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const port = (server.address() as AddressInfo).port;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      seen,
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it('reaches an IPv6 base URI, brackets taken off the host name', async () => {
    const up = await recorder('::1');
    const api = new ApiClient({ namespace: 'v6', baseUri: `${up.url}/base`, timeoutMs: 2_000 });
    try {
      const res = await api.send(op, {});
      expect([res.status, up.seen.map((s) => s.url)]).toEqual([200, ['/base/x']]);
      expect(up.seen[0]!.host).toBe(new URL(up.url).host);
    } finally {
      api.close();
      await up.close();
    }
  });

  it('keeps connections alive between calls, and opens no more than maxSockets at once', async () => {
    const up = await recorder('127.0.0.1', 40);
    const api = new ApiClient({ namespace: 'ka', baseUri: up.url, timeoutMs: 2_000, maxSockets: 1 });
    try {
      await api.send(op, {});
      await api.send(op, {});
      // Three at once over one socket: all from the same client port.
      await Promise.all([api.send(op, {}), api.send(op, {}), api.send(op, {})]);
      expect(new Set(up.seen.map((s) => s.port)).size).toBe(1);
    } finally {
      api.close();
      await up.close();
    }
    const wide = await recorder('127.0.0.1', 40);
    const many = new ApiClient({ namespace: 'wide', baseUri: wide.url, timeoutMs: 2_000 });
    try {
      await Promise.all([many.send(op, {}), many.send(op, {}), many.send(op, {})]);
      expect(new Set(wide.seen.map((s) => s.port)).size).toBe(3);
    } finally {
      many.close();
      await wide.close();
    }
  });
});

describe('the control adapter serves each endpoint it is given, and only those', () => {
  it('health without status or metrics, and status without health', async () => {
    const healthOnly = createControlServer({ health: true, ready: () => true });
    const statusOnly = createControlServer({ health: false, status: () => ({ ok: 1 }), ready: () => true });
    const urls: string[] = [];
    for (const s of [healthOnly, statusOnly]) {
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      urls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
    try {
      const status = async (url: string) => (await fetch(url)).status;
      expect([await status(`${urls[0]}/health/live`), await status(`${urls[0]}/health/ready`), await status(`${urls[0]}/status`), await status(`${urls[0]}/metrics`)]).toEqual([200, 200, 404, 404]);
      expect([await status(`${urls[1]}/health/live`), await status(`${urls[1]}/status`), await status(`${urls[1]}/metrics`)]).toEqual([404, 200, 404]);
    } finally {
      for (const s of [healthOnly, statusOnly]) await new Promise((r) => s.close(r));
    }
  });
});

describe('Digest challenges as servers write them', () => {
  const parts = (header: string) => header.replace(/^Digest /, '').split(', ').map((p) => p.split('=')[0]);

  it('finds Digest after another scheme without a space, and parameters with spaces around `=`', () => {
    const auth = new DigestAuth(() => ({ username: 'u', password: 'p' }));
    expect(auth.retry('GET', '/a', 'Basic realm="b",Digest realm="r", nonce="n"')?.authorization).toMatch(/^Digest username="u", realm="r", nonce="n"/);
    expect(auth.retry('GET', '/a', 'Digest realm = "r2", nonce = "n2"')?.authorization).toMatch(/^Digest username="u", realm="r2", nonce="n2"/);
  });

  it('answers with exactly the fields the challenge calls for', () => {
    const auth = new DigestAuth(() => ({ username: 'u', password: 'p' }));
    expect(parts(auth.retry('GET', '/a', 'Digest realm="r", nonce="n"')!.authorization!)).toEqual(['username', 'realm', 'nonce', 'uri', 'algorithm', 'response']);
    expect(parts(auth.retry('GET', '/a', 'Digest realm="r", nonce="n", opaque="o", qop="auth"')!.authorization!)).toEqual(['username', 'realm', 'nonce', 'uri', 'algorithm', 'response', 'opaque', 'qop', 'nc', 'cnonce']);
  });

  it('refuses an algorithm that only contains -sess, not at its end', () => {
    const auth = new DigestAuth(() => ({ username: 'u', password: 'p' }));
    expect(auth.retry('GET', '/a', 'Digest realm="r", nonce="n", algorithm=-sessMD5')).toBeUndefined();
  });
});

describe('Markdown sections: the text of every kind of block', () => {
  const doc = '## Results\n\n```\ncode here\n```\n\n- one\n- two\n\n---\n\n## Next\n\nx\n';

  it('finds a heading that opens the document; the wanted heading may have spaces around it', () => {
    const want = { sections: [{ heading: 'Results', level: 2, text: 'code here\n\n- one\n- two\n\n---' }], tables: [] };
    expect(markdownUnder('Results')(doc)).toEqual(want);
    expect(markdownUnder('  ## Results  ')(doc)).toEqual(want);
  });
});

describe('forward resources: the API’s fixed headers', () => {
  it('replace the caller’s copy of the same header, even when it is trusted', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const api = new ApiClient({ namespace: 'f', baseUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2_000 });
    try {
      const forward = forwardTo(api, ['X-Fixed'], { 'X-Fixed': 'api' });
      await forward({ method: 'GET', segments: ['x'], headers: { 'x-fixed': 'caller' }, body: undefined });
      expect(seen[0]!['x-fixed']).toBe('api');
    } finally {
      api.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('inbound credentials without their separator', () => {
  const request = (headers: Record<string, string>) => ({ headers, rawHeaders: Object.entries(headers).flat(), url: '/' }) as unknown as http.IncomingMessage;

  it('an Authorization header without a space has no scheme', () => {
    const auth = inboundAuth('r', { kind: 'bearer', token: 'Bearerx' });
    expect(auth.accept(request({ authorization: 'Bearerx' }))).toBe(false);
    expect(auth.accept(request({ authorization: 'Bearer Bearerx' }))).toBe(true);
  });

  it('a query key is read from the query only, never from a path that looks like one', () => {
    const auth = inboundAuth('r', { kind: 'apikey', key: 'key', value: 'k1', placement: 'query' });
    const at = (url: string) => ({ headers: {}, rawHeaders: [], url }) as unknown as http.IncomingMessage;
    expect(auth.accept(at('/items&key=k1'))).toBe(false);
    expect(auth.accept(at('/items?key=k1'))).toBe(true);
  });

  it('Basic credentials without a colon match no user, whatever the halves would be', () => {
    const auth = inboundAuth('r', { kind: 'basic', username: 'ad', password: 'ada' });
    expect(auth.accept(request({ authorization: `Basic ${Buffer.from('ada').toString('base64')}` }))).toBe(false);
    expect(auth.accept(request({ authorization: `Basic ${Buffer.from('ad:ada').toString('base64')}` }))).toBe(true);
  });
});
