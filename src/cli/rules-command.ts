/** `naftiko-gen rules [--format text|json]`: every rule id a finding can carry, from the one registry. */
import { RULES, severityText } from '../validate/rule-registry.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { Output } from './output.js';

export function runRules(options: { format?: string }, io: Output): number {
  const format = options.format ?? 'text';
  if (format === 'json') {
    io.out(JSON.stringify(RULES.map((r) => ({ id: r.id, severities: r.severities, severityNote: r.severityNote ?? null, summary: r.summary })), null, 2));
    return EXIT_OK;
  }
  if (format !== 'text') {
    io.err(`naftiko-gen: unknown format "${format}"; use text or json.`);
    return EXIT_USAGE;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) io.out(`${r.id.padEnd(width)}  ${severityText(r)}: ${r.summary}`);
  return EXIT_OK;
}
