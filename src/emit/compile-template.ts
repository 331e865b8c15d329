/**
 * Compiles a Handlebars template into one plain JavaScript function, at naftiko-gen's own build time
 * (scripts/precompile-templates.mjs), so that rendering pays no template runtime: no container set up per
 * call, no wrapped helpers, no data frames per `{{#each}}` item. The templates in templates/ stay the
 * single source of the code's shape; this only reads their syntax tree (Handlebars.parse, whitespace
 * control applied) and prints what Handlebars' runtime would do with it, under the options render.ts
 * uses (noEscape, strict, knownHelpersOnly with `use` and `importLines`).
 *
 * Only the constructs the templates use are taken: text, `{{path}}`, `{{{path}}}`, `this`, `../`,
 * `{{#if}}`, `{{#unless}}`, `{{#each}}`, `{{#with}}` (each with `{{else}}`), `{{use "name"}}`,
 * `{{importLines}}` and `{{> partial}}`. Anything else throws Unsupported, and render.ts then renders
 * that template with Handlebars itself: never a different output, at worst the old speed.
 * test/perf-templates.test.ts renders every template both ways and compares the bytes.
 */

/** The syntax-tree nodes of Handlebars.parse that the compiler reads (a subset of hbs.AST). */
interface Node {
  type: string;
}
interface Program extends Node {
  body: Node[];
  blockParams?: string[];
}
interface PathExpression extends Node {
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
  this?: boolean;
}
interface Literal extends Node {
  value: unknown;
}
interface MustacheLike extends Node {
  path: Node;
  params: Node[];
  hash?: unknown;
}
interface BlockStatement extends MustacheLike {
  program?: Program;
  inverse?: Program;
}
interface PartialStatement extends Node {
  name: Node;
  params: Node[];
  hash?: unknown;
  indent?: string;
  partialBlock?: unknown;
}

export class Unsupported extends Error {}

/** The helpers render.ts registers; every other name in a mustache is a property of the view. */
const KNOWN_HELPERS = new Set(['use', 'importLines']);

/**
 * The run-time pieces the compiled functions share (render.ts passes them in as `rt`), each doing what
 * Handlebars' runtime does for the same construct under `strict`.
 */
export const TEMPLATE_RUNTIME = {
  /** A property as Handlebars' lookupProperty reads it: own properties only (inherited ones are undefined). */
  prop(parent: unknown, name: string): unknown {
    const value = (parent as Record<string, unknown>)[name];
    if (value == null) return value;
    return Object.hasOwn(parent as object, name) ? value : undefined;
  },
  /** The last part of a printed path, which strict mode requires to exist. */
  strict(parent: unknown, name: string): unknown {
    if (!parent || !(name in (parent as object))) throw new Error(`"${name}" not defined in ${String(parent)}`);
    return TEMPLATE_RUNTIME.prop(parent, name);
  },
  /** A function value is called with the context as `this` (Handlebars' lambdas). */
  lambda(value: unknown, context: unknown): unknown {
    return typeof value === 'function' ? (value as (this: unknown) => unknown).call(context) : value;
  },
  /** What `if` and `unless` take as false: a falsy value (0 included) or an empty list. */
  falsy(value: unknown): boolean {
    return !value || (Array.isArray(value) && value.length === 0);
  },
  /** Handlebars' isEmpty: what `with` takes as false (0 is not empty). */
  empty(value: unknown): boolean {
    return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
  },
  /** The items `{{#each}}` visits: a list's, an iterable's, or an object's values. */
  items(value: unknown): unknown[] {
    if (!value || typeof value !== 'object') return [];
    if (Array.isArray(value)) return value;
    if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return [...(value as Iterable<unknown>)];
    return Object.keys(value).map((k) => (value as Record<string, unknown>)[k]);
  },
  /** A standalone partial's lines get its indentation, as Handlebars gives them. */
  indent(text: string, indent: string): string {
    if (!indent) return text;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i] && i + 1 === lines.length) break;
      lines[i] = indent + lines[i];
    }
    return lines.join('\n');
  },
};

/** What a compiled template needs from render.ts besides TEMPLATE_RUNTIME: the two helpers and the partials. */
export interface TemplateHelpers {
  use(root: unknown, name: unknown): unknown;
  importLines(): unknown;
  partial(name: string, context: unknown, root: unknown): string;
}

/**
 * The body of `function (view, rt, helpers, root)` that renders `program` (a Handlebars.parse tree) as
 * the template would; `root` is the view the whole file is rendered from (`view` itself, except in a
 * partial). Throws Unsupported for a construct it does not take.
 */
