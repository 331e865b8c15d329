/**
 * `validate` in process, third pass (src/cli/validate-command.ts): what it prints, line by line, for
 * files without findings (no empty lines in text; `[]` in JSON, the bytes JSON.stringify gives), a
 * file between two with findings, and the default strictness (relaxations are warnings unless
 * --strict). Survivors of a Stryker run of part `cli` (MUTATION_TESTS=cli).
 */
import { describe, expect, it } from 'vitest';
import { runValidate } from '../src/cli/validate-command.js';
import { capture, tempFolders } from './helpers/capture.js';
import { WEATHER, weatherWith } from './helpers/fixtures.js';

const folder = tempFolders('mutation-cli3-validate-');
/** The weather capability with one warning: a REST adapter's description (relaxed-rest-description). */
const DESCRIBED = weatherWith(['      namespace: weather-rest\n', '      namespace: weather-rest\n      description: Stations over REST.\n']);

describe('validate: files without findings print nothing of their own', () => {
  it('text: only the summary line, no empty line for a clean file', async () => {
    const dir = folder({ 'clean.yaml': WEATHER });
    const io = capture();
    expect(await runValidate([`${dir}/clean.yaml`], { format: 'text' }, io)).toBe(0);
    expect(io.stdout).toEqual(['1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings.']);
    expect(io.stderr).toEqual([]);
  });

  it('json: a clean file gives `[]`, exactly; clean files between others add nothing', async () => {
    const dir = folder({ 'clean.yaml': WEATHER, 'warned.yaml': DESCRIBED, 'clean2.yaml': WEATHER, 'warned2.yaml': DESCRIBED });
    const clean = capture();
    expect(await runValidate([`${dir}/clean.yaml`], { format: 'json' }, clean)).toBe(0);
    expect(clean.stdout).toEqual(['[]']);

    const mixed = capture();
    const files = ['clean.yaml', 'warned.yaml', 'clean2.yaml', 'warned2.yaml'].map((f) => `${dir}/${f}`);
    expect(await runValidate(files, { format: 'json' }, mixed)).toBe(0);
    const all = JSON.parse(mixed.text()) as Array<{ file: string; rule: string }>;
    expect(all.map((f) => [f.file, f.rule])).toEqual([
      [`${dir}/warned.yaml`, 'relaxed-rest-description'],
      [`${dir}/warned2.yaml`, 'relaxed-rest-description'],
    ]);
    // The same bytes as the whole list printed at once.
    expect(mixed.text()).toBe(JSON.stringify(all, null, 2));
  });
});

describe('validate: strictness', () => {
  it('without --strict a relaxation is a warning (exit 0); with it, an error (exit 1)', async () => {
    const dir = folder({ 'warned.yaml': DESCRIBED });
    const lax = capture();
    expect(await runValidate([`${dir}/warned.yaml`], { format: 'text' }, lax)).toBe(0);
    expect(lax.stdout.at(-1)).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 1 warning.');
    expect(lax.stdout[0]).toMatch(/: warning relaxed-rest-description: /);
    const strict = capture();
    expect(await runValidate([`${dir}/warned.yaml`], { format: 'text', strict: true }, strict)).toBe(1);
    expect(strict.stdout[0]).toMatch(/: error relaxed-rest-description: /);
  });
});
