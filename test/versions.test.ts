/**
 * Every version into one model: version detection and its hints, the ikanos shape read into the same
 * model as alpha2 (findings at the right place of the ikanos file), imports of shared documents,
 * `migrate`, and the published ikanos files and the migrated Qovery corpus.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { migrateText } from '../src/migrate/migrate.js';
import type { CapabilityModel } from '../src/model/types.js';
import type { Finding } from '../src/validate/finding.js';
import { validateText } from '../src/validate/validate.js';
import { findSpecVersion, NEWEST_VERSION } from '../src/validate/versions.js';
import { runCli } from './helpers/cli.js';
import { mutate, type Json } from './helpers/mutate.js';
import { pointerless, useScratch } from './helpers/output.js';
import { typecheckProjects } from './helpers/typecheck.js';
import { lineOf, WEATHER, weatherWith } from './helpers/fixtures.js';
import { corpusFiles, describeWithShared, REPO, SEED, SHARED, yamlFiles } from './helpers/shared.js';

const IKANOS_DIR = `${REPO}test/fixtures/ikanos/`;
const IKANOS_WEATHER_FILE = `${IKANOS_DIR}weather.yaml`;
const IKANOS_WEATHER = readFileSync(IKANOS_WEATHER_FILE, 'utf8');

/**
 * The model without the version it was read from, nor the lines its routes and tools are written on
 * (each version writes them on other lines): what must be the same across versions.
 */
function versionless(model: CapabilityModel | undefined): Omit<CapabilityModel, 'specVersion'> {
  expect(model).toBeDefined();
  const { specVersion: _ignored, ...rest } = model!;
  return {
    ...rest,
    rest: rest.rest.map((r) => ({ ...r, operations: r.operations.map(({ at: _at, line: _line, ...op }) => op) })),
    mcp: rest.mcp.map((m) => ({ ...m, tools: m.tools.map(({ at: _at, line: _line, ...tool }) => tool) })),
  };
}


const scratchDir = useScratch();
const errorsOf = (r: { findings: Finding[] }) => r.findings.filter((f) => f.severity === 'error');

describe('version detection', () => {
  it('reads each naftiko and ikanos version with its own schema', () => {
    for (const [key, value] of [['naftiko', '1.0.0-alpha1'], ['naftiko', '1.0.0-alpha3'], ['ikanos', '1.0.0-beta1']] as const) {
      expect(findSpecVersion(value, key)?.schemaFile).toBe(`${key}-${value}.schema.json`);
    }
    const alpha1 = validateText('cap.yaml', WEATHER.replace('naftiko: 1.0.0-alpha2', 'naftiko: 1.0.0-alpha1'));
    expect(alpha1.findings).toEqual([]);
    // The ikanos shape under a naftiko key is explained by that version's schema, at the right place.
    const mixed = validateText('cap.yaml', IKANOS_WEATHER.replace('ikanos: 1.0.0-beta5', 'naftiko: 1.0.0-alpha2'));
    expect(errorsOf(mixed).length).toBeGreaterThan(0);
  });

  it('keeps naftiko 1.0.0-alpha3 and ikanos 1.0.0-alpha3 apart: one version string, two schemas, in one process', () => {
    const naftiko = validateText('a.yaml', WEATHER.replace('naftiko: 1.0.0-alpha2', 'naftiko: 1.0.0-alpha3'));
    const ikanos = validateText(IKANOS_WEATHER_FILE, IKANOS_WEATHER.replace('ikanos: 1.0.0-beta5', 'ikanos: 1.0.0-alpha3').replace(/ {6}cacheScope: private\n {6}ttlMs: 60000\n/, ''));
    expect(naftiko.findings).toEqual([]);
    expect(ikanos.findings).toEqual([]);
  });

  it('names the supported versions for an unknown one, and points a naftiko version under ikanos at its key', () => {
    const unknown = validateText('cap.yaml', IKANOS_WEATHER.replace('ikanos: 1.0.0-beta5', 'ikanos: 2.0.0'));
    expect(unknown.findings).toHaveLength(1);
    expect(unknown.findings[0]).toMatchObject({ rule: 'version-unsupported', pointer: '/ikanos', line: lineOf(IKANOS_WEATHER, 'ikanos:') });
    expect(unknown.findings[0]!.message).toContain('`ikanos:` 1.0.0-alpha3, 1.0.0-alpha4, 1.0.0-beta1');
    expect(unknown.findings[0]!.message).toContain('`naftiko:` 1.0.0-alpha1, 1.0.0-alpha2, 1.0.0-alpha3');
    const swapped = validateText('cap.yaml', IKANOS_WEATHER.replace('ikanos: 1.0.0-beta5', 'ikanos: 1.0.0-alpha2'));
    expect(swapped.findings[0]!.hint).toBe('1.0.0-alpha2 is a version of `naftiko:`; write `naftiko: 1.0.0-alpha2` if the file follows it.');
  });

  it('gives a missing version the hint that fits the shape of the document', () => {
    const ikanosShaped = validateText('cap.yaml', IKANOS_WEATHER.replace('ikanos: 1.0.0-beta5\n', ''));
    expect(ikanosShaped.findings[0]).toMatchObject({ rule: 'version-missing' });
    expect(ikanosShaped.findings[0]!.hint).toMatch(/^Add `ikanos: 1\.0\.0-beta5` as the first line/);
    const listShaped = validateText('cap.yaml', WEATHER.replace('naftiko: 1.0.0-alpha2\n', ''));
    expect(listShaped.findings[0]!.hint).toMatch(/^Add `naftiko: 1\.0\.0-alpha2` \(its resources, operations and tools are lists with `name`\)/);
    const values = validateText('secrets.yaml', 'api-token: abc\nregion: eu\n');
    expect(values.findings).toMatchObject([{ rule: 'values-file', severity: 'warning' }]);
  });
});

