/**
 * Handlebars, set up for code: no HTML escaping (view models escape for their own context), strict
 * (a missing field is an error, not an empty string), templates compiled once per process, or
 * precompiled by `npm run build` (scripts/precompile-templates.mjs) when their source is unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const compiled = new Map<string, Handlebars.TemplateDelegate>();
// Loaded on first use, so that `validate` does not pay for it; the compiler only when a template needs it.
let hbs: typeof Handlebars | undefined;
let hbsRuntime: typeof Handlebars | undefined;

export const TEMPLATE_OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true } as const;

type Precompiled = Record<string, { hash: string; spec: Parameters<typeof Handlebars.template>[0] }>;
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

export function render(template: string, view: object): string {
  let t = compiled.get(template);
  if (!t) {
    const require = createRequire(import.meta.url);
    const source = readFileSync(new URL(template, TEMPLATE_DIR), 'utf8');
    const ready = precompiledTemplates()[template];
    if (ready && ready.hash === createHash('sha256').update(source).digest('hex')) {
      hbsRuntime ??= (require('handlebars/runtime') as typeof Handlebars).create();
      t = hbsRuntime.template(ready.spec);
    } else {
      hbs ??= (require('handlebars') as typeof Handlebars).create();
      t = hbs.compile(source, TEMPLATE_OPTIONS);
    }
    compiled.set(template, t);
  }
  return t(view);
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
