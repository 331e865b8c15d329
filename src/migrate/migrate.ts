/**
 * `naftiko-gen migrate`: rewrites a capability to a newer version, editing the YAML document in place
 * (the `yaml` package's Document API) so that comments, key order, quoting and flow style survive
 * wherever the structure allows. From the naftiko versions to ikanos the rewrite is structural:
 *
 *   naftiko: X            -> ikanos: <target>
 *   lists of named items  -> maps keyed by name (the item's comment moves to its key)
 *   label                 -> display
 *   aggregate functions   -> flows;  step mappings targetName -> target
 *   consumes location:    -> from:   (an import of a shared document)
 *
 * Between ikanos versions only the version changes: every later version adds constructs, none removes one.
 * Into ikanos, the relaxations that have an official form are rewritten into it (strict-forms.ts).
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Document, type Node, type Pair, type YAMLSeq } from 'yaml';
import { rewriteRelaxations } from './strict-forms.js';
import { findSpecVersion, NEWEST_VERSION, SPEC_VERSIONS, type SpecVersion } from '../validate/versions.js';

export type MigrateResult =
  /** `notes`: the relaxations rewritten into their official form, and those kept (they have none). */
  | { ok: true; from: SpecVersion; to: SpecVersion; text: string; changed: boolean; notes: string[] }
  | { ok: false; message: string; notCapability?: boolean };

const order = (v: SpecVersion): number => SPEC_VERSIONS.indexOf(v);

/** `strict`: also rewrite the relaxations whose official form costs a little (see strict-forms.ts), so the result validates under --strict. */
export function migrateText(text: string, to: SpecVersion = NEWEST_VERSION, options: { strict?: boolean } = {}): MigrateResult {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return { ok: false, message: `the YAML does not parse (${doc.errors[0]!.message.split('\n')[0]})` };
  if (!isMap(doc.contents)) return { ok: false, message: 'the document is not a mapping of keys' };
  const root = doc.contents;
  const key = root.has('ikanos') ? 'ikanos' : root.has('naftiko') ? 'naftiko' : undefined;
  if (!key) return { ok: false, message: 'the document has no `ikanos:` or `naftiko:` version', notCapability: !['info', 'capability', 'consumes', 'exposes', 'aggregates', 'binds'].some((k) => root.has(k)) };
  const from = findSpecVersion(root.get(key), key);
  if (!from) return { ok: false, message: `\`${key}: ${String(root.get(key))}\` is not a version naftiko-gen reads` };
  if (order(to) < order(from)) return { ok: false, message: `it is already at ${from.key} ${from.version}, newer than ${to.key} ${to.version}; migrate only goes forward` };
  if (from === to) return { ok: true, from, to, text, changed: false, notes: [] };

  if (!from.keyed && to.keyed) toIkanos(doc, root);
  const notes = to.keyed ? rewriteRelaxations(doc, root, options.strict === true) : [];
  setVersion(root, from.key, to);
  const out = withSchemaModeline(doc.toString(styleOf(text)), from, to);
  return { ok: true, from, to, text: out, changed: out !== text, notes };
}

