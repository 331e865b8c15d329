/**
 * Constructs of the ikanos versions that naftiko-gen does not generate (yet), or generates with a caveat:
 * each gets a finding at its place, so that nothing is dropped silently. A tunnel that must not be bypassed is an error: the
 * generated server would reach the API over the open network instead.
 */
import { allConsumes, allExposes } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const laterConstructs: CrossCheck = {
  rules: ['tunnel-unsupported', 'binary-resource-mapped'],
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
        // The adapter's `maxBinarySize` caps the binary answers of the operations it calls (model/binary-caps.ts).
        (Array.isArray(e.resources) ? e.resources : []).forEach((r, i) => {
          // A binary resource serves the bytes of its call, or of its last step's call; mapped values are JSON text.
          if (isObj(r) && r.binary === true && r.call === undefined && Array.isArray(r.mappings) && r.mappings.length > 0) {
            out.push({
              rule: 'binary-resource-mapped',
              severity: 'warning',
              path: [...path, 'resources', i, 'binary'],
              atKey: true,
              message: '`binary: true` on a resource whose steps map their answers: the mapped object is JSON, served as text; only a read where no mapping gives a value serves the last call\'s bytes as a blob.',
              hint: 'Remove `mappings` to serve the last step\'s bytes, or `binary: true` to serve the mapped JSON.',
            });
          }
        });
      }
      // REST: `maxBinarySize` is generated as for MCP adapters; `responseBinary` and a 2xx `responses` entry with
      // binary content are generated (the bytes go out with that media type); `responses` without binary content
      // only describes answers, which the server sends as it does anyway.
    }
    return out;
  },
};
