/**
 * Property-based: mutated capabilities (keys dropped, duplicated, retyped, renamed; hostile strings
 * injected) never make naftiko-gen throw past its error reporting, always give well-formed findings
 * and an exit code of 0, 1 or 2, and whenever a mutant builds, its project type-checks.
 * The seed is fixed so CI is repeatable; FUZZ_SEED=<n> explores other mutants.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { emitProject, emitUserFiles } from '../src/emit/emit-project.js';
import { validateText } from '../src/validate/validate.js';
import { writeProject } from '../src/write/write-project.js';
import { runCli } from './helpers/cli.js';
import { scratch } from './helpers/output.js';
import { REPO, SEED } from './helpers/shared.js';
import { typecheckProjects } from './helpers/typecheck.js';
import { writeFileSync } from 'node:fs';

const SEED_NUMBER = Number(process.env.FUZZ_SEED ?? 20261127);
const BASES = [readFileSync(SEED, 'utf8'), readFileSync(join(REPO, 'test/fixtures/valid/weather.yaml'), 'utf8')].map((t) => parse(t) as unknown);

const HOSTILE = ['', "'", '"', '`', '${x}', '*/', '/*', '\\', '\n', '\r\n', '\u2028', 'é中🚀', '../..', '{{env.X}}', '{x}', '{{', '}', 'a'.repeat(90), '$select', 'page[size]', 'export', '2fa', '-', 'x y', '<script>', '\u0000'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Json {
  let cur = root;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, Json>)[seg]!;
  return cur;
}

type Mutation = { kind: 'drop' | 'duplicate' | 'retype' | 'rename' | 'inject'; pick: number; value: number };

function mutate(root: Json, m: Mutation): void {
  const all = paths(root).filter((p) => p.length > 0);
  if (all.length === 0) return;
  const path = all[m.pick % all.length]!;
  const parent = parentOf(root, path) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1]!;
  const hostile = HOSTILE[m.value % HOSTILE.length]!;
  switch (m.kind) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete (parent as Record<string, Json>)[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(Number(key), 0, structuredClone(parent[Number(key)]!));
      else (parent as Record<string, Json>)[`${String(key)}${hostile}`] = structuredClone((parent as Record<string, Json>)[key]!);
      break;
    case 'retype': {
      const replacements: Json[] = [42, -1, 3.5, true, null, 'text', [], {}, hostile, [hostile], { [hostile]: hostile }];
      (parent as Record<string | number, Json>)[key] = replacements[m.value % replacements.length]!;
      break;
    }
    case 'rename':
      if (!Array.isArray(parent)) {
        const v = (parent as Record<string, Json>)[key]!;
        delete (parent as Record<string, Json>)[key];
        (parent as Record<string, Json>)[m.value % 2 === 0 ? `${String(key)}${hostile}` : hostile] = v;
      }
      break;
    case 'inject': {
      const v = (parent as Record<string | number, Json>)[key];
      if (typeof v === 'string') (parent as Record<string | number, Json>)[key] = m.value % 2 === 0 ? v + hostile : hostile + v;
      break;
    }
  }
}

const mutationArb = fc.record({
  kind: fc.constantFrom('drop', 'duplicate', 'retype', 'rename', 'inject') as fc.Arbitrary<Mutation['kind']>,
  pick: fc.nat(),
  value: fc.nat(),
});
const mutantArb = fc.record({ base: fc.nat(BASES.length - 1), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }), strict: fc.boolean() });

function mutant(input: { base: number; mutations: Mutation[] }): string {
  const doc = structuredClone(BASES[input.base]) as Json;
  for (const m of input.mutations) mutate(doc, m);
  return stringify(doc);
}

type Doc = { capability?: { exposes?: Array<Record<string, unknown>> } };

/**
 * What the capability exposes, as written: REST routes `METHOD path` per adapter, MCP tool names per
 * adapter; less the items a finding says are left out of the server (`leftOut`: their pointers).
 */
function exposedByCapability(text: string, leftOut: ReadonlySet<string>): { routes: string[][]; tools: string[][] } {
  const doc = parse(text) as Doc;
  const exposes = (doc.capability?.exposes ?? []).map((a, i) => ({ a, at: `/capability/exposes/${i}` }));
  const routes = exposes
    .filter(({ a }) => a.type === 'rest')
    .map(({ a, at }) =>
      ((a.resources as Array<{ path: string; operations?: Array<{ method: string }> }> | undefined) ?? [])
        .flatMap((r, ri) => (r.operations ?? []).filter((_, oi) => !leftOut.has(`${at}/resources/${ri}/operations/${oi}`)).map((o) => `${o.method.toUpperCase()} ${r.path}`))
        .sort(),
    );
  const tools = exposes
    .filter(({ a }) => a.type === 'mcp')
    .map(({ a, at }) => ((a.tools as Array<{ name: string }> | undefined) ?? []).filter((_, ti) => !leftOut.has(`${at}/tools/${ti}`)).map((t) => t.name).sort());
  return { routes, tools };
}

