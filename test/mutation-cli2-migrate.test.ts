/**
 * `migrate` in process, second pass (src/cli/migrate-command.ts): a file whose migration would not
 * validate lists its errors only, not its warnings, and is not written.
 * StrykerJS runs this file for migrate-command.ts (MUTATION_TESTS=cli-commands).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMigrate } from '../src/cli/migrate-command.js';
import { capture, tempFolders } from './helpers/capture.js';
import { REPO } from './helpers/shared.js';

const folder = tempFolders('mutation-cli2-migrate-');
/** An error (a call to no operation) and a warning (a REST adapter's description). */
const BROKEN_DESCRIBED = readFileSync(`${REPO}test/fixtures/broken/call-missing.yaml`, 'utf8').replace('      namespace: weather-rest\n', '      namespace: weather-rest\n      description: Stations over REST.\n');

describe('migrate: a file that would not validate', () => {
  it('lists its errors, not its warnings, and is left as it is', async () => {
    const dir = folder({ 'b.yaml': BROKEN_DESCRIBED });
    const file = join(dir, 'b.yaml');
    const io = capture();
    expect(await runMigrate([file], { write: true }, io)).toBe(1);
    expect(io.stderr).toEqual([
      `${file}: error migrate-invalid: the file migrated to ikanos 1.0.0-beta5 would not validate; nothing written:`,
      expect.stringMatching(new RegExp(`^  ${file}:\\d+:\\d+: error call-target-missing: `)),
      '1 file checked: 0 migrated to ikanos 1.0.0-beta5, 1 left as they are.',
    ]);
    expect(io.stdout).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(BROKEN_DESCRIBED);
  });
});
