/**
 * The runtime modules a project gets: those its generated files import, and what those import in
 * turn. Found from the imports as printed, so a construct that calls a new runtime function needs
 * no list to be kept in step with it.
 */
import { staticFile } from './render.js';

/** `from './runtime/x.js'` (src/) or `from '../runtime/x.js'` (src/<folder>/). */
const GENERATED_IMPORT = /from '\.{1,2}\/runtime\/([A-Za-z0-9-]+)\.js'/g;
/** `from './x.js'` inside a runtime module. */
const RUNTIME_IMPORT = /from '\.\/([A-Za-z0-9-]+)\.js'/g;
/** Types only, copied on its own as a .d.ts: not a module to copy as .ts. */
const SHAPES = 'shapes';

/** Each runtime module's own imports, read once per process. */
const graph = new Map<string, string[]>();

function importsOf(module: string): string[] {
  let found = graph.get(module);
  if (!found) {
    found = [...staticFile(`runtime/${module}.ts`).matchAll(RUNTIME_IMPORT)].map((m) => m[1]!).filter((m) => m !== SHAPES);
    graph.set(module, found);
  }
  return found;
}

/** The runtime modules (names without extension, sorted) that the given generated sources need. */
export function runtimeModules(sources: Iterable<string>): string[] {
  const needed = new Set<string>();
  const visit = (module: string): void => {
    if (module === SHAPES || needed.has(module)) return;
    needed.add(module);
    for (const next of importsOf(module)) visit(next);
  };
  for (const text of sources) for (const m of text.matchAll(GENERATED_IMPORT)) visit(m[1]!);
  return [...needed].sort();
}
