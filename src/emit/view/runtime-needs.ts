/**
 * The npm packages a generated project needs beyond the base ones, from what its capability uses (a
 * YAML parser for YAML secrets, a parser per response format): a project depends on a parser only
 * when its capability uses that format. Runtime modules are found from the imports (runtime-files.ts).
 */
import type { CapabilityModel } from '../../model/types.js';
import { consumedOperations } from '../../model/walk.js';
import { formatSupport } from './response-formats.js';

export interface RuntimeNeeds {
  /** npm packages, by name; versions come from the generator's package.json. */
  packages: string[];
}

export function runtimeNeeds(model: CapabilityModel): RuntimeNeeds {
  const packages = new Set<string>();
  for (const op of consumedOperations(model)) {
    const f = formatSupport(op.outputFormat);
    if (f) packages.add(f.npm);
  }
  if (model.secrets.some((s) => s.location !== undefined && /\.ya?ml$/i.test(s.location))) packages.add('yaml');
  return { packages: [...packages].sort() };
}
