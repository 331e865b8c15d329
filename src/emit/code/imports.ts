/** Managed imports for one generated file: added as code needs them, printed sorted and merged. */
import { LINE_WIDTH } from './layout.js';
import { SYMBOLS, type SymbolName } from './symbols.js';

export class ImportSet {
  private readonly named = new Map<string, Map<string, boolean>>();

  /** `src` is the way from the file's folder to the project's `src/`: `./` or `../`. */
  constructor(private readonly src: './' | '../' = '../') {}

  /** Registers the import of a symbol a template prints (src/emit/code/symbols.ts says where it lives). */
  use(name: string): this {
    const symbol = SYMBOLS[name as SymbolName];
    if (!symbol) throw new Error(`No import known for the symbol \`${name}\`: add it to src/emit/code/symbols.ts.`);
    const from = symbol.from.startsWith('./') ? this.src + symbol.from.slice(2) : symbol.from;
    return this.add(from, name, { type: 'type' in symbol && symbol.type });
  }

  /** `add('./runtime/rest.js', 'createRestServer')`; type-only imports are marked with `type: true`. */
  add(from: string, name: string, options: { type?: boolean } = {}): this {
    const names = this.named.get(from) ?? new Map<string, boolean>();
    // A name imported both as a type and as a value is imported as a value.
    names.set(name, (names.get(name) ?? true) && options.type === true);
    this.named.set(from, names);
    return this;
  }

  /** The import lines: packages first, then relative paths, each sorted. */
  lines(): string[] {
    const froms = [...this.named.keys()].sort((a, b) => {
      const ra = a.startsWith('.') ? 1 : 0;
      const rb = b.startsWith('.') ? 1 : 0;
      return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
    });
    return froms.map((from) => {
      const names = [...this.named.get(from)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const allTypes = names.every(([, t]) => t);
      const list = names.map(([n, t]) => (t && !allTypes ? `type ${n}` : n)).join(', ');
      const line = `import ${allTypes ? 'type ' : ''}{ ${list} } from '${from}';`;
      if (line.length <= LINE_WIDTH) return line;
      // A long import: one name per line.
      const each = names.map(([n, t]) => `  ${t && !allTypes ? `type ${n}` : n},`).join('\n');
      return `import ${allTypes ? 'type ' : ''}{\n${each}\n} from '${from}';`;
    });
  }
}
