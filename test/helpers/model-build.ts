/**
 * Builds the model of a small inline capability in process (no schema, no child process): what the
 * mutation-model tests need to run in milliseconds. Notes come back as `severity rule path` lines,
 * ` (key)` added when the finding points at the key; every note must say something (a message, and
 * a hint unless `noHint` lists its rule).
 */
import { parse } from 'yaml';
import { buildModel } from '../../src/model/build-model.js';
import { bindUnboundEnv } from '../../src/model/normalise/unbound-env.js';
import type { RawDocument } from '../../src/model/raw.js';
import type { CapabilityModel } from '../../src/model/types.js';
import type { Note } from '../../src/validate/finding.js';

/** `binds` of the bound secrets `TOKEN` (namespace `env`) and `SECRET` (namespace `vault`), for `cap`'s head. */
export const BOUND_TOKEN_AND_SECRET = `
binds:
  - namespace: env
    keys: { TOKEN: TOKEN }
  - namespace: vault
    keys: { SECRET: SECRET }`;

/** The first lines of a capability-level `consumes` list with one HTTP API `api` at https://api.test, up to its `resources:`. */
export const API_HEAD = ['consumes:', '  - type: http', '    namespace: api', '    baseUri: https://api.test', '    resources:'];

/** The lines of a skill adapter `s` on port 7000 in an `exposes` list: `adapter` lines (authentication, address) and `skills` items. */
export const skillAdapterLines = (skills: string[], adapter: string[] = []): string[] => [
  '- type: skill',
  '  namespace: s',
  '  port: 7000',
  ...adapter.map((l) => `  ${l}`),
  '  skills:',
  ...skills.map((l) => `    ${l}`),
];

/** Removes the common leading indentation of a template literal (and its first empty line). */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const pad = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(pad)).join('\n');
}

const indent = (text: string, by: number): string =>
  dedent(text)
    .split('\n')
    .map((l) => ' '.repeat(by) + l)
    .join('\n');

/** A naftiko 1.0.0-alpha2 document: `capability` is the YAML under `capability:`, `head` what goes before it (binds, info). */
export function cap(capability: string, head = ''): string {
  return `naftiko: 1.0.0-alpha2\n${head ? `${dedent(head)}\n` : ''}capability:\n${indent(capability, 2)}\n`;
}

/** A one-line rendering of a note: severity, rule, path, and whether it points at the key. */
export const noteLine = (n: Note): string => `${n.severity} ${n.rule} ${n.path.join('/')}${n.atKey ? ' (key)' : ''}`;

/** Rules whose notes carry no hint. */
const NO_HINT = new Set(['construct-unsupported']);

export interface Built {
  model: CapabilityModel;
  notes: string[];
  raw: Note[];
}

export function modelOf(yaml: string, dir = '.'): Built {
  const doc = parse(yaml) as RawDocument;
  bindUnboundEnv(doc);
  const { model, notes } = buildModel(doc, 'cap.yaml', dir);
  for (const n of notes) {
    if (!n.message) throw new Error(`${noteLine(n)}: empty message`);
    if (!NO_HINT.has(n.rule) && !n.hint) throw new Error(`${noteLine(n)}: no hint`);
  }
  return { model, notes: notes.map(noteLine), raw: notes };
}

/** The notes of a capability, as lines. */
export const notesOf = (yaml: string, dir = '.'): string[] => modelOf(yaml, dir).notes;
