/**
 * `import openapi`'s guard in process (src/cli/import-command.ts): every imported capability is validated
 * before anything is written, and one that does not validate is left out with its findings, as a bug to
 * report. The importer writes valid capabilities, so to reach the guard the importer's result is spoiled
 * here (vi.mock wraps the real importOpenApi): what the command writes, skips, counts and says is checked.
 * StrykerJS runs this file for import-command.ts (MUTATION_TESTS=cli-commands).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runImportOpenApi } from '../src/cli/import-command.js';
import type { ImportResult } from '../src/import/import-openapi.js';
import { validateText } from '../src/validate/validate.js';
import { capture, tempFolders } from './helpers/capture.js';
import { REPO } from './helpers/shared.js';

const spoil = vi.hoisted(() => ({
  /** Changes the importer's result before the command sees it. */
  edit: undefined as undefined | ((r: ImportResult) => void),
  /** Imports as without --strict even when the command passes --strict (the relaxations stay in). */
  ignoreStrict: false,
}));

vi.mock('../src/import/import-openapi.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/import/import-openapi.js')>();
  return {
    ...actual,
    importOpenApi: (...args: Parameters<typeof actual.importOpenApi>) => {
      const [doc, options] = args;
      const result = actual.importOpenApi(doc, spoil.ignoreStrict ? { ...options, strict: false } : options);
      spoil.edit?.(result);
      return result;
    },
  };
});

afterEach(() => {
  spoil.edit = undefined;
  spoil.ignoreStrict = false;
});

const folder = tempFolders('mutation-cli2-import-');
const PETSTORE = `${REPO}test/fixtures/openapi/petstore-30.yaml`;
const TYPED = `${REPO}test/fixtures/openapi/typed-inputs.yaml`;

/** Adds two keys the schema does not know (two findings) to the capability with this file name. */
const unknownKeyIn = (fileName: string) => (r: ImportResult) => {
  const c = r.capabilities.find((x) => x.fileName === fileName)!;
  c.text = `${c.text}bogusTopLevelKey: 1\notherBogusKey: 2\n`;
};

describe('import openapi: a capability that does not validate', () => {
  it('is not written; the others are, and the summary counts its operations as skipped', async () => {
    const out = join(folder(), 'caps');
    spoil.edit = unknownKeyIn('petstore-store.yaml');
    const io = capture();
    expect(await runImportOpenApi(PETSTORE, { out }, io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['petstore-pets.yaml', 'petstore.yaml']);
    expect(io.stdout).toEqual([
      `${join(out, 'petstore-pets.yaml')}: the operations tagged pets, 8 operations`,
      `${join(out, 'petstore.yaml')}: the operations without a tag, 1 operation`,
      `2 capabilities written to ${out} from Petstore API 2.1.0: 9 operations, base URI https://eu.petstore.example.com/v2, authentication from bearerAuth; skipped 6 operations and 1 parameter (see the warnings); 5 warnings.`,
    ]);
    const warning = io.stderr.find((l) => l.includes('is not written'))!;
    const [head, ...findings] = warning.split('\n');
    expect(head).toBe('naftiko-gen: warning: the capability for the operations tagged store is not written: it does not validate (please report this):');
    // One finding a line (each followed by its hint lines).
    const firstLines = findings.filter((f) => !f.startsWith(' '));
    expect(firstLines).toHaveLength(2);
    expect(firstLines.every((f) => f.startsWith(`${join(out, 'petstore-store.yaml')}:`))).toBe(true);
    expect(firstLines[0]).toMatch(/ error [a-z-]+: .*bogusTopLevelKey/);
    expect(firstLines[1]).toMatch(/ error [a-z-]+: .*otherBogusKey/);
  });

  it('when none validates: its warnings, then one line saying nothing was written; exit 2', async () => {
    const out = join(folder(), 'caps');
    spoil.edit = (r) => {
      for (const c of r.capabilities) c.text += 'bogusTopLevelKey: 1\n';
    };
    const io = capture();
    expect(await runImportOpenApi(PETSTORE, { out, tag: ['store'] }, io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.at(-1)).toBe('naftiko-gen: no capability could be imported; nothing was written.');
    expect(io.stderr.slice(0, -1).every((l) => l.startsWith('naftiko-gen: warning: '))).toBe(true);
    expect(io.stderr.filter((l) => l.includes('the capability for the operations tagged store is not written'))).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('the import relaxations pass as warnings, but not under --strict, and no other warning passes', async () => {
    // Without --strict the form operation is imported with its relaxations (warnings): written.
    const relaxed = capture();
    const dir = folder();
    expect(await runImportOpenApi(TYPED, { out: join(dir, 'relaxed'), group: 'none' }, relaxed)).toBe(0);
    expect(relaxed.stdout.at(-1)).toMatch(/: 4 operations, .*; 0 warnings\.$/);
    // The same capability under --strict: its relaxations are errors there, so it is not written.
    spoil.ignoreStrict = true;
    const strict = capture();
    expect(await runImportOpenApi(TYPED, { out: join(dir, 'strict'), group: 'none', strict: true }, strict)).toBe(2);
    expect(strict.stderr.some((l) => / error relaxed-[a-z-]+: /.test(l))).toBe(true);
    expect(strict.stderr.at(-1)).toBe('naftiko-gen: no capability could be imported; nothing was written.');
    // A warning of another rule (a REST adapter's description) is a problem too.
    spoil.ignoreStrict = false;
    spoil.edit = (r) => {
      const c = r.capabilities[0]!;
      c.text = c.text.replace('      namespace: shop-rest\n', '      namespace: shop-rest\n      description: the REST adapter\n');
    };
    const described = capture();
    expect(await runImportOpenApi(TYPED, { out: join(dir, 'described'), group: 'none' }, described)).toBe(2);
    expect(described.stderr.some((l) => / warning relaxed-rest-description: /.test(l))).toBe(true);
  });
});

/** Two schemes in one requirement, and an operation with each import relaxation (a `$select` name, a form body, a maxLength). */
const TWO = `openapi: 3.0.3
info: {title: Two, version: "3"}
servers: [{url: "https://two.example/v1"}]
security: [{bearerAuth: [], keyAuth: []}]
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    keyAuth: {type: apiKey, in: header, name: X-Key}
paths:
  /notes:
    get:
      operationId: listNotes
      parameters:
        - {name: $select, in: query, schema: {type: string, maxLength: 20}}
      responses: {"200": {description: ok}}
    post:
      operationId: addNote
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {title: {type: string}}}
      responses: {"200": {description: ok}}
`;

describe('import openapi: what passes the guard', () => {
  it('a capability whose only findings are the three import relaxations is written; both schemes are named', async () => {
    const dir = folder({ 'two.yaml': TWO });
    const out = join(dir, 'out');
    const io = capture();
    expect(await runImportOpenApi(join(dir, 'two.yaml'), { out }, io)).toBe(0);
    expect(io.stdout).toEqual([
      `${join(out, 'two.yaml')}: the operations without a tag, 2 operations`,
      `1 capability written to ${out} from Two 3: 2 operations, base URI https://two.example/v1, authentication from bearerAuth + keyAuth; 0 warnings.`,
    ]);
    const file = join(out, 'two.yaml');
    const rules = new Set(validateText(file, readFileSync(file, 'utf8')).findings.map((f) => `${f.severity} ${f.rule}`));
    expect([...rules].sort()).toEqual(['warning relaxed-form-data', 'warning relaxed-input-constraints', 'warning relaxed-name-pattern']);
  });
});
