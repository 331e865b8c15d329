/**
 * Handlebars, set up for code: no HTML escaping (view models escape for their own context), strict
 * (a missing field is an error, not an empty string), templates compiled once per process.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function render(template: string, view: object): string {
  let t = compiled.get(template);
  if (!t) {
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
