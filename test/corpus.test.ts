import { describe, expect, it } from 'vitest';
import { runBin, runCli } from './helpers/cli.js';
import { corpusFiles, describeWithShared } from './helpers/shared.js';

describeWithShared('the 94 published Qovery capabilities (../shared/corpus/qovery)', () => {
  const files = corpusFiles();

  it('are 94 files', () => {
    expect(files).toHaveLength(94);
  });

  it('are all valid, with warnings only, in one call', async () => {
    const r = await runCli('validate', '--format', 'json', ...files);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout) as Array<{ severity: string; rule: string; file: string }>;
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Every file relies on the REST description and mapping-only outputs; most also annotate consumed inputs.
    for (const file of files) {
      const rules = new Set(findings.filter((f) => f.file === file).map((f) => f.rule));
      expect(rules.has('relaxed-rest-description') && rules.has('relaxed-object-output-mapping'), file).toBe(true);
    }
    expect(new Set(findings.filter((f) => f.rule === 'relaxed-consumed-input-annotations').map((f) => f.file)).size).toBeGreaterThan(80);
  });

  it('all fail under --strict, each with relaxation errors only', async () => {
    const r = await runCli('validate', '--strict', '--format', 'json', ...files);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as Array<{ severity: string; rule: string; file: string }>;
    expect(new Set(findings.map((f) => f.file)).size).toBe(94);
    expect(findings.every((f) => f.severity === 'error' && f.rule.startsWith('relaxed-'))).toBe(true);
  });

  it('give the same findings through the installed bin with files spread over worker threads', async () => {
    const inProcess = await runCli('validate', '--format', 'json', ...files);
    const bin = runBin(['validate', '--format', 'json', ...files], undefined, { NAFTIKO_GEN_WORKERS: '2' });
    expect(bin.code).toBe(0);
    expect(bin.stdout.trim()).toBe(inProcess.stdout.trim());
  });

  describe.each(files.map((f) => [f.split('/').pop()!, f]))('%s', (_name, file) => {
    it('fails alone under --strict (exit 1)', async () => {
      expect((await runCli('validate', '--strict', '-q', file)).code).toBe(1);
    });
  });
});
