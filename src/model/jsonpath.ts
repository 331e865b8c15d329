/**
 * JSONPath expressions from output mappings, compiled at generation time into the steps the
 * generated runtime walks (`select` in runtime/output.ts). Supported: `$`, `$.`, `.name`, `['name']`,
 * `[0]`, `[-1]`, `[*]`, `.*`. Anything else is reported and maps to nothing.
 */
import type { PathStep } from '../../templates/runtime/shapes.js';

export type { PathStep };

export function compileJsonPath(path: string): PathStep[] | undefined {
  const src = path.trim();
  if (!src.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  let i = 1;
  if (src === '$.') return steps; // `$` alone: the loop below does not run
  while (i < src.length) {
    const ch = src.charAt(i);
    if (ch === '.') {
      if (src.charAt(i + 1) === '.') return undefined; // deep scan is not supported
      const m = /^[^.[\]]+/.exec(src.slice(i + 1));
      if (!m) return undefined;
      steps.push(m[0] === '*' ? { all: true } : m[0]);
      i += 1 + m[0].length;
    } else if (ch === '[') {
      const rest = src.slice(i);
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(rest);
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      const star = /^\[\s*\*\s*\]/.exec(rest);
      if (quoted) {
        steps.push(quoted[2]!.replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (star) {
        steps.push({ all: true });
        i += star[0].length;
      } else return undefined;
    } else return undefined;
  }
  return steps;
}
