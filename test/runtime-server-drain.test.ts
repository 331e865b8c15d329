/**
 * The graceful stop of the generated servers (stopOnSignals in templates/runtime/server.ts), in this
 * process: SIGTERM and SIGINT are emitted on `process` (not sent), and process.exit is stubbed.
 * Requests in flight finish with `Connection: close`, idle keep-alive connections are closed, new
 * connections are refused, and what takes longer than the grace period is cut off.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapterDefaults } from '../templates/runtime/ops.js';
import { createRestServer, type Route } from '../templates/runtime/rest.js';
import { listen, stopOnSignals, type Listening } from '../templates/runtime/server.js';

const slow = (ms: number): Route => ({
  method: 'GET',
  segments: ['slow'],
  inputs: [],
  handle: () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, json: { done: true } }), ms)),
});

const quick: Route = { method: 'GET', segments: ['quick'], inputs: [], handle: async () => ({ status: 200, json: { quick: true } }) };

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, path: string, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Emits `signal` to the handlers stopOnSignals adds, and removes the handlers it added for both signals. */
function withSignals(add: () => void): (signal: 'SIGINT' | 'SIGTERM') => void {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  add();
  const added = {
    SIGINT: process.listeners('SIGINT').filter((l) => !before.SIGINT.includes(l)),
    SIGTERM: process.listeners('SIGTERM').filter((l) => !before.SIGTERM.includes(l)),
  };
  return (signal) => {
    for (const l of added[signal]) (l as () => void)();
    for (const s of ['SIGINT', 'SIGTERM'] as const) for (const l of added[s]) process.off(s, l as () => void);
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('stopping on a signal', () => {
  it('lets requests in flight finish with Connection: close, closes idle connections, refuses new ones, then cleans up and exits 0', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => {
      stderr += String(t);
      return true;
    });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const config = { ...adapterDefaults(0, '127.0.0.1'), logLevel: 'silent' as const };
    const rest = createRestServer({ name: 'draining', routes: [slow(150), quick], config });
    const running: Listening[] = [await listen('REST adapter draining', rest, 0, '127.0.0.1')];
    // A server that is not an adapter (no drain of its own) is closed as it is.
    const other = http.createServer((_req, res) => res.end('other'));
    const closed = vi.fn(async () => undefined);
    running.push(await listen('other', other, 0, '127.0.0.1', closed));
    const port = (rest.address() as AddressInfo).port;
    const otherPort = (other.address() as AddressInfo).port;
    const cleanup = vi.fn();
    const emit = withSignals(() => stopOnSignals(running, cleanup));

    const agent = new http.Agent({ keepAlive: true });
    expect((await get(port, '/quick', agent)).connection).toBe('keep-alive');
    const idle = [...Object.values(agent.freeSockets)].flat()[0]!;
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    const inFlight = get(port, '/slow');
    await new Promise((r) => setTimeout(r, 30));
    emit('SIGTERM');
    expect(stderr).toContain('SIGTERM: finishing the requests in flight, then stopping\n');
    await idleClosed;
    await expect(get(port, '/quick')).rejects.toThrow(/ECONNREFUSED/);
    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: '{"done":true}' });
    for (let i = 0; i < 100 && cleanup.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(closed).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBe(0);
    await expect(get(otherPort, '/')).rejects.toThrow(/ECONNREFUSED/);
    // Whatever still holds the process open does not stop the exit, a second later.
    for (let i = 0; i < 150 && exit.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(exit).toHaveBeenCalledWith(0);
    agent.destroy();
  });

  it('cuts off what takes longer than the grace period', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t) => {
      stderr += String(t);
      return true;
    });
    vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const base = adapterDefaults(0, '127.0.0.1');
    const config = { ...base, logLevel: 'silent' as const, limits: { ...base.limits, shutdownGraceMs: 60 } };
    const rest = createRestServer({ name: 'cut', routes: [slow(2_000)], config });
    const running = [await listen('REST adapter cut', rest, 0, '127.0.0.1')];
    const cleanup = vi.fn();
    const emit = withSignals(() => stopOnSignals(running, cleanup));
    const port = (rest.address() as AddressInfo).port;
    const inFlight = get(port, '/slow').then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await new Promise((r) => setTimeout(r, 30));
    emit('SIGINT');
    expect(stderr).toContain('SIGINT: finishing the requests in flight, then stopping\n');
    expect(await inFlight).toBe('socket hang up');
    for (let i = 0; i < 100 && cleanup.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    // Cut off at the grace period: stopped while the handler was still working.
    expect(cleanup).toHaveBeenCalledTimes(1);
  });
});
