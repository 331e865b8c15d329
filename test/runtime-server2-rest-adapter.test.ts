/**
 * What every HTTP adapter does around its handler (templates/runtime/server.ts, createAdapterServer), with a
 * handler of the test's own, built inside each test so that mutation testing measures the set-up code too:
 * cancellation when the client goes away, the access line's duration and upstream status, refusals after
 * the answer started, the problem body, Connection: close, open connections and readiness.
 * Assertions are about what a client got over loopback HTTP, what the handler saw, and what was logged.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { adapterDefaults, HttpProblem, registerUpstream, type AdapterConfig, type RequestContext } from '../templates/runtime/ops.js';
import { createAdapterServer, listen, stopOnSignals, type AdapterServerOptions } from '../templates/runtime/server.js';
import { closedPort } from './helpers/fake-upstream.js';
import { request } from './helpers/generated-project.js';
import { inTestServers } from './helpers/in-test-servers.js';

const { log, keep } = inTestServers();

type Handle = AdapterServerOptions['handle'];

/** An adapter server around `handle`, built in the running test and started on 127.0.0.1:0. */
async function serve(name: string, handle: Handle, more: Partial<AdapterServerOptions> = {}): Promise<string> {
  const server = createAdapterServer({ label: `test adapter ${name}`, name, handle, ...more });
  keep(server);
  await listen(`test adapter ${name}`, server, 0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function config(overrides: Partial<AdapterConfig> = {}): AdapterConfig {
  return { ...adapterDefaults(0, '127.0.0.1'), ...overrides };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The JSON log lines of `adapter` written since `from`, once `want` finds one (a batch goes out within 20 ms). */
async function logged(from: number, adapter: string, want: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const entries = log()
      .slice(from)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.adapter === adapter);
    if (entries.some(want)) return entries;
    await wait(10);
  }
  throw new Error(`no such log line in: ${log().slice(from)}`);
}

/** Sends a GET and goes away after `ms`, before the answer. */
function leave(base: string, path: string, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = http.get(`${base}${path}`, { agent: false }, () => undefined);
    req.on('error', () => resolve());
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

/** What a client gets when the server cuts the answer off: the error, or the body when it was complete. */
function cutOff(base: string, path: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(`complete: ${body}`));
      res.on('error', (e) => resolve(e.message));
      res.on('aborted', () => resolve('aborted'));
    });
    req.on('error', (e) => resolve(e.message));
  });
}

