/**
 * Handlebars, set up for code: no HTML escaping (view models escape for their own context), strict
 * (a missing field is an error, not an empty string), templates compiled once per process, or
 * precompiled by `npm run build` (scripts/precompile-templates.mjs) when their source is unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { ImportSet } from './code/imports.js';
import { TEMPLATE_RUNTIME, type TemplateHelpers } from './compile-template.js';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const compiled = new Map<string, Handlebars.TemplateDelegate>();
// Loaded on first use, so that `validate` does not pay for it; the compiler only when a template needs it.
let hbs: typeof Handlebars | undefined;
let hbsRuntime: typeof Handlebars | undefined;

export const TEMPLATE_OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true, knownHelpers: { use: true, importLines: true } } as const;

/** Where `{{importLines}}` stands until the whole file is printed and every `{{use}}` has registered its import. */
const IMPORT_LINES = '\u0000import-lines\u0000';

/**
 * `{{use "name"}}` prints a symbol and registers its import in the view's `imports` (an ImportSet);
 * `{{importLines}}` marks where the imports go, filled in once the file is printed.
 */
function withHelpers(env: typeof Handlebars): typeof Handlebars {
  env.registerHelper('use', (name: unknown, options: Handlebars.HelperOptions) => HELPERS.use(options.data?.root, name));
  env.registerHelper('importLines', () => IMPORT_LINES);
  return env;
}

/**
 * A template compiled at build time: a plain function (compile-template.ts) when the compiler takes the
 * template, otherwise Handlebars' own precompiled form.
 */
export type CompiledTemplate = (view: unknown, rt: typeof TEMPLATE_RUNTIME, helpers: TemplateHelpers, root: unknown) => string;
export type Precompiled = Record<string, { hash: string; render?: CompiledTemplate; spec?: Parameters<typeof Handlebars.template>[0] }>;

/** What the compiled functions call for `{{use}}`, `{{importLines}}` and `{{> partial}}`: the same as the Handlebars helpers. */
const HELPERS: TemplateHelpers = {
  use(root, name) {
    const imports = (root as { imports?: unknown } | undefined)?.imports;
    if (!(imports instanceof ImportSet)) throw new Error(`{{use ${String(name)}}} needs an ImportSet as the view's \`imports\``);
    imports.use(String(name));
    return name;
  },
  importLines: () => IMPORT_LINES,
  partial: (name, context, root) => load(`project/partials/${name}.hbs`)(context, { data: { root } }),
};
let precompiled: Precompiled | undefined;

function precompiledTemplates(): Precompiled {
  if (!precompiled) {
    try {
      precompiled = createRequire(import.meta.url)('../templates.precompiled.cjs') as Precompiled;
    } catch {
      precompiled = {};
    }
  }
  return precompiled;
}

/**
 * Tests: render from `templates` (as scripts/precompile-templates.mjs makes them) instead of dist's
 * precompiled file; `{}` renders every template with Handlebars itself.
 */
export function usePrecompiledTemplates(templates: Precompiled): void {
  precompiled = templates;
  compiled.clear();
}

/** The partials the templates print with `{{> name}}`, from templates/project/partials/. */
const PARTIALS = ['handler-constants'];

/** A template, precompiled by `npm run build` when its source is unchanged since, else compiled now. */
function load(template: string): Handlebars.TemplateDelegate {
  let t = compiled.get(template);
  if (!t) {
    const require = createRequire(import.meta.url);
    const source = readFileSync(new URL(template, TEMPLATE_DIR), 'utf8');
    const ready = precompiledTemplates()[template];
    const current = ready && ready.hash === createHash('sha256').update(source).digest('hex');
    if (current && ready.render) {
      const fn = ready.render;
      t = (view: unknown, options?: Handlebars.RuntimeOptions) => fn(view, TEMPLATE_RUNTIME, HELPERS, (options?.data as { root?: unknown } | undefined)?.root ?? view);
    } else if (current && ready.spec) {
      hbsRuntime ??= withPartials(withHelpers((require('handlebars/runtime') as typeof Handlebars).create()));
      t = hbsRuntime.template(ready.spec);
    } else {
      hbs ??= withPartials(withHelpers((require('handlebars') as typeof Handlebars).create()));
      t = hbs.compile(source, TEMPLATE_OPTIONS);
    }
    compiled.set(template, t);
  }
  return t;
}

/** Partials are loaded like templates, on first use of either Handlebars environment (both share the helpers). */
function withPartials(env: typeof Handlebars): typeof Handlebars {
  for (const name of PARTIALS) env.registerPartial(name, ((context: unknown, options?: Handlebars.RuntimeOptions) => load(`project/partials/${name}.hbs`)(context, options)) as Handlebars.TemplateDelegate);
  return env;
}

export function render(template: string, view: object): string {
  const t = load(template);
  const text = t(view);
  const imports = (view as { imports?: unknown }).imports;
  if (!(imports instanceof ImportSet)) return text;
  const lines = imports.lines();
  return text.replace(lines.length ? IMPORT_LINES : `${IMPORT_LINES}\n`, lines.join('\n'));
}

/** A static file from templates/ (the runtime modules), read once. */
const statics = new Map<string, string>();
export function staticFile(path: string): string {
  let text = statics.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(path, TEMPLATE_DIR), 'utf8');
    statics.set(path, text);
  }
  return text;
}