describe('the ikanos shape, read into the one model', () => {
  it('gives the model of the same capability written for alpha2, its consumed API imported from a shared document', () => {
    const ikanos = validateText(IKANOS_WEATHER_FILE, IKANOS_WEATHER);
    expect(ikanos.findings).toEqual([]);
    const alpha2 = validateText('weather.yaml', WEATHER);
    // The same model, but for the tags and cache hints that only ikanos can write.
    const { mcp, ...rest } = versionless(ikanos.model);
    expect(mcp[0]!.tools[0]!.tags).toEqual(['stations', 'read']);
    expect(mcp[0]!.cacheHint).toEqual({ cacheScope: 'private', ttlMs: 60000 });
    delete mcp[0]!.tools[0]!.tags;
    delete mcp[0]!.cacheHint;
    expect({ ...rest, mcp }).toEqual({ ...versionless(alpha2.model), sourceName: 'weather.yaml' });
    expect(ikanos.model!.specVersion).toBe('1.0.0-beta5');
  });

  it('validates a shared document on its own, and refuses to build it', async () => {
    const shared = validateText(`${IKANOS_DIR}shared/weather-api.yaml`, readFileSync(`${IKANOS_DIR}shared/weather-api.yaml`, 'utf8'));
    expect(shared).toMatchObject({ findings: [], shared: true });
    const build = await runCli('build', `${IKANOS_DIR}shared/weather-api.yaml`, '--out', join(tmpdir(), 'naftiko-gen-shared-not-built'));
    expect(build.code).toBe(1);
    expect(build.stdout + build.stderr).toContain('shared-document');
  });

  it('reports findings at their place in the ikanos file: a key that is a name, a value, a schema error in a map', () => {
    const badCall = IKANOS_WEATHER.replace('call: weather.get-station\n', 'call: weather.get-statio\n');
    const call = validateText(IKANOS_WEATHER_FILE, badCall);
    expect(errorsOf(call)).toMatchObject([{ rule: 'call-target-missing', line: lineOf(badCall, 'weather.get-statio'), pointer: '/capability/exposes/0/resources/station/operations/get-station/call' }]);

    const dupTool = IKANOS_WEATHER.replace('        get-station:\n          display', '        list_stations:\n          display');
    const tools = validateText(IKANOS_WEATHER_FILE, dupTool);
    const clash = tools.findings.find((f) => f.rule === 'identifier-collision' || f.rule === 'tool-name-duplicate');
    if (clash) expect([lineOf(dupTool, 'list-stations:', 40), lineOf(dupTool, 'list_stations:')]).toContain(clash.line);

    const badMethod = IKANOS_WEATHER.replace('              method: PUT\n', '              method: PUTT\n');
    const schema = validateText(IKANOS_WEATHER_FILE, badMethod);
    expect(errorsOf(schema)).toMatchObject([{ line: lineOf(badMethod, 'PUTT'), pointer: '/capability/exposes/0/resources/station/operations/update-station/method' }]);
  });

  describe('imports', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-imports-'));
      mkdirSync(join(dir, 'caps'));
      writeFileSync(join(dir, 'outside.yaml'), readFileSync(`${IKANOS_DIR}shared/weather-api.yaml`, 'utf8'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('never reads a shared document outside the capability folder', () => {
      const file = join(dir, 'caps', 'cap.yaml');
      const text = IKANOS_WEATHER.replace('./shared/weather-api.yaml', '../outside.yaml');
      const r = validateText(file, text);
      expect(errorsOf(r)).toMatchObject([{ rule: 'import-outside-folder', line: lineOf(text, '../outside.yaml'), pointer: '/capability/consumes/0/from' }]);
      // Nor through a symbolic link inside the folder.
      symlinkSync(join(dir, 'outside.yaml'), join(dir, 'caps', 'link.yaml'));
      const linked = IKANOS_WEATHER.replace('./shared/weather-api.yaml', './link.yaml');
      expect(errorsOf(validateText(file, linked))).toMatchObject([{ rule: 'import-outside-folder', line: lineOf(linked, './link.yaml') }]);
    });

    it('names what a shared document declares when the imported namespace is not there, and says when the file is missing', () => {
      const wrongName = IKANOS_WEATHER.replace('import: weather-api', 'import: weather-apy');
      const r = validateText(IKANOS_WEATHER_FILE, wrongName);
      expect(errorsOf(r)).toMatchObject([{ rule: 'import-not-found', line: lineOf(wrongName, 'weather-apy'), hint: 'It declares `weather-api`.' }]);
      const missing = validateText(IKANOS_WEATHER_FILE, IKANOS_WEATHER.replace('./shared/weather-api.yaml', './shared/nothing.yaml'));
      expect(errorsOf(missing)).toMatchObject([{ rule: 'import-unreadable', message: '`from: ./shared/nothing.yaml` cannot be imported: the file does not exist.' }]);
    });
  });
});

describe('migrate', () => {
  it('rewrites alpha2 to the newest version, keeping comments and the order of keys, into the same model', () => {
    const commented = WEATHER.replace('        - name: station\n', '        # One station by id.\n        - name: station\n').replace('      port: 9091\n', '      port: 9091 # the MCP port\n');
    const result = migrateText(commented);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.to).toBe(NEWEST_VERSION);
    expect(result.text).toContain('        # One station by id.\n        station:\n          path: /stations/{{stationId}}\n');
    expect(result.text).toContain('      port: 9091 # the MCP port\n');
    expect(result.text).toMatch(/^ikanos: 1\.0\.0-beta5\ninfo:\n {2}display: Weather stations\n/);
    const migrated = validateText('weather.yaml', result.text);
    expect(migrated.findings).toEqual([]);
    expect(versionless(migrated.model)).toEqual(versionless(validateText('weather.yaml', WEATHER).model));
  });

  it('declares typed consumed parameters as the inputs passing them, except a required REST query parameter, which only --strict moves', () => {
    const annotated = weatherWith(['                - name: country\n                  in: query\n', '                - name: country\n                  in: query\n                  type: integer\n                  description: ISO number of the country.\n                  required: true\n']);
    const kept = migrateText(annotated);
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.notes.join('\n')).toContain('the annotations of weather.list-stations country, required inputs of a REST operation');
    expect(validateText('weather.yaml', kept.text).findings.map((f) => f.rule)).toEqual(['relaxed-consumed-input-annotations']);
    const moved = migrateText(annotated, NEWEST_VERSION, { strict: true });
    if (!moved.ok) throw new Error(moved.message);
    expect(moved.notes.join('\n')).toContain('weather.list-stations country are optional inputs of their REST operations now');
    expect(moved.text).toContain('              inputParameters:\n                country:\n                  in: query\n                  type: integer\n                  description: ISO number of the country.\n              call: weather.list-stations\n');
    // MCP inputs are required by default, as the consumed parameter was.
    expect(moved.text).toContain('          inputParameters:\n            country:\n              type: integer\n              description: ISO number of the country.\n          call: weather.list-stations\n');
    const strict = validateText('weather.yaml', moved.text, { strict: true });
    expect(strict.findings).toEqual([]);
    const tool = strict.model!.mcp[0]!.tools.find((t) => t.name === 'list-stations')!;
    expect(tool.inputs.map((i) => [i.name, i.type, i.required])).toEqual([['country', 'integer', true]]);
    const route = strict.model!.rest[0]!.operations.find((o) => o.name === 'list-stations')!;
    expect(route.inputs.map((i) => [i.name, i.type, i.required])).toEqual([['country', 'integer', false]]);
  });

  it('changes nothing on a file already at the target version, and never goes back', () => {
    expect(migrateText(IKANOS_WEATHER)).toMatchObject({ ok: true, changed: false, text: IKANOS_WEATHER });
    expect(migrateText(IKANOS_WEATHER, findSpecVersion('1.0.0-alpha3', 'ikanos'))).toMatchObject({ ok: false });
    const alpha3 = migrateText(WEATHER, findSpecVersion('1.0.0-alpha3', 'naftiko'));
    expect(alpha3).toMatchObject({ ok: true, changed: true, text: WEATHER.replace('naftiko: 1.0.0-alpha2', 'naftiko: 1.0.0-alpha3') });
  });

  it('prints a unified diff by default and writes with --write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-migrate-'));
    try {
      const file = join(dir, 'weather.yaml');
      writeFileSync(file, WEATHER);
      const dry = await runCli('migrate', file);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`--- a/${file}`);
      expect(dry.stdout).toContain('-naftiko: 1.0.0-alpha2\n+ikanos: 1.0.0-beta5');
      expect(readFileSync(file, 'utf8')).toBe(WEATHER);
      const written = await runCli('migrate', file, '--write');
      expect(written.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^ikanos: 1\.0\.0-beta5/);
      const again = await runCli('migrate', file);
      expect(again.stdout).toBe('');
      expect(again.stderr).toContain('0 would change');
      const badTarget = await runCli('migrate', file, '--to', '9.9.9');
      expect(badTarget.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('init and import openapi', () => {
  it('write the newest version by default, any version with --spec-version, each valid under --strict and read into the same model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-spec-version-'));
    try {
      const models: Array<Omit<CapabilityModel, 'specVersion'>> = [];
      const relaxedRules: string[][] = [];
      for (const [sub, args] of [['newest', []], ['alpha2', ['--spec-version', 'naftiko:1.0.0-alpha2']], ['beta1', ['--spec-version', '1.0.0-beta1']]] as const) {
        const out = join(dir, sub);
        expect((await runCli('init', 'parcels', '--out', out, ...args)).code).toBe(0);
        const text = readFileSync(join(out, 'parcels.yaml'), 'utf8');
        expect(text).toContain({ newest: 'ikanos: 1.0.0-beta5', alpha2: 'naftiko: 1.0.0-alpha2', beta1: 'ikanos: 1.0.0-beta1' }[sub]);
        const checked = validateText(join(out, 'parcels.yaml'), text, { strict: true });
        expect(checked.findings).toEqual([]);
        models.push(versionless(checked.model));
        const petstore = `${REPO}test/fixtures/openapi/petstore-30.yaml`;
        expect((await runCli('import', 'openapi', petstore, '--strict', '--out', join(out, 'strict'), ...args)).code).toBe(0);
        const strict = await runCli('validate', '--strict', join(out, 'strict'));
        expect(strict.stdout).toContain('3 files checked: 3 valid, 0 invalid; 0 errors, 0 warnings.');
        // Without --strict the import keeps names such as `filter[status]` and the inputs' constraints: in every
        // version, the same relaxations, each at its name (a key of a map in ikanos), and an error under --strict.
        expect((await runCli('import', 'openapi', petstore, '--out', join(out, 'relaxed'), ...args)).code).toBe(0);
        const file = join(out, 'relaxed', 'petstore-pets.yaml');
        const imported = readFileSync(file, 'utf8');
        const relaxed = validateText(file, imported);
        expect(errorsOf(relaxed)).toEqual([]);
        const names = relaxed.findings.filter((f) => f.rule === 'relaxed-name-pattern');
        for (const f of names) expect(imported.split('\n')[f.line - 1]!.slice(f.column - 1)).toMatch(/^(- name: )?(filter\[status\]|\$select|page\.size)/);
        relaxedRules.push(relaxed.findings.map((f) => `${f.severity} ${f.rule}`).sort());
        const strictFindings = validateText(file, imported, { strict: true }).findings;
        expect(strictFindings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual(relaxed.findings.map((f) => `${f.line}:${f.column} ${f.rule}`));
        expect(errorsOf({ findings: strictFindings })).toHaveLength(relaxed.findings.length);
      }
      expect(relaxedRules[0]).toContain('warning relaxed-input-constraints');
      expect(relaxedRules[0]!.filter((r) => r === 'warning relaxed-name-pattern')).toHaveLength(9);
      expect(relaxedRules[1]).toEqual(relaxedRules[0]);
      expect(relaxedRules[2]).toEqual(relaxedRules[0]);
      expect(models[0]).toEqual(models[1]);
      expect(models[2]).toEqual(models[1]);
      expect((await runCli('init', 'parcels', '--out', dir, '--spec-version', '2.0')).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithShared('published files of every version (../shared)', () => {
  it('the Qovery capabilities, migrated to beta5, keep only the relaxations without an official form; with --strict all 94 validate under --strict', () => {
    const rules = (r: { findings: Finding[] }) => r.findings.map((f) => `${f.severity} ${f.rule}`);
    // Every sixth file keeps the test quick; the command-line run over all 94 gives the same result.
    for (const file of [SEED, ...corpusFiles().filter((_, i) => i % 6 === 0)]) {
      const text = readFileSync(file, 'utf8');
      const result = migrateText(text);
      if (!result.ok) throw new Error(`${file}: ${result.message}`);
      const before = rules(validateText(file, text));
      const after = validateText(file, result.text);
      expect(errorsOf(after), file).toEqual([]);
      // Typed inputs declared where they are used (a REST input required by the API stays a relaxation), REST whole-answer outputs gone.
      expect(rules(after).length, file).toBeLessThan(before.length);
      for (const rule of rules(after)) expect(before, file).toContain(rule);
      if (before.includes('warning relaxed-consumed-input-annotations')) expect(result.notes.join('\n'), file).toMatch(/rewrote: the `type`\/`description`\/`required` of \d+ consumed input parameters? now declare the inputs/);
    }
    let strictValid = 0;
    for (const file of [SEED, ...corpusFiles()]) {
      const result = migrateText(readFileSync(file, 'utf8'), NEWEST_VERSION, { strict: true });
      if (!result.ok) throw new Error(`${file}: ${result.message}`);
      const errors = errorsOf(validateText(file, result.text, { strict: true }));
      expect(errors, file).toEqual([]);
      if (errors.length === 0) strictValid += 1;
    }
    expect(strictValid).toBe(corpusFiles().length + 1);
  });

  it('migrate prints what it rewrote and what it kept; --strict writes a file that validates under --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'naftiko-gen-migrate-strict-'));
    try {
      const file = join(dir, 'seed.yaml');
      writeFileSync(file, readFileSync(SEED, 'utf8'));
      const dry = await runCli('migrate', file);
      expect(dry.code).toBe(0);
      expect(dry.stderr).toContain(`${file}: note: rewrote: the \`type\`/\`description\`/\`required\` of 4 consumed input parameters now declare the inputs`);
      expect(dry.stderr).toContain('note: kept (no official form): the `description` of 1 REST adapter; --strict moves it into a comment');
      const written = await runCli('migrate', file, '--strict', '--write');
      expect(written.code, written.stderr).toBe(0);
      expect(written.stderr).toContain('MCP tool object outputs `mapping: $.` without `properties` removed: the tools answer the same JSON as text, without `structuredContent`');
      expect(readFileSync(file, 'utf8')).toContain('  # description: REST adapter for Qovery API');
      const strict = await runCli('validate', '--strict', file);
      expect(strict.code, strict.stdout + strict.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrate turns every valid mutant of the seed and the alpha2 tutorial into a valid beta5 file', () => {
    const dir = `${SHARED}conformance/framework-1.0.0-alpha2/tutorial/`;
    const bases = [SEED, ...yamlFiles(dir).filter((f) => f.includes('step-'))].map((f) => parse(readFileSync(f, 'utf8')) as Json);
    const errors = (text: string) => errorsOf(validateText(`${dir}mutant.yml`, text));
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), (b, picks) => {
        const text = stringify(mutate(bases[b]!, picks));
        if (errors(text).length > 0) return;
        const migrated = migrateText(text);
        if (!migrated.ok) throw new Error(migrated.message);
        // The one thing ikanos cannot say: a REST resource with an empty list of operations (migrate then refuses it).
        const left = errors(migrated.text).filter((f) => !f.message.includes('needs `operations`, or `forward`'));
        expect(left, JSON.stringify(picks)).toEqual([]);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('every published ikanos beta5 file validates without errors (the tunnel example aside), shared documents as such', () => {
    const summary: string[] = [];
    for (const file of yamlFiles(`${SHARED}conformance/ikanos-1.0.0-beta5/`)) {
      const r = validateText(file, readFileSync(file, 'utf8'));
      const name = file.replace(/.*ikanos-1\.0\.0-beta5\//, '');
      const errors = errorsOf(r);
      if (name.endsWith('reverse-tunnel-ziti.yml')) expect(errors.map((e) => e.rule)).toEqual(['tunnel-unsupported']);
      else expect(errors, name).toEqual([]);
      if (name.includes('shared/')) expect(r.shared, name).toBe(true);
      else if (!name.endsWith('reverse-tunnel-ziti.yml')) expect(r.model, name).toBeDefined();
      summary.push(`${name}: ${r.findings.filter((f) => f.rule === 'construct-unsupported').length}`);
    }
    expect(summary.length).toBeGreaterThan(15);
  });

  it('an ikanos capability with an import, tool tags and cache hints builds into a project that type-checks, tags in the tool metadata, hints on the server', async () => {
    const dir = scratchDir('versions-typecheck');
    const built = await runCli('build', IKANOS_WEATHER_FILE, '--out', join(dir, 'weather'));
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const mcp = readFileSync(join(dir, 'weather/src/mcp/weather-mcp.ts'), 'utf8');
    expect(mcp).toContain("_meta: { tags: ['stations', 'read'] },");
    // cacheScope and ttlMs are the freshness hint MCP (revision 2026-07-28) puts on cacheable results.
    expect(mcp).toContain("const CACHE_HINT = { cacheScope: 'private', ttlMs: 60000 } as const;");
    expect(mcp).toContain("  'tools/list': CACHE_HINT,\n");
    expect(mcp).toContain('cacheHints: CACHE_HINTS');
    expect(typecheckProjects([join(dir, 'weather')])).toEqual([]);
  }, 60_000);

  it('the alpha2 tutorial, migrated to beta5 (its imports and shared documents too), generates the projects of the published beta5 tutorial', () => {
    const dir = scratchDir('versions-tutorial');
    cpSync(`${SHARED}conformance/framework-1.0.0-alpha2/tutorial`, dir, { recursive: true });
    const published = `${SHARED}conformance/ikanos-1.0.0-beta5/tutorial/`;
    const steps = readdirSync(dir).filter((f) => f.startsWith('step-'));
    expect(steps).toHaveLength(11);
    for (const file of [...steps.map((f) => join(dir, f)), ...yamlFiles(join(dir, 'shared'))]) {
      const result = migrateText(readFileSync(file, 'utf8'));
      if (result.ok) writeFileSync(file, result.text);
      else expect(file).toMatch(/secrets\.yaml$/);
    }
    for (const step of steps) {
      const read = (file: string) => validateText(file, readFileSync(file, 'utf8'));
      const migrated = read(join(dir, step));
      const beta5 = read(published + step);
      expect(migrated.findings.map((f) => `${f.pointer} ${f.rule}`), step).toEqual(beta5.findings.map((f) => `${f.pointer} ${f.rule}`));
      expect(pointerless(emitProject(migrated.model!)), step).toEqual(pointerless(emitProject(beta5.model!)));
    }
  });
});