/**
 * What the generated project serves, read from its files: each REST adapter's OpenAPI document
 * (every route, `METHOD path`), and the names each MCP module registers with `registerTool`.
 */
function exposedByProject(files: ReadonlyMap<string, string>): { routes: string[][]; tools: string[][] } {
  const routes = [...files]
    .filter(([name]) => /^openapi(\.[^/]+)?\.json$/.test(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, content]) =>
      Object.entries((JSON.parse(content) as { paths: Record<string, Record<string, unknown>> }).paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
        .sort(),
    );
  const tools = [...files]
    .filter(([name]) => /^src\/mcp\/[^/]+\.ts$/.test(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, content]) =>
      // The name is the string literal right after `registerTool(`; evaluating it gives the name as the SDK sees it.
      [...content.matchAll(/registerTool\(\s*('(?:[^'\\]|\\.)*')/g)].map((m) => new Function(`return ${m[1]!};`)() as string).sort(),
    );
  return { routes, tools };
}

/** A name MCP clients accept is kept as written; any other is shortened (tool-name-shortened). */
const MCP_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('fuzzing with mutated capabilities', () => {
  it('validation never throws and every finding is well formed; every valid mutant generates a project serving its routes and tools', () => {
    let valid = 0;
    let exposing = 0;
    fc.assert(
      fc.property(mutantArb, (input) => {
        const text = mutant(input);
        const result = validateText('mutant.yaml', text, { strict: input.strict });
        for (const f of result.findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(['error', 'warning']).toContain(f.severity);
          expect(f.rule).toMatch(/^[a-z][a-z0-9-]+$/);
          expect(f.message.length).toBeGreaterThan(10);
          expect(f.message).not.toMatch(/undefined|\[object Object\]/);
        }
        expect(result.model === undefined).toBe(result.findings.some((f) => f.severity === 'error'));
        if (result.model) {
          valid++;
          const files = emitProject(result.model);
          for (const [name, content] of files) expect(content, name).toContain('Generated by naftiko-gen');
          // The project serves what the capability exposes: the same routes, and one tool per tool, under its
          // name; an item is left out only where a finding says so.
          const leftOut = new Set(result.findings.filter((f) => f.rule === 'construct-unsupported').map((f) => f.pointer));
          const want = exposedByCapability(text, leftOut);
          const got = exposedByProject(files);
          expect(got.routes, text).toEqual(want.routes);
          expect(got.tools.map((t) => t.length), text).toEqual(want.tools.map((t) => t.length));
          want.tools.forEach((names, i) => {
            for (const name of names) if (MCP_TOOL_NAME.test(name)) expect(got.tools[i], text).toContain(name);
            for (const name of got.tools[i]!) expect(name).toMatch(MCP_TOOL_NAME);
          });
          if (want.routes.flat().length + want.tools.flat().length > 0) exposing++;
        }
      }),
      { seed: SEED_NUMBER, numRuns: 400 },
    );
    // The mutations must not be so destructive that nothing valid is left to generate.
    expect(valid).toBeGreaterThan(20);
    expect(exposing).toBeGreaterThan(20);
  });

  it('the CLI answers every mutant with exit code 0, 1 or 2 and no stack trace', async () => {
    const dir = scratch('fuzz-cli');
    dirs.push(dir);
    const samples = fc.sample(mutantArb, { seed: SEED_NUMBER + 1, numRuns: 40 });
    for (const [i, input] of samples.entries()) {
      const file = join(dir, `m${i}.yaml`);
      writeFileSync(file, mutant(input));
      const r = await runCli('validate', ...(input.strict ? ['--strict'] : []), file);
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
      expect(r.stderr).not.toContain('internal error');
    }
  });

  it('every mutant that builds gives a project that type-checks', async () => {
    const dir = scratch('fuzz-build');
    dirs.push(dir);
    const samples = fc.sample(mutantArb, { seed: SEED_NUMBER + 2, numRuns: 300 });
    const projects: string[] = [];
    const seen = new Set<string>();
    for (const input of samples) {
      const text = mutant(input);
      const result = validateText('mutant.yaml', text, { strict: input.strict });
      if (!result.model) continue;
      const files = emitProject(result.model);
      const key = [...files.values()].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const out = join(dir, `p${projects.length}`);
      await writeProject(out, result.model.sourceName, files, emitUserFiles(result.model));
      projects.push(out);
      if (projects.length >= 12) break;
    }
    expect(projects.length).toBeGreaterThan(5);
    expect(typecheckProjects(projects)).toEqual([]);
  }, 120_000);
});
