/**
 * The generated code a user reads when something goes wrong: constants named after their operations
 * and tools, a pointer from each route and tool to its line in the capability, comments without the
 * decisions doc's numbers, no cast through `unknown` over the secrets; and the one type system (no
 * type declared both in src/ and templates/runtime/).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ImportSet } from '../src/emit/code/imports.js';
import { SYMBOLS } from '../src/emit/code/symbols.js';
import { emitProject } from '../src/emit/emit-project.js';
import { constantBases } from '../src/emit/view/constant-names.js';
import { validateText } from '../src/validate/validate.js';
import { REPO } from './helpers/shared.js';

const CAPABILITIES = ['examples/qovery/qovery-organization-api-token.yaml', 'examples/harbour-crew/harbour-crew.yaml'];

function generated(file: string): { lines: string[]; files: Map<string, string> } {
  const text = readFileSync(join(REPO, file), 'utf8');
  const { model, findings } = validateText(file, text);
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  return { lines: text.split('\n'), files: emitProject(model!) };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('generated adapters', () => {
  for (const capability of CAPABILITIES) {
    const name = capability.split('/').pop()!;
    it(`${name}: each route and tool points at its line in the capability`, () => {
      const { lines, files: out } = generated(capability);
      const adapters = [...out].filter(([path]) => /^src\/(rest|mcp)\/[^/]+(?<!\.openapi)\.ts$/.test(path));
      expect(adapters.length).toBeGreaterThan(0);
      let pointers = 0;
      for (const [path, code] of adapters) {
        const codeLines = code.split('\n');
        codeLines.forEach((line, i) => {
          const m = new RegExp(`^\\s*// ${name.replace('.', '\\.')}:(\\d+)$`).exec(line);
          if (!m) return;
          pointers++;
          const yamlLine = lines[Number(m[1]) - 1]!;
          const next = codeLines.slice(i + 1, i + 4).join('\n');
          if (path.startsWith('src/mcp/')) {
            // server.registerTool('<name>', ...: the line holds `- name: <name>`, or the `ref` it takes its name from.
            const tool = /registerTool\(\s*'([^']+)'/.exec(next)![1]!;
            expect(yamlLine, `${path}: ${line}`).toMatch(new RegExp(`name: ['"]?${tool}|ref: \\S*${tool}`));
          } else {
            const method = /method: '([A-Z]+)'/.exec(next)![1]!;
            expect(yamlLine, `${path}: ${line}`).toMatch(new RegExp(`method: ${method}\\b`));
          }
        });
        expect(code, path).not.toMatch(/\b(INPUT|OUTPUT|MOCK|STEPS|MAPPINGS)_\d+\b/);
      }
      expect(pointers).toBeGreaterThanOrEqual(2);
    });
  }

  it('config.ts wraps a call that would pass 100 columns, one argument per line (the seed has long names)', () => {
    const config = generated(CAPABILITIES[0]!).files.get('src/config.ts')!;
    const long = config.split('\n').filter((l) => l.length > 100 && !/^\s*(\/\/|\*|\/\*\*)/.test(l));
    expect(long).toEqual([]);
    expect(config).toContain("baseUri: baseUriFrom(\n          env,\n          'QOVERY_ORGANIZATION_API_TOKEN_BASE_URI',");
  });

  it('names the constants after the operations, unique in the file and never an import', () => {
    expect(constantBases(['list-organization-api-tokens', 'get-ship', 'get ship', 'check'])).toEqual(['listOrganizationApiTokens', 'getShip', 'getShip_2', 'check_2']);
    const { files: out } = generated(CAPABILITIES[0]!);
    expect(out.get('src/mcp/qovery-organization-api-token-mcp.ts')).toContain('const listOrganizationApiTokensInput = z.object({');
  });

  it('comments in plain words and casts nothing through unknown (nor to a call\'s arguments) in the generated project', () => {
    for (const capability of CAPABILITIES) {
      for (const [path, code] of generated(capability).files) {
        if (!/\.(ts|hbs)$/.test(path)) continue;
        expect(code, path).not.toMatch(/\bD\d{1,2}\b/);
        if (!path.startsWith('src/runtime/')) expect(code, path).not.toContain('as unknown as');
        // Steps send the values they hold by name (sendByName), not through a cast to the typed arguments.
        if (!path.startsWith('src/runtime/')) expect(code, path).not.toMatch(/ as Parameters</);
      }
    }
  });
});

describe('one type system', () => {
  it('declares no type both in src/ and in templates/runtime/', () => {
    const declared = (dir: string) =>
      new Set(files(join(REPO, dir)).filter((f) => f.endsWith('.ts')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^export (?:type|interface) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]!)));
    const runtime = declared('templates/runtime');
    const both = [...declared('src')].filter((n) => runtime.has(n));
    expect(both, 'import it from templates/runtime/shapes.d.ts instead').toEqual([]);
    expect(runtime.has('OutputSpec')).toBe(true);
  });
});

describe('imports: a generated file imports what it prints, and nothing else', () => {
  const FIXTURES = [...CAPABILITIES, 'test/fixtures/valid/weather.yaml', 'test/fixtures/valid/harbour-orchestrated.yaml', 'test/fixtures/valid/guarded-harbor.yaml'];
  /** The names a file imports, and the identifiers its code uses outside the imports (read by TypeScript's parser). */
  const names = (path: string, code: string) => {
    const file = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true);
    const imported: string[] = [];
    const used = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node)) {
        const bindings = node.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) imported.push(...bindings.elements.map((e) => e.name.text));
        return;
      }
      if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) used.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(file);
    return { imported, used };
  };

  for (const capability of FIXTURES) {
    it(`${capability.split('/').pop()}: every import is used, every runtime symbol used is imported`, () => {
      const adapters = [...generated(capability).files].filter(([path]) => /^src\/((rest|mcp|consumes)\/.*|main)\.ts$/.test(path));
      expect(adapters.length).toBeGreaterThan(0);
      for (const [path, code] of adapters) {
        const { imported, used } = names(path, code);
        expect(imported.filter((n) => !used.has(n)), `${path}: imported but not used`).toEqual([]);
        expect(Object.keys(SYMBOLS).filter((n) => used.has(n) && !imported.includes(n)), `${path}: used but not imported`).toEqual([]);
      }
    });
  }

  it('a template that prints a symbol with no known module fails the build, naming the table to add it to', () => {
    expect(new ImportSet('../').use('toolFailure').use('Apis').use('toolFailure').lines()).toEqual([
      "import type { Apis } from '../apis.js';",
      "import { toolFailure } from '../runtime/mcp.js';",
    ]);
    expect(new ImportSet('./').use('McpServer').lines()).toEqual(["import { McpServer } from '@modelcontextprotocol/server';"]);
    expect(() => new ImportSet().use('noSuchThing')).toThrow(/noSuchThing.*src\/emit\/code\/symbols\.ts/);
  });
});