describe('the adapter server around a handler', () => {
  it('when the client goes away: cancels the call in the slot and those in the set, logs 499, and no error', async () => {
    const seen: string[] = [];
    const contexts: RequestContext[] = [];
    const base = await serve('gone', (_req, _res, ctx) => {
      contexts.push(ctx);
      if (_req.url === '/both') {
        ctx.cancel = () => seen.push('slot');
        ctx.cancels = new Set([() => seen.push('set 1'), () => seen.push('set 2')]);
      }
      // The call fails once it is cancelled, as an upstream call does: not a server error.
      return wait(150).then(() => Promise.reject(new Error('cancelled')));
    });
    const from = log().length;
    await leave(base, '/both', 40);
    await leave(base, '/none', 40);
    const entries = await logged(from, 'gone', (e) => e.route === '/none');
    expect(seen).toEqual(['slot', 'set 1', 'set 2']);
    expect(contexts.map((c) => c.gone)).toEqual([true, true]);
    expect(entries.filter((e) => 'status' in e).map((e) => [e.level, e.route, e.status])).toEqual([
      ['info', '/both', 499],
      ['info', '/none', 499],
    ]);
    await wait(200);
    expect(log().slice(from)).not.toContain('"level":"error"');
  });

  it('an answered request cancels nothing, and its access line has the time it took and the upstream status', async () => {
    const seen: string[] = [];
    const base = await serve('timed', (req, res, ctx) => {
      ctx.cancel = () => seen.push('slot');
      ctx.cancels = new Set([() => seen.push('set')]);
      ctx.route = req.url === '/zero' ? '/zero' : '/timed';
      if (req.url !== '/zero') ctx.upstream = 207;
      else ctx.upstream = 0;
      return wait(req.url === '/zero' ? 0 : 40).then(() => {
        res.writeHead(200, ['content-type', 'text/plain']).end('ok');
      });
    }, { config: config({ metrics: true }) });
    const from = log().length;
    const started = performance.now();
    expect((await request(base, 'GET', '/timed?a=1')).text).toBe('ok');
    const elapsed = performance.now() - started;
    expect((await request(base, 'GET', '/zero')).text).toBe('ok');
    const entries = (await logged(from, 'timed', (e) => e.route === '/zero')).filter((e) => 'status' in e);
    expect(entries.map((e) => [e.route, e.query, e.status, e.upstream])).toEqual([
      ['/timed', ['a'], 200, 207],
      ['/zero', undefined, 200, undefined],
    ]);
    // At least the 40 ms the handler waited, at most what the client waited, in milliseconds to a tenth.
    const ms = entries[0]!.ms as number;
    expect(ms).toBeGreaterThanOrEqual(38);
    expect(ms).toBeLessThanOrEqual(elapsed + 1);
    expect(Math.round(ms * 10) / 10).toBe(ms);
    expect(seen).toEqual([]);
    // The histogram counts seconds: the 40 ms answer is within 5 s, above 0.005 s.
    const metrics = (await request(base, 'GET', '/metrics')).text;
    const key = 'adapter="timed",method="GET",route="/timed"';
    expect(metrics).toContain(`http_request_duration_seconds_bucket{${key},le="0.005"} 0\n`);
    expect(metrics).toContain(`http_request_duration_seconds_bucket{${key},le="5"} 1\n`);
    expect(metrics).toContain('http_requests_in_flight{adapter="timed"} 1\n');
  });

  it('a failure after the answer started cuts the connection; before, it is answered with the adapter’s problem body', async () => {
    const from = log().length;
    const base = await serve(
      'cut',
      (req, res) => {
        if (req.url === '/conflict') throw new HttpProblem(409, 'conflict', 'Taken.');
        if (req.url === '/bug') return Promise.reject(new Error('a bug'));
        if (req.url === '/destroyed') {
          // A handler that dropped the answer itself: nothing more is sent, and it is not a server error.
          res.destroy();
          throw new Error('dropped on purpose');
        }
        res.writeHead(200, ['content-type', 'text/plain', 'content-length', '100']);
        res.write('partial');
        if (req.url === '/late-problem') throw new HttpProblem(409, 'conflict', 'Taken.');
        return wait(10).then(() => Promise.reject(new Error('late bug')));
      },
      { problemBody: (p) => ({ jsonrpc: '2.0', error: { code: p.status, message: p.message } }) },
    );
    for (const path of ['/late-problem', '/late-bug', '/destroyed']) expect(['aborted', 'socket hang up']).toContain(await cutOff(base, path));
    // A refusal keeps the connection (only a refused body, 413, closes it).
    const conflict = await request(base, 'GET', '/conflict', { headers: { connection: 'keep-alive' } });
    expect([conflict.status, conflict.headers.connection, conflict.json()]).toEqual([409, 'keep-alive', { jsonrpc: '2.0', error: { code: 409, message: 'Taken.' } }]);
    const bug = await request(base, 'GET', '/bug');
    expect([bug.status, bug.json()]).toEqual([500, { jsonrpc: '2.0', error: { code: 500, message: 'The server failed to handle the request.' } }]);
    const refused = await request(base, 'GET', '/x', { headers: { host: 'evil.example' } });
    expect([refused.status, refused.json()]).toEqual([403, { jsonrpc: '2.0', error: { code: 403, message: 'Refused: the host evil.example is not served here.' } }]);
    const errors = (await logged(from, 'cut', (e) => e.error === undefined && e.route === '/bug')).filter((e) => e.level === 'error');
    expect(errors.map((e) => String(e.error).split('\n')[0])).toEqual(['Error: late bug', 'Error: a bug']);
  });

  it('Connection: close from the client wins over the handler’s own keep-alive, in any header form', async () => {
    const base = await serve('closing', (req, res) => {
      if (req.url === '/object') res.writeHead(200, { Connection: 'keep-alive', 'X-Kept': 'yes' }).end('o');
      else if (req.url === '/message') res.writeHead(200, 'Fine', { CONNECTION: 'keep-alive', 'x-kept': 'yes' }).end('m');
      else if (req.url === '/array') res.writeHead(200, ['x-kept', 'yes', 'Connection', 'keep-alive']).end('a');
      else if (req.url === '/set') res.setHeader('Connection', 'keep-alive').setHeader('x-kept', 'yes').end('s');
      else res.end('plain');
    });
    for (const path of ['/object', '/message', '/array', '/set', '/plain']) {
      const closed = await request(base, 'GET', path, { headers: { connection: 'Close' } });
      expect([path, closed.status, closed.headers.connection, closed.headers['x-kept']]).toEqual([path, 200, 'close', path === '/plain' ? undefined : 'yes']);
    }
    expect((await request(base, 'GET', '/message', { headers: { connection: 'close' } })).text).toBe('m');
    // Only the token `close`: a longer word that contains it is not a request to close.
    for (const word of ['closed', 'enclose', 'keep-alive']) {
      const kept = await request(base, 'GET', '/object', { headers: { connection: word } });
      expect([word, kept.headers.connection]).toEqual([word, 'keep-alive']);
    }
    // On a raw connection: the server closes it after the answer.
    const port = Number(new URL(base).port);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /array HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve('still open');
      }, 2_000);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve(text);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });

  it('counts the open connections, down again when they close', async () => {
    const base = await serve('counted', (_req, res) => void res.end('ok'), { config: config({ metrics: true }) });
    for (let i = 0; i < 3; i++) await request(base, 'GET', '/');
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = (await request(base, 'GET', '/metrics')).text;
      if (text.includes('http_open_connections{adapter="counted"} 1\n')) break;
      await wait(10);
    }
    expect(text).toContain('http_open_connections{adapter="counted"} 1\n');
  });

  it('readiness checks the consumed APIs only when asked to, before the host guard', async () => {
    // (The check's answer is kept 5 s for the whole process: one unreachable API, checked once.)
    const handle: Handle = (_req, res) => void res.end('handler');
    const checked = await serve('ready', handle, { config: config({ readyUpstream: true }) });
    const plain = await serve('unchecked', handle);
    const probe = { headers: { host: 'probe.internal' } };
    registerUpstream('127.0.0.1', await closedPort());
    const down = await request(checked, 'GET', '/health/ready', probe);
    expect([down.status, down.json()]).toEqual([503, { status: 'upstream_unreachable' }]);
    expect((await request(plain, 'GET', '/health/ready', probe)).json()).toEqual({ status: 'ready' });
    expect((await request(plain, 'GET', '/health/live', probe)).json()).toEqual({ status: 'live' });
    expect((await request(plain, 'GET', '/health/other', probe)).status).toBe(403);
    expect((await request(plain, 'GET', '/health/other')).text).toBe('handler');
  });

  it('while draining: a request that arrives on a busy connection is answered not ready and closes it; an idle one is closed at once', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const base = adapterDefaults(0, '127.0.0.1');
    const server = createAdapterServer({
      label: 'test adapter drain',
      name: 'drain',
      handle: (req, res) => (req.url === '/slow' ? wait(150).then(() => void res.end('slow')) : void res.end('quick')),
      config: { ...base, limits: { ...base.limits, shutdownGraceMs: 3_000 } },
    });
    const running = [await listen('test adapter drain', server, 0, '127.0.0.1')];
    const port = (server.address() as AddressInfo).port;
    const cleanup = vi.fn();
    const before = process.listeners('SIGTERM');
    const beforeInt = process.listeners('SIGINT');
    stopOnSignals(running, cleanup);
    const added = { SIGTERM: process.listeners('SIGTERM').filter((l) => !before.includes(l)) };
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    /** A keep-alive connection: sends GET /slow, then `then` (if any) when told; what came back until the server closed it. */
    const exchange = (then?: string) => {
      let text = '';
      const socket = net.connect(port, '127.0.0.1', () => socket.write(get('/slow')));
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      const closed = new Promise<string>((resolve) => {
        const giveUp = setTimeout(() => {
          socket.destroy();
          resolve(`still open after 1.5 s: ${text}`);
        }, 1_500);
        socket.on('close', () => {
          clearTimeout(giveUp);
          resolve(text);
        });
      });
      return { later: () => then && socket.write(then), closed };
    };
    const busy = exchange(get('/health/ready'));
    const idle = exchange();
    await wait(40);
    try {
      for (const l of added.SIGTERM) (l as () => void)();
      await wait(20);
      busy.later();
      const [onBusy, onIdle] = await Promise.all([busy.closed, idle.closed]);
      // The request in flight is answered as usual; the one that came during the drain is told the server stops.
      expect(onBusy).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: keep-alive\r\n[\s\S]*slowHTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\{"status":"stopping"\}$/);
      expect(onBusy.split('\r\n\r\n')[1]).toMatch(/^slowHTTP/);
      expect(onBusy.slice(onBusy.indexOf('HTTP/1.1 503')).toLowerCase()).toContain('\r\nconnection: close\r\n');
      expect(onIdle).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*slow$/);
      for (let i = 0; i < 100 && cleanup.mock.calls.length === 0; i++) await wait(10);
      expect(cleanup).toHaveBeenCalledTimes(1);
    } finally {
      // The exit comes a second after the cleanup: wait for it while process.exit is still stubbed.
      for (let i = 0; i < 150 && exit.mock.calls.length === 0; i++) await wait(10);
      for (const l of added.SIGTERM) process.off('SIGTERM', l as () => void);
      for (const l of process.listeners('SIGINT').filter((l) => !beforeInt.includes(l))) process.off('SIGINT', l as () => void);
      process.exitCode = undefined;
    }
  });
});
