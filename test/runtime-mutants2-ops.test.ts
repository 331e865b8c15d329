/**
 * Tests written against the survivors of ops.ts (see test/mutation-survivors-runtime.md): Host headers
 * that hide a local name, bodies over the limit with and without a declared length, the readiness check of
 * several APIs, and the access log's lines and batches (stderr and the clock stubbed, fake timers).
 */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, hostGuard, jsonDepth, Logger, queryNames, readBodyBytes, readJsonBody, registerUpstream, tooLongArgument, upstreamsReachable } from '../templates/runtime/ops.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const request = (headers: Record<string, string>) => ({ headers }) as unknown as http.IncomingMessage;

/** What a promise has come to once the events already queued have run. */
async function state(p: Promise<unknown>): Promise<unknown> {
  return Promise.race([
    p.then(
      (v) => ({ resolved: v }),
      (e: { status?: number; message: string }) => ({ rejected: e.status ?? e.message }),
    ),
    new Promise((resolve) => setImmediate(() => resolve('pending'))),
  ]);
}

describe('the Host guard', () => {
  it('a local name inside a longer Host, or followed by more than a port, is refused', () => {
    const guard = hostGuard([], () => 3000);
    expect(guard(request({ host: 'localhost:3000' }))).toBeUndefined();
    expect(guard(request({ host: 'evil:localhost:3000' }))).toBe('the host evil:localhost:3000 is not served here');
    expect(guard(request({ host: 'localhost:3000x' }))).toBe('the host localhost:3000x is not served here');
  });

  it('an allowed host that is not a name and port matches only itself; an empty port is the default one', () => {
    const guard = hostGuard(['a:b', 'api.example.com:80'], () => 3000);
    expect(guard(request({ host: 'x:y' }))).toBe('the host x:y is not served here');
    expect(guard(request({ host: 'a:b' }))).toBeUndefined();
    expect(guard(request({ host: 'api.example.com:' }))).toBeUndefined();
  });
});

describe('request bodies', () => {
  const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 4, maxJsonDepth: 2 };

  it('a JSON content type with a space before its parameters is JSON', async () => {
    const req = Object.assign(Readable.from([Buffer.from('[{},{},{}]')]), { headers: { 'content-type': 'application/json ;charset=utf-8' } });
    await expect(readJsonBody(req as unknown as http.IncomingMessage, { ...limits, maxBodyBytes: 100 })).resolves.toEqual([{}, {}, {}]);
    expect(jsonDepth('[{},{},{}]')).toBe(2);
  });

  it('a body without a declared length is refused as soon as it passes the limit', async () => {
    const req = Object.assign(new EventEmitter(), { headers: {} });
    const body = readBodyBytes(req as unknown as http.IncomingMessage, limits);
    req.emit('data', Buffer.from('123456'));
    expect(await state(body)).toEqual({ rejected: 413 });
  });

  it('a declared length over the limit is read to its end, then refused', async () => {
    const req = Object.assign(new EventEmitter(), { headers: { 'content-length': '10' } });
    const body = readBodyBytes(req as unknown as http.IncomingMessage, limits);
    req.emit('data', Buffer.from('123456'));
    expect(await state(body)).toBe('pending');
    req.emit('data', Buffer.from('7890'));
    req.emit('end');
    expect(await state(body)).toEqual({ rejected: 413 });
  });

  it('an error of the request stream ends the read', async () => {
    const req = Object.assign(new EventEmitter(), { headers: {} });
    const body = readBodyBytes(req as unknown as http.IncomingMessage, limits);
    req.emit('error', new Error('reset'));
    expect(await state(body)).toEqual({ rejected: 'reset' });
  });

  it('only strings are measured in an array argument, not an array inside it', () => {
    expect(tooLongArgument({ a: [[1, 2, 3]] }, 2)).toBeUndefined();
    expect(tooLongArgument({ a: [[1, 2, 3]], b: ['xyz'] }, 2)).toBe('b');
  });

  it('a query name without a value, after one with a value', () => {
    expect(queryNames('/a?x=1&flag')).toEqual(['x', 'flag']);
  });
});

describe('readiness of several consumed APIs', () => {
  it('is false when one of them does not answer in time, whichever registered last', async () => {
    vi.spyOn(net, 'connect').mockImplementation(((options: { port: number }) => {
      const socket = Object.assign(new EventEmitter(), {
        destroy: () => socket,
        setTimeout: (_ms: number, onTimeout: () => void) => {
          if (options.port === 3) setImmediate(onTimeout);
          return socket;
        },
      });
      if (options.port === 2) setImmediate(() => socket.emit('connect'));
      return socket;
    }) as unknown as typeof net.connect);
    registerUpstream('api.test', 3);
    registerUpstream('api.test', 2);
    expect(await state(upstreamsReachable())).toEqual({ resolved: false });
  });
});

describe('log lines', () => {
  function capture(): string[] {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    return writes;
  }

  it('the time of a line is the clock’s, to the millisecond', () => {
    const writes = capture();
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 2, 3, 4, 5, 67));
    new Logger('rest', 'info').write('error', { message: 'x' });
    expect(JSON.parse(writes.join(''))).toEqual({ time: '2026-01-02T03:04:05.067Z', level: 'error', adapter: 'rest', message: 'x' });
  });

  it('access lines: the query names, no line under the logger’s level, a duration that is not a number is null', () => {
    const writes = capture();
    const info = new Logger('rest', 'info');
    info.access({ method: 'GET', route: '/a', query: ['q'], status: 200, ms: 1.5 });
    info.accessLine('GET', '/b', false, '', 200, Number.NaN, undefined);
    new Logger('rest', 'error').accessLine('GET', '/c', false, '', 200, 1, undefined);
    info.write('error', { message: 'flush' });
    const lines = writes.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ time: _t, ...rest }) => rest)).toEqual([
      { level: 'info', adapter: 'rest', method: 'GET', route: '/a', query: ['q'], status: 200, ms: 1.5 },
      { level: 'info', adapter: 'rest', method: 'GET', route: '/b', status: 200, ms: null },
      { level: 'error', adapter: 'rest', message: 'flush' },
    ]);
  });

  it('a batch goes out 20 ms after its first line; a line written after an error starts a batch of its own', () => {
    const writes = capture();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const logger = new Logger('rest', 'info');
    logger.write('info', { n: 1 });
    vi.advanceTimersByTime(10);
    logger.write('info', { n: 2 });
    vi.advanceTimersByTime(5);
    logger.write('error', { n: 3 });
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    logger.write('info', { n: 4 });
    vi.advanceTimersByTime(5);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(15);
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[1]!)).toMatchObject({ n: 4 });
  });
});