/** An editor modeline naming the old version's schema file (as `init` writes it) names the new one's. */
function withSchemaModeline(text: string, from: SpecVersion, to: SpecVersion): string {
  const m = /^((?:#.*\n)*?# yaml-language-server: \$schema=(?:\S*\/)?)([^\s/]+)(\s*\n)/.exec(text);
  if (!m || m[2] !== from.schemaFile) return text;
  return `${m[1]}${to.schemaFile}${m[3]}${text.slice(m[0].length)}`;
}

/** Replaces the version key in place (same position, same comment), with the target's value. */
function setVersion(root: YAMLMap, key: string, to: SpecVersion): void {
  const pair = root.items.find((p) => keyOf(p) === key)!;
  const value = isScalar(pair.value) ? pair.value : new Scalar(to.version);
  value.value = to.version;
  if (key !== to.key) pair.key = renamedKey(pair.key, to.key);
  pair.value = value;
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : typeof p.key === 'string' ? p.key : undefined;
}

function renamedKey(old: unknown, name: string): Scalar {
  const k = new Scalar(name);
  if (isScalar(old)) {
    k.commentBefore = old.commentBefore;
    k.comment = old.comment;
    k.spaceBefore = old.spaceBefore;
  }
  return k;
}

function rename(map: unknown, from: string, to: string): void {
  if (!isMap(map)) return;
  for (const p of map.items) if (keyOf(p) === from) p.key = renamedKey(p.key, to);
}

/**
 * A list of maps that carry `name` becomes a map keyed by those names; anything else is left alone.
 * Where a name was optional (exposed REST resources and operations), `derive` makes one up.
 */
function keyByName(doc: Document, owner: unknown, prop: string, each?: (item: YAMLMap) => void, derive?: (item: YAMLMap) => string): void {
  if (!isMap(owner)) return;
  const seq = owner.get(prop, true) as Node | undefined;
  if (!isSeq(seq)) {
    if (isMap(seq) && each) for (const p of seq.items) if (isMap(p.value)) each(p.value);
    return;
  }
  const items = (seq as YAMLSeq).items;
  // An empty list declares nothing; an empty map is refused where a list could be empty (REST operations).
  if (items.length === 0) {
    owner.delete(prop);
    return;
  }
  if (!items.every((i) => isMap(i) && (derive || isScalar((i as YAMLMap).get('name', true))))) return;
  const out = new YAMLMap();
  out.commentBefore = seq.commentBefore;
  out.comment = seq.comment;
  const used = new Set<string>();
  for (const item of items as YAMLMap[]) {
    const nameNode = item.get('name', true) as Scalar | undefined;
    item.delete('name');
    let name = nameNode ? String(nameNode.value) : derive!(item);
    for (let n = 2; !nameNode && used.has(name); n++) name = `${derive!(item)}-${n}`;
    used.add(name);
    const key = new Scalar(name);
    key.commentBefore = item.commentBefore ?? nameNode?.commentBefore;
    key.spaceBefore = item.spaceBefore;
    item.commentBefore = undefined;
    item.spaceBefore = undefined;
    if (each) each(item);
    out.items.push(doc.createPair(key, item) as Pair<unknown, unknown>);
  }
  owner.set(prop, out);
}

function toIkanos(doc: Document, root: YAMLMap): void {
  rename(root.get('info', true), 'label', 'display');
  const cap = root.get('capability', true);
  for (const owner of [root, cap]) {
    if (!isMap(owner)) continue;
    forEachItem(owner.get('consumes', true), (c) => consumes(doc, c));
    forEachItem(owner.get('exposes', true), (e) => exposes(doc, e));
    forEachItem(owner.get('aggregates', true), (a) => aggregate(doc, a));
    forEachItem(owner.get('binds', true), (b) => locationToFrom(b));
  }
}

function forEachItem(seq: unknown, run: (item: YAMLMap) => void): void {
  if (isSeq(seq)) for (const item of seq.items) if (isMap(item)) run(item);
}

function locationToFrom(item: YAMLMap): void {
  if (!item.has('import') || !item.has('location')) return;
  const loc = item.get('location', true);
  if (isScalar(loc) && typeof loc.value === 'string') loc.value = loc.value.replace(/^file:\/\/\/?(?=\.)/, '');
  rename(item, 'location', 'from');
}

const params = (doc: Document) => (owner: YAMLMap) => keyByName(doc, owner, 'inputParameters', (p) => rename(p, 'label', 'display'));

function consumes(doc: Document, c: YAMLMap): void {
  if (c.has('location')) return locationToFrom(c);
  params(doc)(c);
  keyByName(doc, c, 'resources', (res) => {
    rename(res, 'label', 'display');
    params(doc)(res);
    keyByName(doc, res, 'operations', (op) => {
      rename(op, 'label', 'display');
      params(doc)(op);
      keyByName(doc, op, 'outputParameters');
    });
  });
}

/** An exposed operation, tool, resource or flow. Outputs become maps where the unit runs steps or mocks. */
function unit(doc: Document, u: YAMLMap): void {
  rename(u, 'label', 'display');
  params(doc)(u);
  const orchestrated = u.has('steps') || (!u.has('call') && !u.has('ref'));
  keyByName(doc, u, 'steps', (s) => mappings(s));
  mappings(u);
  if (orchestrated) keyByName(doc, u, 'outputParameters', (o) => orchestratedOutput(doc, o));
}

function orchestratedOutput(doc: Document, o: YAMLMap): void {
  if (o.get('type') === 'array') keyByName(doc, o, 'items', (i) => orchestratedOutput(doc, i));
  const props = o.get('properties', true);
  if (!isMap(props)) return;
  // The fields of an object were already keyed by name; ikanos drops the `name` they repeated.
  for (const p of props.items) {
    if (!isMap(p.value)) continue;
    p.value.delete('name');
    orchestratedOutput(doc, p.value);
  }
}

function mappings(owner: YAMLMap): void {
  forEachItem(owner.get('mappings', true), (m) => rename(m, 'targetName', 'target'));
}

function exposes(doc: Document, e: YAMLMap): void {
  const type = e.get('type');
  if (type === 'rest') {
    keyByName(
      doc,
      e,
      'resources',
      (res) => {
        rename(res, 'label', 'display');
        params(doc)(res);
        keyByName(doc, res, 'operations', (op) => unit(doc, op), (op) => String(op.get('method') ?? 'get').toLowerCase());
      },
      (res) => slug(String(res.get('path') ?? 'resource')),
    );
  } else if (type === 'mcp') {
    keyByName(doc, e, 'tools', (t) => unit(doc, t));
    keyByName(doc, e, 'resources', (r) => unit(doc, r));
    keyByName(doc, e, 'prompts', (p) => {
      rename(p, 'label', 'display');
      keyByName(doc, p, 'arguments', (a) => rename(a, 'label', 'display'));
    });
  } else if (type === 'skill') {
    keyByName(doc, e, 'skills', (s) => keyByName(doc, s, 'tools'));
  }
}

function aggregate(doc: Document, a: YAMLMap): void {
  rename(a, 'label', 'display');
  keyByName(doc, a, 'functions', (f) => unit(doc, f));
  rename(a, 'functions', 'flows');
}

/** `/v1/orgs/{id}/tokens` -> `v1-orgs-id-tokens`: a name for a resource that had none. */
function slug(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'root';
}

/**
 * The printing options that reproduce the source's own style: whether list items are indented under
 * their key, and how wide folded strings were written (the longest line of the file).
 */
function styleOf(text: string): { indentSeq: boolean; lineWidth: number; flowCollectionPadding: boolean } {
  const compact = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
  const widest = text.split('\n').reduce((w, line) => Math.max(w, line.length), 0);
  return { indentSeq: !compact, lineWidth: Math.max(80, widest), flowCollectionPadding: /[[{] \S/.test(text) };
}
