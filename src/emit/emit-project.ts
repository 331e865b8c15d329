/**
 * Stage 4: the files of the generated project, in memory, keyed by path relative to the project
 * folder. Pure and deterministic: the same model gives the same bytes on every machine.
 */
import { readFileSync } from 'node:fs';
import type { CapabilityModel } from '../model/types.js';
import { lineComment } from '../names/escape.js';
import { consumesView } from './view/consumes-view.js';
import { tsHeader } from './view/header.js';
import { mcpView } from './view/mcp-view.js';
import { nameProject } from './view/naming.js';
import { apisView, configView, mainView, packageJson, readmeView, stdioView, tsconfigJson } from './view/project-view.js';
import { restView } from './view/rest-view.js';
import { render, staticFile } from './render.js';

export type ProjectFiles = Map<string, string>;

/** The generator's own package.json pins every package the generated code needs: one source of versions. */
let versions: Record<string, string> | undefined;
function runtimeVersions(): Record<string, string> {
  if (!versions) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    versions = { ...pkg.dependencies, ...pkg.devDependencies };
  }
  return versions;
}

const RUNTIME_MODULES = ['config', 'hooks', 'inputs', 'output', 'server', 'upstream'] as const;

export function emitProject(model: CapabilityModel): ProjectFiles {
  const names = nameProject(model);
  const files: ProjectFiles = new Map();
  const header = tsHeader(model.sourceName);
  const runtime = [...RUNTIME_MODULES, ...(names.rest.length ? ['rest'] : []), ...(names.mcp.length ? ['mcp', 'mcp-dispatch'] : [])];
  for (const m of runtime) files.set(`src/runtime/${m}.ts`, `${header}\n${staticFile(`runtime/${m}.ts`)}`);

  files.set('package.json', packageJson(model, names, runtimeVersions()));
  files.set('tsconfig.json', tsconfigJson(model));
  files.set('README.md', render('project/README.md.hbs', readmeView(model, names)));
  files.set('src/config.ts', render('project/src/config.ts.hbs', configView(model, names)));
  files.set('src/apis.ts', render('project/src/apis.ts.hbs', apisView(model, names)));
  files.set('src/main.ts', render('project/src/main.ts.hbs', mainView(model, names)));
  if (names.mcp.length) files.set('src/stdio.ts', render('project/src/stdio.ts.hbs', stdioView(model, names)));
  for (const api of names.apis) files.set(`src/${api.module}.ts`, render('project/src/consumes-api.ts.hbs', consumesView(api, model.sourceName)));
  for (const rest of names.rest) files.set(`src/${rest.module}.ts`, render('project/src/rest-adapter.ts.hbs', restView(rest, names, model.sourceName)));
  for (const mcp of names.mcp) files.set(`src/${mcp.module}.ts`, render('project/src/mcp-adapter.ts.hbs', mcpView(mcp, names, model.sourceName)));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Files that belong to the user once created: written when missing, never overwritten or deleted.
 * The generated code imports them, so they exist from the first build on.
 */
export function emitUserFiles(model: CapabilityModel): ProjectFiles {
  const example = model.consumes[0]?.operations[0]?.name ?? 'operation-name';
  return new Map([['src/hooks.ts', render('project/user/hooks.ts.hbs', { sourceName: lineComment(model.sourceName), exampleOperation: lineComment(example).replace(/'/g, '') })]]);
}
