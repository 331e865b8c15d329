/**
 * Tests written against the survivors of body.ts (see test/mutation-survivors-runtime.md): a multipart
 * boundary is random, so a value that holds it never happens by chance; here the random bytes are
 * scripted, so that the first boundary drawn is in a value and the body must use the next one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const draws = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  // First draw all zero bytes, then all 0x11.
  return { ...crypto, randomBytes: (n: number) => Buffer.alloc(n, draws.count++ === 0 ? 0x00 : 0x11) };
});

const { fileBody, renderBody } = await import('../templates/runtime/body.js');

const FIRST = `naftiko-${'00'.repeat(12)}`;
const SECOND = `naftiko-${'11'.repeat(12)}`;

beforeEach(() => {
  draws.count = 0;
});

describe('a multipart boundary is never inside a value', () => {
  it('a written multipart body draws another boundary when one of its values holds the first', () => {
    const body = renderBody({ kind: 'multipart', parts: [{ name: 'a', pieces: ['plain'] }, { name: 'b', pieces: [{ arg: 'v', escape: 'none' }] }] }, { v: `x--${FIRST}y` });
    expect(body.contentType).toBe(`multipart/form-data; boundary=${SECOND}`);
    expect(body.payload.split(`--${SECOND}`)).toHaveLength(4);
  });

  it('an upload beside fields too', () => {
    const body = fileBody({ kind: 'multipart-args', fields: [{ name: 'note', arg: 'n' }, { name: 'f', arg: 'f', file: true }] }, { n: 'hello', f: Buffer.from(`--${FIRST}`).toString('base64') })!;
    expect(body.contentType).toBe(`multipart/form-data; boundary=${SECOND}`);
    expect(body.payload.toString('utf8').split(`--${SECOND}`)).toHaveLength(4);
  });
});
