/**
 * `init`, `import openapi`, `migrate` and `build --watch` in process (src/cli/*-command.ts): exit
 * codes, the files written (or left alone) and every message, in temporary folders, so that StrykerJS
 * can run this file against each mutant of src/cli (MUTATION_TESTS=cli-commands).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImportOpenApi } from '../src/cli/import-command.js';
import { runInit, type InitCommandOptions } from '../src/cli/init-command.js';
import { runMigrate } from '../src/cli/migrate-command.js';
import { runWatch, startWatch } from '../src/cli/watch-command.js';
import { validateText } from '../src/validate/validate.js';
import { capture, printed, tempFolders } from './helpers/capture.js';
import { WEATHER, weatherWith } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const folder = tempFolders('mutation-cli-commands-');
const PETSTORE = `${REPO}test/fixtures/openapi/petstore-30.yaml`;
const TYPED = `${REPO}test/fixtures/openapi/typed-inputs.yaml`;
const BROKEN = readFileSync(`${REPO}test/fixtures/broken/call-missing.yaml`, 'utf8');
const INIT: InitCommandOptions = { baseUri: 'https://api.example.com', auth: 'bearer', adapters: 'rest,mcp' };

describe('init', () => {
  it('writes a capability valid under --strict and its schema beside it; refuses to replace it without --force', async () => {
    const dir = folder();
    const out = join(dir, 'caps');
    const io = capture();
    expect(await runInit('demo', { ...INIT, out, baseUri: 'https://demo.example/v1' }, io)).toBe(0);
    const file = join(out, 'demo.yaml');
    const schema = join(out, 'ikanos-1.0.0-beta5.schema.json');
    expect(io.stdout).toEqual([
      `${file}: a new capability (and ${schema}, the JSON Schema editors check it with). Next: edit it, then`,
      `  naftiko-gen validate ${file}`,
      `  naftiko-gen build ${file}`,
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/ikanos-1\.0\.0-beta5\.schema\.json\n/);
    expect(text).toContain('baseUri: https://demo.example/v1');
    expect(text).toContain('type: bearer');
    expect(text).toMatch(/type: rest[\s\S]*type: mcp/);
    expect(validateText(file, text, { strict: true }).findings).toEqual([]);
    expect(JSON.parse(readFileSync(schema, 'utf8')).$schema).toMatch(/json-schema/);

    // Again: refused, nothing changed; with --force replaced, and the schema file there already is left alone.
    writeFileSync(schema, 'mine');
    const refused = capture();
    expect(await runInit('demo', { ...INIT, out, auth: 'none' }, refused)).toBe(2);
    expect(refused.stderr).toEqual([`naftiko-gen: ${file} already exists; choose another name or --out, or pass --force to replace it.`]);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const forced = capture();
    expect(await runInit('demo', { ...INIT, out, auth: 'basic', adapters: ' mcp ,', force: true }, forced)).toBe(0);
    expect(forced.stdout[0]).toBe(`${file}: a new capability. Next: edit it, then`);
    expect(readFileSync(schema, 'utf8')).toBe('mine');
    const replaced = readFileSync(file, 'utf8');
    expect(replaced).toContain('type: basic');
    expect(replaced).not.toContain('type: rest');
    expect(replaced).toContain('type: mcp');
  });

  it('writes the version asked for; refuses a bad adapter list, version or name with exit 2', async () => {
    const dir = folder();
    const io = capture();
    expect(await runInit('old', { ...INIT, out: dir, adapters: 'rest', specVersion: 'naftiko:1.0.0-alpha2' }, io)).toBe(0);
    expect(readFileSync(join(dir, 'old.yaml'), 'utf8')).toMatch(/^naftiko: 1\.0\.0-alpha2$/m);
    expect(existsSync(join(dir, 'naftiko-1.0.0-alpha2.schema.json'))).toBe(true);

    const cases: Array<[string, Partial<InitCommandOptions>, RegExp]> = [
      ['a', { adapters: 'rest,grpc,soap' }, /^naftiko-gen: --adapters takes rest, mcp or rest,mcp, not grpc, soap\.$/],
      ['b', { specVersion: '9.9.9' }, /^naftiko-gen: --spec-version 9\.9\.9 is not a version naftiko-gen writes; supported: .*1\.0\.0-beta5/],
      ['c', { specVersion: 'naftiko:1.0.0-alpha1' }, /^naftiko-gen: --spec-version naftiko:1\.0\.0-alpha1 is not a version/],
      ['Bad_Name', {}, /^naftiko-gen: .*Bad_Name.*\.$/],
      ['d', { baseUri: 'not a uri' }, /^naftiko-gen: .*not a uri.*\.$/],
    ];
    for (const [name, options, message] of cases) {
      const refused = capture();
      expect(await runInit(name, { ...INIT, out: join(dir, 'x'), ...options }, refused), name).toBe(2);
      expect(refused.stderr).toHaveLength(1);
      expect(refused.stderr[0]).toMatch(message);
      expect(refused.stdout).toEqual([]);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

describe('import openapi', () => {
  it('writes one capability per tag, each valid, and sums up what it did; refuses to overwrite without --force', async () => {
    const dir = folder();
    const out = join(dir, 'caps');
    const io = capture();
    expect(await runImportOpenApi(PETSTORE, { out }, io)).toBe(0);
    expect(io.stdout).toEqual([
      `${join(out, 'petstore-pets.yaml')}: the operations tagged pets, 8 operations`,
      `${join(out, 'petstore-store.yaml')}: the operations tagged store, 3 operations`,
      `${join(out, 'petstore.yaml')}: the operations without a tag, 1 operation`,
      `3 capabilities written to ${out} from Petstore API 2.1.0: 12 operations, base URI https://eu.petstore.example.com/v2, authentication from bearerAuth; skipped 3 operations and 1 parameter (see the warnings); 4 warnings.`,
    ]);
    expect(io.stderr.filter((l) => l.startsWith('naftiko-gen: warning: '))).toHaveLength(4);
    expect(io.stderr.filter((l) => l.startsWith('naftiko-gen: note: ')).length).toBeGreaterThan(0);
    expect(io.stderr.every((l) => /^naftiko-gen: (warning|note): /.test(l))).toBe(true);
    for (const f of readdirSync(out)) {
      const findings = validateText(f, readFileSync(join(out, f), 'utf8')).findings;
      expect(findings.filter((x) => x.severity === 'error')).toEqual([]);
    }

    const before = readFileSync(join(out, 'petstore.yaml'), 'utf8');
    writeFileSync(join(out, 'petstore.yaml'), 'mine');
    const refused = capture();
    expect(await runImportOpenApi(PETSTORE, { out }, refused)).toBe(2);
    expect(refused.stderr).toEqual([
      `naftiko-gen: 3 files already exist: ${join(out, 'petstore-pets.yaml')}, ${join(out, 'petstore-store.yaml')}, ${join(out, 'petstore.yaml')}`,
      'Nothing was written. Choose another --out, or pass --force to replace them.',
    ]);
    expect(refused.stdout).toEqual([]);
    expect(readFileSync(join(out, 'petstore.yaml'), 'utf8')).toBe('mine');
    // One file in the way is named in the singular.
    const one = capture();
    expect(await runImportOpenApi(PETSTORE, { out, tag: ['store'] }, one)).toBe(2);
    expect(one.stderr[0]).toBe(`naftiko-gen: 1 file already exists: ${join(out, 'petstore-store.yaml')}`);
    const forced = capture();
    expect(await runImportOpenApi(PETSTORE, { out, force: true }, forced)).toBe(0);
    expect(readFileSync(join(out, 'petstore.yaml'), 'utf8')).toBe(before);
  });

  it('--group none, --base-uri, --strict and --spec-version; one skipped operation in the singular', async () => {
    const dir = folder();
    const io = capture();
    expect(await runImportOpenApi(TYPED, { out: dir, group: 'none', baseUri: 'https://x.example', strict: true, specVersion: 'naftiko:1.0.0-alpha2' }, io)).toBe(0);
    expect(io.stdout).toEqual([
      `${join(dir, 'shop.yaml')}: all its operations, 3 operations`,
      `1 capability written to ${dir} from Shop 1: 3 operations, base URI https://x.example, no authentication; skipped 1 operation (see the warnings); 1 warning.`,
    ]);
    const text = readFileSync(join(dir, 'shop.yaml'), 'utf8');
    expect(text).toMatch(/^naftiko: 1\.0\.0-alpha2$/m);
    expect(text).toContain('baseUri: https://x.example');
    expect(validateText('shop.yaml', text, { strict: true }).findings).toEqual([]);
    // Without --strict the form operation is imported, with its relaxations as warnings.
    const relaxed = capture();
    expect(await runImportOpenApi(TYPED, { out: join(dir, 'relaxed'), group: 'none' }, relaxed)).toBe(0);
    expect(relaxed.stdout.at(-1)).toMatch(/^1 capability written to .* 4 operations, base URI .*; 0 warnings\.$/);
    expect(validateText('shop.yaml', readFileSync(join(dir, 'relaxed', 'shop.yaml'), 'utf8'), { strict: true }).findings.length).toBeGreaterThan(0);
  });

  it('refuses what it cannot import with exit 2 and one message, writing nothing', async () => {
    const dir = folder({ 'head.yaml': 'openapi: 3.0.0\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    head:\n      responses: {"200": {description: ok}}\n', 'plain': 'x' });
    const out = join(dir, 'out');
    const cases: Array<[string, Parameters<typeof runImportOpenApi>[1], RegExp]> = [
      [PETSTORE, { out, group: 'verb' }, /^naftiko-gen: --group must be one of tag, path, none \(got `verb`\)\.$/],
      [PETSTORE, { out, specVersion: '0.1' }, /^naftiko-gen: --spec-version 0\.1 is not a version naftiko-gen writes; supported: /],
      [PETSTORE, { out, tag: ['nope'] }, /^naftiko-gen: .*petstore-30\.yaml has no tag `nope`; the tags with operations are: pets, store\.$/],
      [join(dir, 'head.yaml'), { out }, /^naftiko-gen: .*head\.yaml has no operation that can be imported: HEAD \/a: .*skipped\.$/],
      [join(dir, 'nope.yaml'), { out }, /^naftiko-gen: .*nope\.yaml.*[^.]\.$/],
    ];
    for (const [file, options, message] of cases) {
      const io = capture();
      expect(await runImportOpenApi(file, options, io), String(options)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
      expect(io.stdout).toEqual([]);
    }
    expect(existsSync(out)).toBe(false);
    // An output folder that cannot be made.
    const io = capture();
    expect(await runImportOpenApi(PETSTORE, { out: join(dir, 'plain', 'sub'), tag: ['store'] }, io)).toBe(2);
    expect(io.stderr.at(-1)).toMatch(new RegExp(`^naftiko-gen: cannot write to ${join(dir, 'plain', 'sub')}: `));
  });

  it('a document without a version or a server: --base-uri gives the address, and the summary names no version', async () => {
    const dir = folder({ 'bare.yaml': 'openapi: 3.0.0\ninfo: {title: T, version: ""}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {"200": {description: ok}}\n' });
    const refused = capture();
    expect(await runImportOpenApi(join(dir, 'bare.yaml'), { out: join(dir, 'out') }, refused)).toBe(2);
    expect(refused.stderr).toEqual([`naftiko-gen: ${join(dir, 'bare.yaml')} declares no server URL, so the API's address is unknown; pass --base-uri https://api.example.com.`]);
    const io = capture();
    expect(await runImportOpenApi(join(dir, 'bare.yaml'), { out: join(dir, 'out'), baseUri: 'https://a.example' }, io)).toBe(0);
    expect(io.stdout).toEqual([`${join(dir, 'out', 't.yaml')}: the operations without a tag, 1 operation`, `1 capability written to ${join(dir, 'out')} from T: 1 operation, base URI https://a.example, no authentication; 0 warnings.`]);
    expect(io.stderr).toEqual([]);
  });

  it('--group path and --tag by slug select what is imported', async () => {
    const dir = folder();
    const io = capture();
    expect(await runImportOpenApi(PETSTORE, { out: dir, group: 'path' }, io)).toBe(0);
    expect(io.stdout.slice(0, 3)).toEqual([
      `${join(dir, 'petstore-pets.yaml')}: the operations under /pets, 8 operations`,
      `${join(dir, 'petstore-store.yaml')}: the operations under /store, 3 operations`,
      `${join(dir, 'petstore-health.yaml')}: the operations under /health, 1 operation`,
    ]);
    const tagged = capture();
    expect(await runImportOpenApi(PETSTORE, { out: join(dir, 'tagged'), tag: ['Pets'] }, tagged)).toBe(0);
    expect(tagged.stdout.at(-1)).toMatch(/^1 capability written to .*: 8 operations, .*; skipped 2 operations and 1 parameter \(see the warnings\); 3 warnings\.$/);
    expect(readdirSync(join(dir, 'tagged'))).toEqual(['petstore-pets.yaml']);
  });
});

describe('migrate', () => {
  it('prints the diff to the newest version by default and writes nothing; --write writes; a file at the target is left alone', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const file = join(dir, 'w.yaml');
    const io = capture();
    expect(await runMigrate([file], {}, io)).toBe(0);
    expect(io.stdout.slice(0, 4)).toEqual([`--- a/${file}`, `+++ b/${file}`, '@@ -1,6 +1,6 @@', '-naftiko: 1.0.0-alpha2']);
    expect(io.stdout).toContain('+ikanos: 1.0.0-beta5');
    // The whole diff, not cut at the 40 lines of build --check.
    expect(io.stdout.length).toBeGreaterThan(60);
    expect(io.stdout.some((l) => l.startsWith('... '))).toBe(false);
    expect(io.stderr).toEqual(['1 file checked: 1 would change to ikanos 1.0.0-beta5, 0 left as they are.']);
    expect(readFileSync(file, 'utf8')).toBe(WEATHER);

    const written = capture();
    expect(await runMigrate([file], { to: 'naftiko:1.0.0-alpha3', write: true }, written)).toBe(0);
    expect(written.stdout).toEqual([]);
    expect(written.stderr).toEqual(['1 file checked: 1 migrated to naftiko 1.0.0-alpha3, 0 left as they are.']);
    const migrated = readFileSync(file, 'utf8');
    expect(migrated).toMatch(/^naftiko: 1\.0\.0-alpha3$/m);
    expect(validateText(file, migrated).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const again = capture();
    expect(await runMigrate([file], { to: 'naftiko:1.0.0-alpha3', write: true }, again)).toBe(0);
    expect(again.stderr).toEqual(['1 file checked: 0 migrated to naftiko 1.0.0-alpha3, 1 left as they are.']);
    expect(readFileSync(file, 'utf8')).toBe(migrated);
  });

  it('reports each file that cannot be migrated, and exits with the worst code', async () => {
    const dir = folder({ 'a.yaml': WEATHER, 'b.yaml': BROKEN, 'n.yaml': 'a: 1\n', 'y.yaml': 'naftiko: 1.0.0-alpha2\ninfo: [\n' });
    const io = capture();
    const files = ['a.yaml', 'b.yaml', 'n.yaml', 'y.yaml'].map((f) => join(dir, f));
    expect(await runMigrate(files, { write: true }, io)).toBe(1);
    expect(io.stderr[0]).toBe(`${files[1]}: error migrate-invalid: the file migrated to ikanos 1.0.0-beta5 would not validate; nothing written:`);
    expect(io.stderr[1]).toMatch(new RegExp(`^  ${files[1]}:\\d+:\\d+: error call-target-missing: `));
    expect(io.stderr.slice(2)).toEqual([
      `${files[2]}: note: not a capability (no version, none of its keys): left as it is.`,
      expect.stringMatching(new RegExp(`^${files[3]}: error migrate-refused: cannot migrate: the YAML does not parse .*\\.$`)),
      '4 files checked: 1 migrated to ikanos 1.0.0-beta5, 3 left as they are.',
    ]);
    expect(readFileSync(files[1]!, 'utf8')).toBe(BROKEN);
    expect(readFileSync(files[0]!, 'utf8')).toMatch(/^ikanos: 1\.0\.0-beta5$/m);

    const missing = capture();
    expect(await runMigrate([join(dir, 'n.yaml'), join(dir, 'nope.yaml')], {}, missing)).toBe(2);
    expect(missing.stderr[1]).toBe(`${join(dir, 'nope.yaml')}: error file-unreadable: cannot read the capability (no such file).`);
    expect(missing.stderr.at(-1)).toBe('2 files checked: 0 would change to ikanos 1.0.0-beta5, 2 left as they are.');
    const worst = capture();
    expect(await runMigrate([join(dir, 'nope.yaml'), join(dir, 'y.yaml')], {}, worst)).toBe(2);

    const usage = capture();
    expect(await runMigrate([join(dir, 'a.yaml')], { to: '9.9' }, usage)).toBe(2);
    expect(usage.stderr).toEqual([expect.stringMatching(/^naftiko-gen: --to 9\.9 is not a version naftiko-gen writes; supported: `naftiko:` 1\.0\.0-alpha1, .*1\.0\.0-beta5\.$/)]);
    const glob = capture();
    expect(await runMigrate([join(dir, '*.yml')], {}, glob)).toBe(2);
    expect(glob.stderr).toEqual([`naftiko-gen: no capability file matches ${join(dir, '*.yml')}.`]);
  });

  it('prints what it rewrote and kept; --strict rewrites more, so that the file validates under --strict', async () => {
    const annotated = weatherWith(['                - name: country\n                  in: query\n', '                - name: country\n                  in: query\n                  type: string\n                  description: ISO code of the country.\n'], ['      namespace: weather-rest\n', '      namespace: weather-rest\n      description: Stations over REST.\n']);
    const dir = folder({ 'w.yaml': annotated });
    const file = join(dir, 'w.yaml');
    const dry = capture();
    expect(await runMigrate([file], {}, dry)).toBe(0);
    expect(dry.stderr).toContain(`${file}: note: rewrote: the \`type\`/\`description\`/\`required\` of 1 consumed input parameter now declare the inputs of the REST operations and MCP tools that pass them; one without a description gets one naming it (relaxed-consumed-input-annotations).`);
    expect(dry.stderr).toContain(`${file}: note: kept (no official form): the \`description\` of 1 REST adapter; --strict moves it into a comment (relaxed-rest-description).`);
    const strict = capture();
    expect(await runMigrate([file], { strict: true, write: true }, strict)).toBe(0);
    expect(strict.stderr.some((l) => l.includes('kept (no official form): the `description`'))).toBe(false);
    expect(validateText(file, readFileSync(file, 'utf8'), { strict: true }).findings).toEqual([]);
  });

  it('--strict validates the result under --strict: a relaxation it cannot rewrite is refused', async () => {
    const dir = folder({ 'c.yaml': readFileSync(`${REPO}test/fixtures/relaxations/converted.yaml`, 'utf8') });
    const file = join(dir, 'c.yaml');
    const relaxed = capture();
    expect(await runMigrate([file], {}, relaxed)).toBe(0);
    const strict = capture();
    expect(await runMigrate([file], { strict: true }, strict)).toBe(1);
    expect(strict.stderr[0]).toBe(`${file}: error migrate-invalid: the file migrated to ikanos 1.0.0-beta5 would not validate; nothing written:`);
    expect(strict.stderr[1]).toMatch(/^ {2}.*c\.yaml:\d+:\d+: error relaxed-empty-base-uri: /);
  });
});

describe('build --watch', () => {
  it('builds, watches the folder, and rebuilds once per change with one line; errors of a broken save are printed', async () => {
    const dir = folder({ 'specs/a.yaml': WEATHER });
    const specs = join(dir, 'specs');
    const out = join(dir, 'out');
    const io = capture();
    const handle = startWatch([specs], { out }, io);
    await handle.ready;
    try {
      expect(io.stdout[0]).toMatch(/^built: 1 built, 0 unchanged, 0 failed; \d+ files written, 0 warnings \(\d+ ms\)\.$/);
      expect(io.stdout[1]).toBe(`watching ${specs} for changes (Ctrl-C stops).`);
      expect(existsSync(join(out, 'a', 'package.json'))).toBe(true);

      writeFileSync(join(specs, 'a.yaml'), BROKEN);
      const broken = await printed(io, /^rebuilt after a change to /);
      const name = relative('.', join(specs, 'a.yaml'));
      expect(broken).toMatch(new RegExp(`^rebuilt after a change to ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 0 built, 0 unchanged, 1 failed; 0 files written, 0 warnings \\(\\d+ ms\\)\\.$`));
      const errorLine = io.stdout.findIndex((l) => / error call-target-missing: /.test(l));
      expect(errorLine).toBeGreaterThan(1);
      expect(errorLine).toBeLessThan(io.stdout.indexOf(broken));
      expect(io.stdout[errorLine]).toContain('\n    hint: ');

      // A file that is not a capability changes nothing; a new capability and a fixed one: one rebuild.
      io.stdout.length = 0;
      writeFileSync(join(specs, 'notes.txt'), 'x');
      writeFileSync(join(specs, 'b.yaml'), readFileSync(`${REPO}test/fixtures/relaxations/converted.yaml`, 'utf8'));
      writeFileSync(join(specs, 'a.yaml'), WEATHER);
      const fixed = await printed(io, /^rebuilt after a change to /);
      expect(fixed).toMatch(/^rebuilt after a change to \S+a\.yaml, \S+b\.yaml: [12] built, [01] unchanged, 0 failed; \d+ files written, 3 warnings \(\d+ ms\)\.$/);
      expect(existsSync(join(out, 'b', 'package.json'))).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('watches the folder of a glob, names up to three changed files, and says so when nothing could be built', async () => {
    const dir = folder({ 'x.yaml': WEATHER });
    const io = capture();
    // A glob that matches nothing yet: the first build is a usage error, and the watcher waits for files.
    const handle = startWatch([join(dir, 'c*.yaml')], { out: join(dir, 'out') }, io);
    await handle.ready;
    try {
      expect(io.stdout).toEqual(['built: not built (exit 2).', `watching ${dir} for changes (Ctrl-C stops).`]);
      expect(io.stderr).toEqual([`naftiko-gen: no capability file matches ${join(dir, 'c*.yaml')}.`]);
      for (const n of ['c1', 'c2', 'c3', 'c4', 'c5']) writeFileSync(join(dir, `${n}.yaml`), WEATHER);
      const line = await printed(io, /^rebuilt after a change to /);
      expect(line).toMatch(/^rebuilt after a change to \S+c1\.yaml, \S+c2\.yaml, \S+c3\.yaml and 2 more: 5 built, 0 unchanged, 0 failed; \d+ files written, 0 warnings/);
      // The project folders are never inputs, even inside the watched folder.
      expect(io.stdout.filter((l) => l.startsWith('rebuilt'))).toHaveLength(1);
    } finally {
      await handle.close();
    }
    // A glob in the current folder watches './'; with ** it watches every depth (here: a usage error, nothing built).
    const here = capture();
    const local = startWatch(['no-such-capability-*.yaml'], { out: join(dir, 'out') }, here);
    await local.ready;
    await local.close();
    expect(here.stdout).toEqual(['built: not built (exit 2).', 'watching ./ for changes (Ctrl-C stops).']);
  });

  it('with ** watches every depth, but never the projects it writes there', async () => {
    const dir = folder({ 'deep/er/a.yaml': WEATHER });
    const io = capture();
    const handle = startWatch([join(dir, '**/*.yaml')], { out: join(dir, 'out') }, io);
    await handle.ready;
    try {
      expect(io.stdout[0]).toMatch(/^built: 1 built, /);
      expect(io.stdout[1]).toBe(`watching ${dir} for changes (Ctrl-C stops).`);
      writeFileSync(join(dir, 'deep/er/a.yaml'), WEATHER.replace('Reads stations', 'Reads the stations'));
      const line = await printed(io, /^rebuilt after a change to /);
      // The rebuild wrote the project's own YAML files (compose.yaml, ...) under out/: they start no rebuild of their own.
      expect(line).toMatch(/a\.yaml: 1 built, 0 unchanged, 0 failed; [1-9]\d* files? written, /);
      await new Promise((r) => setTimeout(r, 400));
      expect(io.stdout.filter((l) => l.startsWith('rebuilt'))).toEqual([line]);
    } finally {
      await handle.close();
    }
  });

  it('runWatch stops on SIGINT with exit 0', async () => {
    const dir = folder({ 'a.yaml': WEATHER });
    const io = capture();
    const others = process.listeners('SIGINT');
    others.forEach((l) => process.off('SIGINT', l));
    try {
      const code = runWatch([join(dir, 'a.yaml')], { out: join(dir, 'out') }, io);
      await printed(io, /^watching /);
      expect(io.stdout[1]).toBe(`watching ${join(dir, 'a.yaml')} for changes (Ctrl-C stops).`);
      process.emit('SIGINT');
      expect(await code).toBe(0);
      expect(io.stdout.at(-1)).toBe('stopped watching.');
      expect(process.listeners('SIGTERM').length).toBeGreaterThanOrEqual(0);
    } finally {
      others.forEach((l) => process.on('SIGINT', l));
    }
  });
});
