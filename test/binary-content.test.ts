/**
 * The size cap of binary answers, as the model sets it (the wire is tested in e2e-beta-constructs.test.ts):
 * an operation's own `maxBinarySize` wins, else its adapter's, else the engine's 10MiB; adapters with
 * different caps over one operation share the smallest, with a finding. And a `binary: true` resource made by
 * steps that map their answers is told it serves text. Last, the generated client keeping the cap as it reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { ApiClient, type OperationDescriptor } from '../templates/runtime/upstream.js';
import { startFakeUpstream } from './helpers/fake-upstream.js';
import { lineOf } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const FILE = `${REPO}test/fixtures/ikanos/beta-catalog.yaml`;
const TEXT = readFileSync(FILE, 'utf8');

function caps(text: string): Record<string, number | undefined> {
  const r = validateText(FILE, text);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return Object.fromEntries(r.model!.consumes[0]!.operations.filter((o) => o.binary).map((o) => [o.name, o.binary!.maxBytes]));
}

describe('maxBinarySize: the operation, its adapter, the default', () => {
  it("the operation's own cap wins; without one, its adapters' (both 512B here); without any, 10MiB", () => {
    expect(caps(TEXT)).toEqual({ 'get-photo': 1024, 'get-thumb': 512 });
    expect(caps(TEXT.replaceAll('      maxBinarySize: 512B\n', ''))).toEqual({ 'get-photo': 1024, 'get-thumb': 10 * 1024 * 1024 });
    expect(caps(TEXT.replaceAll('maxBinarySize: 512B', 'maxBinarySize: 2GiB').replace('maxBinarySize: 1KiB', 'maxBinarySize: 1.5KiB'))).toEqual({
      'get-photo': 1536,
      'get-thumb': 2 * 1024 ** 3,
    });
  });

  it('adapters with different caps over one operation: the smallest for all, and a warning at the larger', () => {
    const text = TEXT.replace('      maxBinarySize: 512B\n', '      maxBinarySize: 2KiB\n');
    expect(caps(text)).toEqual({ 'get-photo': 1024, 'get-thumb': 512 });
    const found = validateText(FILE, text).findings.filter((f) => f.rule === 'binary-size-shared');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: lineOf(text, 'maxBinarySize: 2KiB') });
    expect(found[0]!.message).toContain('`catalog.get-thumb` are capped at 512B');
    expect(found[0]!.message).toContain('`catalog-rest` (2KiB)');
    // An adapter without a cap has the engine's 10MiB; catalog-personal, which does not call get-thumb, has no say.
    const defaulted = TEXT.replace('      maxBinarySize: 512B\n      resources:', '      resources:');
    expect(caps(defaulted)).toEqual({ 'get-photo': 1024, 'get-thumb': 512 });
    const [only] = validateText(FILE, defaulted).findings;
    expect(only).toMatchObject({ rule: 'binary-size-shared', line: lineOf(defaulted, 'maxBinarySize: 512B') });
    expect(only!.message).toContain('`catalog-shared` (512B) and `catalog-rest` (10MiB by default)');
  });
});

describe('binary: true on a resource made by steps', () => {
  it('is generated (no finding) without mappings; with mappings a warning says the mapped JSON goes out as text', () => {
    expect(validateText(FILE, TEXT).findings).toEqual([]);
    const mapped = TEXT.replace("                thumbId: '{{thumbId}}'\n        item:", "                thumbId: '{{thumbId}}'\n          mappings:\n            - target: size\n              value: $.fetch.size\n          outputParameters:\n            size:\n              type: number\n        item:");
    const found = validateText(FILE, mapped).findings;
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['binary-resource-mapped', 'warning']]);
    expect(found[0]!.line).toBe(lineOf(mapped, 'binary: true', lineOf(mapped, 'uri: catalog://thumbs/')));
  });
});

describe('the generated client reading a binary answer (templates/runtime/upstream.ts, in process)', () => {
  const op = (maxBytes: number): OperationDescriptor => ({ name: 'get-blob', method: 'GET', path: ['/blob'], query: [], headers: [], cookies: [], binary: { maxBytes } });

  it('refuses a 2xx answer past its cap, passes an error answer larger than the cap, and lets a cap above the general limit through', async () => {
    const upstream = await startFakeUpstream();
    const client = new ApiClient({ namespace: 'blobs', baseUri: upstream.url, timeoutMs: 10_000, maxResponseBytes: 2048 });
    try {
      upstream.reply({ body: Buffer.alloc(1025, 1) });
      await expect(client.send(op(1024), {})).rejects.toMatchObject({ kind: 'too-large', message: 'the binary answer is more than the 1024 bytes maxBinarySize allows' });
      upstream.reply({ body: Buffer.alloc(1024, 1) });
      const atCap = await client.send(op(1024), {});
      expect([atCap.binary, atCap.bytes!.length]).toEqual([true, 1024]);
      // The cap is for the content: an error page larger than it goes to the caller as the API's answer.
      upstream.reply({ status: 404, body: 'x'.repeat(1500) });
      expect((await client.send(op(1024), {})).status).toBe(404);
      // An operation may allow more than the client's general limit (2048 bytes here).
      upstream.reply({ body: Buffer.alloc(4096, 2) });
      expect((await client.send(op(8192), {})).bytes!.length).toBe(4096);
    } finally {
      client.close();
      await upstream.stop();
    }
  });
});
