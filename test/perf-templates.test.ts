/**
 * The templates compiled into plain functions (src/emit/compile-template.ts, run at build time by
 * scripts/precompile-templates.mjs) print exactly what Handlebars prints from the same templates: for
 * every construct on its own, against Handlebars under render.ts's options, and for whole projects
 * generated both ways (the examples, the fixtures and, with ../shared, the 94 Qovery capabilities).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, describe, expect, it } from 'vitest';
import { emitProject, emitUserFiles } from '../src/emit/emit-project.js';
import { compileTemplate, TEMPLATE_RUNTIME, Unsupported, type TemplateHelpers } from '../src/emit/compile-template.js';
import { TEMPLATE_OPTIONS, usePrecompiledTemplates, type CompiledTemplate, type Precompiled } from '../src/emit/render.js';
import { validateText } from '../src/validate/validate.js';
import { corpusFiles, REPO, yamlFiles } from './helpers/shared.js';

const TEMPLATES = join(REPO, 'templates');
const templateFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templateFiles(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []));

function toFunction(source: string): CompiledTemplate {
  return new Function('view', 'rt', 'helpers', 'root', compileTemplate(Handlebars.parse(source))) as CompiledTemplate;
}

/** The templates of templates/ compiled as the build compiles them. */
function compiledTemplates(): Precompiled {
  const out: Precompiled = {};
  for (const file of templateFiles(TEMPLATES)) {
    const source = readFileSync(file, 'utf8');
    out[relative(TEMPLATES, file)] = { hash: createHash('sha256').update(source).digest('hex'), render: toFunction(source) };
  }
  return out;
}

/** One template rendered by Handlebars (render.ts's options, a `use` helper recording into `used`) and by the compiled function. */
function both(source: string, view: unknown, partials: Record<string, string> = {}): { handlebars: string | Error; compiled: string | Error; used: [string[], string[]] } {
  const used: [string[], string[]] = [[], []];
  const env = Handlebars.create();
  env.registerHelper('use', (name: unknown, options: Handlebars.HelperOptions) => {
    used[0].push(`${String(name)}@${(options.data.root as { tag?: string }).tag}`);
    return name;
  });
  env.registerHelper('importLines', () => '<imports>');
  for (const [name, text] of Object.entries(partials)) env.registerPartial(name, env.compile(text, TEMPLATE_OPTIONS));
  const run = (f: () => string): string | Error => {
    try {
      return f();
    } catch (err) {
      return err as Error;
    }
  };
  const helpers: TemplateHelpers = {
    use: (root, name) => {
      used[1].push(`${String(name)}@${(root as { tag?: string }).tag}`);
      return name;
    },
    importLines: () => '<imports>',
    partial: (name, context, root) => toFunction(partials[name]!)(context, TEMPLATE_RUNTIME, helpers, root),
  };
  return {
    handlebars: run(() => env.compile(source, TEMPLATE_OPTIONS)(view)),
    compiled: run(() => toFunction(source)(view, TEMPLATE_RUNTIME, helpers, view)),
    used,
  };
}

function expectSame(source: string, view: unknown, partials?: Record<string, string>): string {
  const r = both(source, view, partials);
  if (r.handlebars instanceof Error) {
    expect(r.compiled, `Handlebars threw ${r.handlebars.message}`).toBeInstanceOf(Error);
    return 'threw';
  }
  expect(r.compiled).toBe(r.handlebars);
  expect(r.used[1]).toEqual(r.used[0]);
  return r.handlebars;
}

