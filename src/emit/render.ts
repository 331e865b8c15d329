/**
 * Handlebars, set up for code: no HTML escaping (view models escape for their own context), strict
 * (a missing field is an error, not an empty string), templates compiled once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const compiled = new Map<string, Handlebars.TemplateDelegate>();
// Loaded on first use, so that `validate` does not pay for it.
let hbs: typeof Handlebars | undefined;

export function render(template: string, view: object): string {
  let t = compiled.get(template);
  if (!t) {
    hbs ??= (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
    t = hbs.compile(readFileSync(new URL(template, TEMPLATE_DIR), 'utf8'), { noEscape: true, strict: true, knownHelpersOnly: true });
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
