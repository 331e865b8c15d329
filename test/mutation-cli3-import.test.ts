/**
 * `import openapi` in process, third pass (src/cli/import-command.ts): with no --out it writes into
 * `capabilities/` under the current folder, which these tests must not write (it is the repository), so
 * node:fs/promises is replaced by a recorder; and an importer message that ends with a full stop is
 * printed with one, not two (reached by making loadOpenApi throw such a message). Survivors of a
 * Stryker run of part `cli-commands` (MUTATION_TESTS=cli-commands).
 */
import { describe, expect, it, vi } from 'vitest';

const calls: Array<[string, string]> = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const mkdir = ((path: string) => {
    calls.push(['mkdir', path]);
    return Promise.resolve(undefined);
  }) as typeof real.mkdir;
  const writeFile = ((path: string) => {
    calls.push(['writeFile', path]);
    return Promise.resolve();
  }) as typeof real.writeFile;
  return { ...real, default: { ...real, mkdir, writeFile }, mkdir, writeFile };
});

vi.mock('../src/import/load-openapi.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/import/load-openapi.js')>();
  return {
    ...real,
    loadOpenApi: (file: string) => (file === 'ends-with-a-stop.yaml' ? Promise.reject(new real.ImportError('the document is odd.')) : real.loadOpenApi(file)),
  };
});

const { runImportOpenApi } = await import('../src/cli/import-command.js');
const { capture } = await import('./helpers/capture.js');

describe('import openapi', () => {
  it('with no --out writes into capabilities/ (recorded, not written)', async () => {
    const io = capture();
    expect(await runImportOpenApi('test/fixtures/openapi/auth-apikey-query.yaml', {}, io)).toBe(0);
    expect(calls).toEqual([
      ['mkdir', 'capabilities'],
      ['writeFile', 'capabilities/auth-apikey-query-widgets.yaml'],
    ]);
    expect(io.stdout.at(-1)).toMatch(/^1 capability written to capabilities from /);
  });

  it("an importer message that ends with a full stop is printed with one, not two", async () => {
    const io = capture();
    expect(await runImportOpenApi('ends-with-a-stop.yaml', {}, io)).toBe(2);
    expect(io.stderr).toEqual(['naftiko-gen: the document is odd.']);
  });
});
