/**
 * The upstream client's deadlines (templates/runtime/upstream.ts): one timer per client watches every call
 * in flight instead of a timer per call. Each call must still get its whole timeout, counted from its own
 * start, whatever the calls before it did (answered, timed out, or left nothing in flight); and the
 * request each call made must be torn down. Only lower bounds of elapsed time are asserted: a call never
 * times out early (a loaded machine can only make it late).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, UpstreamError, type OperationDescriptor } from '../templates/runtime/upstream.js';
import { type FakeUpstream, startFakeUpstream } from './helpers/fake-upstream.js';

let upstream: FakeUpstream;
let client: ApiClient;
const TIMEOUT_MS = 150;

const op = (path: string): OperationDescriptor => ({ name: path, method: 'GET', path: [path], query: [], headers: [], cookies: [] });

/** Sends one call; resolves with what it settled with and how long it took. */
async function timed(path: string): Promise<{ outcome: unknown; ms: number }> {
  const start = performance.now();
  const outcome = await client.send(op(path), {}).then(
    (r) => r.status,
    (e: unknown) => e,
  );
  return { outcome, ms: performance.now() - start };
}

const timedOut = new UpstreamError('timeout', `the upstream did not answer within ${TIMEOUT_MS} ms`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  upstream = await startFakeUpstream();
  // `/slow` answers long after any deadline; the rest at once.
  upstream.reply((r) => (r.path === '/slow' ? { status: 200, body: 'late', delayMs: 5_000 } : { status: 200, body: 'ok' }));
  client = new ApiClient({ namespace: 'api', baseUri: upstream.url, timeoutMs: TIMEOUT_MS });
});

afterAll(async () => {
  client.close();
  await upstream.stop();
});

describe('deadlines of the calls in flight', () => {
  it('gives each call its own whole timeout, after answered and timed-out calls before it', async () => {
    // A answers at once (its deadline leaves the list), B starts later, then C later still: the
    // shared timer, set for A, must wait for B's own deadline and then for C's.
    const a = await timed('/fast');
    expect(a.outcome).toBe(200);
    const b = timed('/slow');
    await sleep(60);
    const c = timed('/slow');
    await sleep(20);
    const d = timed('/fast');
    const [rb, rc, rd] = await Promise.all([b, c, d]);
    expect(rd.outcome).toBe(200);
    expect(rb.outcome).toEqual(timedOut);
    expect(rc.outcome).toEqual(timedOut);
    // Never early: each counted from its own start (C started 60 ms after B).
    expect(rb.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(rc.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    // The upstream saw each timed-out request go away (the request was destroyed, not left open).
    await expect.poll(() => upstream.requests.filter((r) => r.path === '/slow' && r.aborted).length).toBe(2);
  });

  it('times out a call that starts when nothing is in flight, after the timer went quiet', async () => {
    await sleep(TIMEOUT_MS + 50);
    const e = await timed('/slow');
    expect(e.outcome).toEqual(timedOut);
    expect(e.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    // Many calls at once, all timed out, none early.
    const many = await Promise.all(Array.from({ length: 20 }, () => timed('/slow')));
    for (const m of many) {
      expect(m.outcome).toEqual(timedOut);
      expect(m.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    }
  });
});
