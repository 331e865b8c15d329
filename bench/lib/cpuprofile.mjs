// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per code area.
import { readFileSync } from 'node:fs';

function area(url, name) {
  if (name === '(garbage collector)' || name === '(idle)' || name === '(program)' || name === '(root)') return name;
  if (!url) return '(native/builtin)';
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/node_modules/')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return m ? m[1] : 'node_modules';
  }
  if (url.includes('/dist/runtime/')) return 'generated runtime/';
  if (url.includes('/dist/')) return 'generated code';
  return url;
}

export function summarizeProfile(file, top = 15) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fns = new Map();
  const areas = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const short = url ? url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/') : '';
    const key = `${name} ${short}${short ? `:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const a = area(url, name);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ name: k, selfMs: us / 1000, pct: (100 * us) / total }));
  return { busyMs: total / 1000, idleMs: idle / 1000, topFunctions: rank(fns).slice(0, top), areas: rank(areas).slice(0, 12) };
}