export function compileTemplate(program: Program): string {
  let counter = 0;
  const fresh = (prefix: string): string => `${prefix}${counter++}`;
  /** `contexts[0]` is the current context's variable; `contexts[n]` the one `n` levels up (`../`). */
  const block = (p: Program | undefined, contexts: string[]): string => {
    if (!p) return '';
    if (p.blockParams?.length) throw new Unsupported('block parameters');
    return p.body.map((n) => statement(n, contexts)).join('');
  };
  const path = (p: PathExpression, contexts: string[], strictTerminal: boolean): string => {
    if (p.data) throw new Unsupported(`@data (${p.original})`);
    const context = contexts[p.depth];
    if (context === undefined) throw new Unsupported(`a path above the root (${p.original})`);
    if (p.parts.length === 0) return context;
    let expr = context;
    p.parts.forEach((part, i) => {
      const last = i === p.parts.length - 1;
      expr = `rt.${last && strictTerminal ? 'strict' : 'prop'}(${expr}, ${JSON.stringify(part)})`;
    });
    return expr;
  };
  const param = (n: Node, contexts: string[]): string => {
    switch (n.type) {
      case 'PathExpression':
        return path(n as PathExpression, contexts, false);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return JSON.stringify((n as Literal).value);
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      default:
        throw new Unsupported(n.type);
    }
  };
  const helperName = (m: MustacheLike): string | undefined => {
    const p = m.path as PathExpression;
    return p.type === 'PathExpression' && !p.data && p.depth === 0 && p.parts.length === 1 && !p.this ? p.parts[0] : undefined;
  };
  const append = (expr: string): string => `{ const v = ${expr}; if (v != null) out += v; }\n`;
  const statement = (n: Node, contexts: string[]): string => {
    switch (n.type) {
      case 'ContentStatement': {
        const value = (n as Literal).value as string;
        return value === '' ? '' : `out += ${JSON.stringify(value)};\n`;
      }
      case 'CommentStatement':
        return '';
      case 'MustacheStatement': {
        const m = n as MustacheLike;
        if (m.hash) throw new Unsupported('hash arguments');
        if (m.path.type !== 'PathExpression') throw new Unsupported(`a mustache on ${m.path.type}`);
        const name = helperName(m);
        if (name !== undefined && KNOWN_HELPERS.has(name)) {
          if (name === 'use') {
            if (m.params.length !== 1) throw new Unsupported('use with other than one argument');
            return append(`helpers.use(root, ${param(m.params[0]!, contexts)})`);
          }
          if (m.params.length !== 0) throw new Unsupported('importLines with arguments');
          return append('helpers.importLines()');
        }
        if (m.params.length) throw new Unsupported(`an unknown helper (${(m.path as PathExpression).original})`);
        return append(`rt.lambda(${path(m.path as PathExpression, contexts, true)}, ${contexts[0]})`);
      }
      case 'BlockStatement': {
        const b = n as BlockStatement;
        const name = helperName(b);
        if (b.hash) throw new Unsupported('hash arguments');
        if (b.params.length !== 1 || name === undefined) throw new Unsupported(`a block other than if, unless, each, with (${(b.path as PathExpression).original})`);
        const value = fresh('v');
        const head = `const ${value} = rt.lambda(${param(b.params[0]!, contexts)}, ${contexts[0]});\n`;
        switch (name) {
          case 'if':
          case 'unless': {
            const [yes, no] = name === 'if' ? [b.program, b.inverse] : [b.inverse, b.program];
            return `{ ${head}if (rt.falsy(${value})) {\n${block(no, contexts)}} else {\n${block(yes, contexts)}}\n}\n`;
          }
          case 'with': {
            const inner = fresh('c');
            return `{ ${head}if (!rt.empty(${value})) { const ${inner} = ${value};\n${block(b.program, [inner, ...contexts])}} else {\n${block(b.inverse, contexts)}}\n}\n`;
          }
          case 'each': {
            const list = fresh('l');
            const inner = fresh('c');
            return `{ ${head}const ${list} = rt.items(${value});\nif (${list}.length === 0) {\n${block(b.inverse, contexts)}} else for (const ${inner} of ${list}) {\n${block(b.program, [inner, ...contexts])}}\n}\n`;
          }
          default:
            throw new Unsupported(`the block helper ${name}`);
        }
      }
      case 'PartialStatement': {
        const p = n as PartialStatement;
        if (p.params.length || p.hash || p.name.type !== 'PathExpression') throw new Unsupported('a partial with arguments');
        const name = (p.name as PathExpression).original;
        return `out += rt.indent(helpers.partial(${JSON.stringify(name)}, ${contexts[0]}, root), ${JSON.stringify(p.indent ?? '')});\n`;
      }
      default:
        throw new Unsupported(n.type);
    }
  };
  return `let out = '';\n${block(program, ['view'])}return out;\n`;
}