describe('compiled templates: each construct prints what Handlebars prints', () => {
  it('text, paths, this, triple stashes and values of every kind', () => {
    const view = { a: 'x', n: 0, t: true, f: false, nul: null, und: undefined, list: [1, 2], o: { b: { c: 'deep' } }, fn() { return `called on ${(this as { a: string }).a}`; } };
    expect(expectSame('{{a}}|{{{a}}}|{{n}}|{{t}}|{{f}}|{{nul}}|{{und}}|{{list}}|{{o.b.c}}|{{{o.b.c}}}|{{fn}}', view)).toBe('x|x|0|true|false|||1,2|deep|deep|called on x');
    expectSame('{{#each list}}<{{this}}>{{{this}}}{{/each}}', view);
  });

  it('strict mode: a printed path that is missing throws, in both', () => {
    expect(expectSame('{{missing}}', { a: 1 })).toBe('threw');
    expect(expectSame('{{o.missing}}', { o: {} })).toBe('threw');
    expect(expectSame('{{o.b.c}}', { o: {} })).toBe('threw');
    // Inherited properties are not the view's: present to `in`, undefined to the lookup.
    expectSame('[{{toString}}]', {});
    expectSame('[{{o.toString}}]', { o: {} });
  });

  it('if, unless and with, with and without else, on falsy, empty and zero values', () => {
    const values = [0, 1, '', 'x', [], [0], {}, null, undefined, false, true, () => 0, () => 'yes'];
    for (const v of values) {
      expectSame('{{#if v}}yes{{else}}no{{/if}}|{{#unless v}}u{{else}}nu{{/unless}}|{{#if v}}only{{/if}}', { v });
      expectSame('{{#with v}}in{{else}}out{{/with}}', { v });
    }
    expectSame('{{#with o}}{{b}} {{../top}}{{/with}}', { o: { b: 'inner' }, top: 'outer' });
    // A missing condition is undefined, not an error, as a helper's argument.
    expectSame('{{#if missing}}a{{else}}b{{/if}}{{#each missing}}c{{else}}d{{/each}}', {});
    expectSame('{{#if a}}A{{else if b}}B{{else}}C{{/if}}', { a: false, b: true });
  });

  it('each over lists, empty lists, iterables, objects and non-objects, with ../ and standalone lines', () => {
    const source = '{{#each items}}\n  - {{name}} of {{../owner}}\n{{else}}\nnone\n{{/each}}\n';
    for (const items of [[{ name: 'a' }, { name: 'b' }], [], new Set([{ name: 's' }]), new Map([['k', 1]]), { x: { name: 'ox' }, y: { name: 'oy' } }, 'text', 7, null]) {
      expectSame(source, { items, owner: 'me' });
    }
    expectSame('{{#each outer}}{{#each inner}}{{this}}{{../label}}{{../../root}};{{/each}}{{/each}}', { outer: [{ label: 'L1', inner: [1, 2] }, { label: 'L2', inner: [3] }], root: 'R' });
    expectSame('{{#each list}}{{this}}{{~/each}}  x  {{~ y ~}}  z', { list: ['a', 'b'], y: 'Y' });
  });

  it('the use and importLines helpers, inside blocks and partials, see the root view', () => {
    const partials = { part: '{{#each xs}}\n{{use "Deep"}} {{x}}\n{{/each}}\n' };
    expectSame('{{importLines}}\n{{use "A"}}{{#each list}}{{use "B"}}{{/each}}{{#with o}}{{use "C"}}{{/with}}\n{{> part}}\n  {{> part}}\nend', { tag: 'root', list: [1, 2], o: { tag: 'inner' }, xs: [{ x: 1 }, { x: 2 }] }, partials);
  });

  it('takes no construct it does not know: such a template is left to Handlebars', () => {
    for (const source of ['{{@index}}', '{{#each a as |x|}}{{x}}{{/each}}', '{{other "x"}}', '{{a key=1}}', '{{#custom a}}{{/custom}}', '{{> part x}}', '{{#if a b}}{{/if}}', '{{use (sub)}}']) {
      expect(() => compileTemplate(Handlebars.parse(source)), source).toThrow(Unsupported);
    }
  });

  it('every template in templates/ is compiled, none left to the Handlebars runtime', () => {
    for (const file of templateFiles(TEMPLATES)) expect(() => compileTemplate(Handlebars.parse(readFileSync(file, 'utf8'))), file).not.toThrow();
  });
});

describe('compiled templates: whole projects are byte-identical to Handlebars', () => {
  afterAll(() => usePrecompiledTemplates({}));
  const inputs = [join(REPO, 'examples/qovery/qovery-organization-api-token.yaml'), join(REPO, 'examples/harbour-crew/harbour-crew.yaml'), ...yamlFiles(join(REPO, 'test/fixtures/valid')), ...corpusFiles()];

  it(`the examples, the valid fixtures and the corpus (${inputs.length} capabilities)`, () => {
    const fast = compiledTemplates();
    let projects = 0;
    for (const file of inputs) {
      const { model } = validateText(file, readFileSync(file, 'utf8'));
      if (!model) continue;
      usePrecompiledTemplates({});
      const reference = [...emitProject(model), ...emitUserFiles(model)];
      usePrecompiledTemplates(fast);
      const compiled = [...emitProject(model), ...emitUserFiles(model)];
      expect(compiled.map(([p]) => p), file).toEqual(reference.map(([p]) => p));
      for (let i = 0; i < reference.length; i++) expect(compiled[i]![1], `${file}: ${reference[i]![0]}`).toBe(reference[i]![1]);
      projects++;
    }
    expect(projects).toBeGreaterThanOrEqual(4);
  });
});
