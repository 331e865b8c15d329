import { allExposes } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/** Two adapters of one capability cannot listen on the same port (unless bound to different addresses). */
export const portsDistinct: CrossCheck = {
  rules: ['port-conflict'],
  check(doc) {
    const out: Note[] = [];
    const seen: Array<{ port: number; address: string | undefined; namespace: string }> = [];
    for (const { entry, path } of allExposes(doc)) {
      const port = entry.port;
      if (typeof port !== 'number' || ('transport' in entry && entry.transport === 'stdio')) continue;
      const address = typeof entry.address === 'string' ? entry.address : undefined;
      const clash = seen.find((s) => s.port === port && (s.address === undefined || address === undefined || s.address === address));
      if (clash) {
        out.push({
          rule: 'port-conflict',
          severity: 'error',
          path: [...path, 'port'],
          message: `Port ${port} is already used by the adapter \`${clash.namespace}\`; both cannot listen on it.`,
          hint: `Choose another port, e.g. ${port + 1}.`,
        });
      }
      seen.push({ port, address, namespace: String(entry.namespace ?? entry.type) });
    }
    return out;
  },
};
