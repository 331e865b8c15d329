/** YAML answers as JSON. */
import { parse } from 'yaml';

export function fromYaml(text: string): unknown {
  return parse(text, { maxAliasCount: 1000 });
}
