/**
 * Names of the module-level constants of an adapter file, after the operation or tool they serve:
 * `listOrganizationApiTokensInput`, `...Output`, `...Mock`, `...Steps`, `...Mappings`, `...Script1`.
 */
import { camelCase, IdentifierScope } from '../../names/identifiers.js';

const SUFFIXES = ['Input', 'Output', 'Mock', 'Steps', 'Mappings', 'Script'];
/** Names imported into adapter files that a base and a suffix could spell (`check` + `Input`). */
const IMPORTED = ['checkInput'];

/** One base per name, unique in the file (`_2` for a second one that gives the same identifier). */
export function constantBases(names: readonly string[]): string[] {
  const reserved = IMPORTED.flatMap((r) => SUFFIXES.filter((s) => r.endsWith(s)).map((s) => r.slice(0, -s.length)));
  const scope = new IdentifierScope(reserved);
  return names.map((name, i) => scope.claim(`${i}\u0000${name}`, () => camelCase(name)));
}
