/**
 * What a generated project needs beyond the base runtime, from what its capability uses: extra npm
 * packages (a YAML parser for YAML secrets, a parser per response format) and extra runtime modules.
 * A project imports a parser only when its capability uses that format.
 */
import type { CapabilityModel } from '../../model/types.js';
import { formatSupport } from './response-formats.js';
import { consumedOperations } from '../../model/walk.js';

export interface RuntimeNeeds {
  /** npm packages, by name; versions come from the generator's package.json. */
  packages: string[];
  /** Modules of templates/runtime/ beyond the base ones, without extension. */
  modules: string[];
}

export function runtimeNeeds(model: CapabilityModel): RuntimeNeeds {
  const packages = new Set<string>();
  const modules = new Set<string>();
  for (const op of consumedOperations(model)) {
    const f = formatSupport(op.outputFormat);
    if (f) {
      packages.add(f.npm);
      modules.add(f.module);
    }
  }
  for (const api of model.consumes) {
    if (api.authentication?.kind === 'digest') modules.add('auth-digest');
    if (api.authentication?.kind === 'oauth2') modules.add('auth-oauth2');
  }
  if (model.rest.some((r) => r.forwards?.length)) modules.add('forward');
  if (model.secrets.some((s) => s.location !== undefined && /\.ya?ml$/i.test(s.location))) packages.add('yaml');
  return { packages: [...packages].sort(), modules: [...modules].sort() };
}
