/**
 * Reads a document of any version into the one raw shape the model is built from (the shape of
 * naftiko 1.0.0-alpha2: lists of items carrying `name`, `label`, aggregate `functions`, step mappings
 * with `targetName`). The ikanos versions key those items by name in maps, say `display`, `flows` and
 * `target`; everything else is the same. Nothing downstream of this file knows which version it read.
 *
 * Findings are reported against the file the user wrote, so the normaliser also answers, for any path
 * in the raw shape, where that value is in the source (`sourcePath`).
 */
import type { PathSegment } from '../../load/json-pointer.js';
import type { RawDocument } from '../raw.js';
import type { SpecVersion } from '../../validate/versions.js';

type Json = unknown;
type Obj = Record<string, unknown>;

export interface SourceLocation {
  path: PathSegment[];
  /** The value is a key of the source (a name that became a map key): point at the key. */
  atKey: boolean;
}

export interface NormalisedDocument {
  raw: RawDocument;
  /** Where the value at `rawPath` of `raw` was written in the source document. */
  sourcePath(rawPath: readonly PathSegment[]): SourceLocation;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Raw key -> source key, for the keys a version renamed. */
const RENAMED: Record<string, string> = { label: 'display', functions: 'flows', targetName: 'target' };

class Reader {
  /** Source path of every container of the raw document. */
  readonly origin = new WeakMap<object, PathSegment[]>();
  /** Items that were map entries: their `name` is the key in the source. */
  readonly keyedItems = new WeakSet<object>();

  track<T extends object>(raw: T, path: PathSegment[]): T {
    this.origin.set(raw, path);
    return raw;
  }

  /** A map keyed by name (ikanos) or a list (alpha2, or a mapped output list) to a list of named items. */
  list(value: Json, path: PathSegment[], item: (v: Obj, p: PathSegment[]) => Obj): Obj[] | undefined {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return this.track(value.map((v, i) => (isObj(v) ? item(v, [...path, i]) : (v as Obj))), path);
    if (!isObj(value)) return value as never;
    const out = Object.entries(value).map(([name, v]) => {
      const p = [...path, name];
      const converted = isObj(v) ? item(v, p) : this.track({}, p);
      const named = this.track({ name, ...converted }, p);
      this.keyedItems.add(named);
      return named;
    });
    return this.track(out, path);
  }

  /** A plain object, with `display` read as `label` and each listed child converted. */
  obj(value: Obj, path: PathSegment[], children: Record<string, (v: Json, p: PathSegment[]) => Json> = {}): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k === 'display' ? 'label' : k;
      const conv = children[k];
      out[key] = conv ? conv(v, [...path, k]) : v;
    }
    return this.track(out, path);
  }
}

export function normaliseDocument(version: SpecVersion, data: Obj): NormalisedDocument {
  const r = new Reader();
  const raw = version.keyed ? readIkanos(r, data) : (data as unknown as RawDocument);
  if (!version.keyed) return { raw, sourcePath: (p) => ({ path: [...p], atKey: false }) };

  const sourcePath = (rawPath: readonly PathSegment[]): SourceLocation => {
    let node: unknown = raw;
    let at: PathSegment[] = [];
    for (let i = 0; i < rawPath.length; i++) {
      const seg = rawPath[i]!;
      const parent = node as Obj | unknown[];
      const child = (parent as Record<string | number, unknown>)[seg as never];
      if (typeof child === 'object' && child !== null && r.origin.has(child)) {
        at = r.origin.get(child)!;
        node = child;
        continue;
      }
      // A scalar (or an untracked value): its own key under its parent, renamed back to the source's word.
      const base = r.origin.get(parent as object) ?? at;
      if (seg === 'name' && r.keyedItems.has(parent as object)) return { path: base, atKey: true };
      const rest = rawPath.slice(i + 1);
      return { path: [...base, typeof seg === 'string' ? (RENAMED[seg] ?? seg) : seg, ...rest], atKey: false };
    }
    return { path: at, atKey: false };
  };
  return { raw, sourcePath };
}

// ---------------------------------------------------------------------------------------------------------

function readIkanos(r: Reader, data: Obj): RawDocument {
  const consumesList = (v: Json, p: PathSegment[]) => r.list(v, p, (c, cp) => consumes(r, c, cp));
  const out = r.obj(data, [], {
    info: (v, p) => (isObj(v) ? r.obj(v, p) : v),
    consumes: consumesList,
    exposes: (v, p) => r.list(v, p, (e, ep) => exposes(r, e, ep)),
    aggregates: (v, p) => r.list(v, p, (a, ap) => aggregate(r, a, ap)),
    capability: (v, p) =>
      isObj(v)
        ? r.obj(v, p, {
            consumes: consumesList,
            exposes: (x, xp) => r.list(x, xp, (e, ep) => exposes(r, e, ep)),
            aggregates: (x, xp) => r.list(x, xp, (a, ap) => aggregate(r, a, ap)),
          })
        : v,
  });
  const { ikanos, ...rest } = out;
  const doc = r.track({ naftiko: String(ikanos), ...rest }, []);
  return doc as unknown as RawDocument;
}

