// Where a CLI run spends its CPU: one summary per thread's .cpuprofile (node --cpu-prof writes one file per
// thread: the main thread, the writer thread, worker threads). Self time per area (our bundle, each package,
// node core, GC) and the inclusive time of the pipeline's stages, found by function name (the bundle keeps names).
import { readFileSync } from 'node:fs';

/** The stages of a build or validate run, in pipeline order. */
export const STAGES = [
  ['main', 'main() up to its first await (arguments, config)'],
  ['upToDate', 'build stamp check (no-op build)'],
  ['runJob', 'validate + generate one capability'],
  ['runFileJob', 'read + validate one file'],
  ['parseCapabilityText', 'YAML parse with positions'],
  ['validateText', 'validation (parse, schema, model, cross-checks)'],
  ['buildModel', 'model'],
  ['emitProject', 'emission (views and templates)'],
  ['render', 'template rendering'],
  ['postMessage', 'handing a project to the writer thread'],
  ['writeProject', 'writing a project (staged, renamed)'],
  ['outputHash', 'hash of the written files'],
];

function area(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `dist/${dist[1]}`;
  return url.replace(/^file:\/\/.*\//, '');
}

export function summarizeCliProfile(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const areas = new Map();
  const stages = new Map();
  const wanted = new Set(STAGES.map(([name]) => name));
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id).callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    // Inclusive: every stage on the sample's stack, once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (wanted.has(name) && !seen.has(name)) {
        seen.add(name);
        stages.set(name, (stages.get(name) ?? 0) + us);
      }
    }
  }
  return {
    busyMs: busy / 1000,
    areas: [...areas].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([name, us]) => ({ name, selfMs: us / 1000 })),
    stages: STAGES.filter(([name]) => stages.has(name)).map(([name, what]) => ({ name, what, inclusiveMs: stages.get(name) / 1000 })),
  };
}
