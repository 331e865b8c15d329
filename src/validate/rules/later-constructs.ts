/**
 * Constructs of the ikanos versions that naftiko-gen does not generate (yet): each gets a finding at its
 * place, so that nothing is dropped silently. A tunnel that must not be bypassed is an error: the
 * generated server would reach the API over the open network instead.
 */
import { allConsumes, allExposes } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
type Path = (string | number)[];

function notGenerated(path: Path, what: string, effect: string): Note {
  return { rule: 'construct-unsupported', severity: 'warning', path, atKey: true, message: `${what} is valid but not generated yet: ${effect}.` };
}

export const laterConstructs: CrossCheck = {
  rules: ['tunnel-unsupported', 'construct-unsupported'],
  check(doc) {
    const out: Note[] = [];
    for (const { entry, path } of allConsumes(doc)) {
      const tunnel = (entry as Obj).tunnel;
      if (isObj(tunnel)) {
        const direct = tunnel.fallback === 'direct';
        out.push({
          rule: 'tunnel-unsupported',
          severity: direct ? 'warning' : 'error',
          path: [...path, 'tunnel'],
          atKey: true,
          message: direct
            ? `naftiko-gen has no OpenZiti client: the generated server reaches \`${String(entry.namespace)}\` directly at its baseUri, as \`fallback: direct\` allows, never through the service \`${String(tunnel.service)}\`.`
            : `naftiko-gen has no OpenZiti client, so the generated server could only reach \`${String(entry.namespace)}\` directly, which this tunnel forbids (\`fallback: fail\`).`,
          hint: direct
            ? 'Run the server where the API is reachable, or through a Ziti tunneller (ziti-edge-tunnel) on the host.'
            : 'Set `fallback: direct` and run the server behind a Ziti tunneller (ziti-edge-tunnel) on the host, or use the engine.',
        });
      }
      // `outputRawFormat: binary`, `outputMediaType` and `maxBinarySize` of a consumed operation are generated.
    }
    for (const { entry, path } of allExposes(doc)) {
      const e = entry as Obj;
      if (e.type === 'mcp') {
        if ('maxBinarySize' in e) out.push(notGenerated([...path, 'maxBinarySize'], '`maxBinarySize`', 'it has no effect'));
        (Array.isArray(e.resources) ? e.resources : []).forEach((r, i) => {
          // A resource that calls an operation serves its bytes as a blob; one made by steps does not yet.
          if (isObj(r) && r.binary === true && r.call === undefined) out.push(notGenerated([...path, 'resources', i, 'binary'], '`binary: true` on a resource made by steps', 'the resource is not served as a blob'));
        });
      }
      if (e.type === 'rest') {
        if ('maxBinarySize' in e) out.push(notGenerated([...path, 'maxBinarySize'], '`maxBinarySize`', 'it has no effect'));
        // `responseBinary` and a 2xx `responses` entry with binary content are generated (the bytes go out with that
        // media type); `responses` without binary content only describes answers, which the server sends as it does anyway.

      }
    }
    return out;
  },
};