/** An import entry (`from`, `import`, `as`) stays as it is; the import resolver replaces it. */
const isImport = (v: Obj): boolean => 'from' in v;

function params(r: Reader) {
  return (v: Json, p: PathSegment[]) => r.list(v, p, (x, xp) => r.obj(x, xp));
}

function consumes(r: Reader, c: Obj, p: PathSegment[]): Obj {
  if (isImport(c)) return r.obj(c, p);
  return r.obj(c, p, {
    inputParameters: params(r),
    resources: (v, vp) =>
      r.list(v, vp, (res, rp) =>
        r.obj(res, rp, {
          inputParameters: params(r),
          operations: (o, op) =>
            r.list(o, op, (x, xp) =>
              r.obj(x, xp, { inputParameters: params(r), outputParameters: (out, outp) => outputs(r, out, outp), mappings: (m, mp) => mappings(r, m, mp) }),
            ),
        }),
      ),
  });
}

/** Outputs: a map keyed by name (orchestrated, mock, consumed) becomes a named list; mapped lists stay. */
function outputs(r: Reader, v: Json, p: PathSegment[]): Json {
  if (Array.isArray(v)) return r.track(v.map((x, i) => (isObj(x) ? output(r, x, [...p, i]) : x)), p);
  // With `ref`, the schema leaves outputParameters free; a scalar there declares no output.
  if (!isObj(v)) return v === undefined ? v : r.track([], p);
  return r.list(v, p, (x, xp) => output(r, x, xp));
}

function output(r: Reader, o: Obj, p: PathSegment[]): Obj {
  return r.obj(o, p, {
    // An orchestrated array lists its item fields in a map; a mapped array has one item schema.
    items: (v, vp) => (isObj(v) && typeof v.type !== 'string' ? outputs(r, v, vp) : isObj(v) ? output(r, v, vp) : v),
    properties: (v, vp) => (isObj(v) ? r.track(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObj(x) ? output(r, x, [...vp, k]) : x])), vp) : v),
  });
}

function mappings(r: Reader, v: Json, p: PathSegment[]): Json {
  if (!Array.isArray(v)) return v;
  return r.track(
    v.map((m, i) => {
      if (!isObj(m)) return m;
      const { target, ...rest } = m;
      return r.track({ ...(target !== undefined ? { targetName: target } : {}), ...rest }, [...p, i]);
    }),
    p,
  );
}

function steps(r: Reader, v: Json, p: PathSegment[]): Json {
  return r.list(v, p, (s, sp) => r.obj(s, sp, { mappings: (m, mp) => mappings(r, m, mp) }));
}

/** What operations, tools, resources and flows share: inputs, steps, mappings, outputs. */
function unit(r: Reader, u: Obj, p: PathSegment[]): Obj {
  return r.obj(u, p, {
    inputParameters: params(r),
    steps: (v, vp) => steps(r, v, vp),
    mappings: (v, vp) => mappings(r, v, vp),
    outputParameters: (v, vp) => outputs(r, v, vp),
  });
}

function exposes(r: Reader, e: Obj, p: PathSegment[]): Obj {
  if (isImport(e)) return r.obj(e, p);
  return r.obj(e, p, {
    resources: (v, vp) =>
      e.type === 'rest'
        ? r.list(v, vp, (res, rp) =>
            r.obj(res, rp, { inputParameters: params(r), operations: (o, op) => r.list(o, op, (x, xp) => unit(r, x, xp)) }),
          )
        : r.list(v, vp, (x, xp) => unit(r, x, xp)),
    tools: (v, vp) => r.list(v, vp, (x, xp) => unit(r, x, xp)),
    prompts: (v, vp) => r.list(v, vp, (x, xp) => r.obj(x, xp, { arguments: params(r) })),
    skills: (v, vp) => r.list(v, vp, (x, xp) => r.obj(x, xp, { tools: (t, tp) => r.list(t, tp, (y, yp) => r.obj(y, yp)) })),
  });
}

function aggregate(r: Reader, a: Obj, p: PathSegment[]): Obj {
  if (isImport(a)) return r.obj(a, p);
  const out = r.obj(a, p, { flows: (v, vp) => r.list(v, vp, (x, xp) => unit(r, x, xp)) });
  if ('flows' in out) {
    const { flows, ...rest } = out;
    return r.track({ ...rest, functions: flows }, p);
  }
  return out;
}
