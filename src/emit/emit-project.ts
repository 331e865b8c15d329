/**
 * Stage 4: the files of the generated project, in memory, keyed by path relative to the project
 * folder. Pure and deterministic: the same model gives the same bytes on every machine.
 */
import { readFileSync } from 'node:fs';
import type { CapabilityModel } from '../model/types.js';
import { handledItems } from '../model/walk.js';
import { lineComment } from '../names/escape.js';
import { consumesView } from './view/consumes-view.js';
import { argumentUses } from './code/expressions.js';
import { tsHeader } from './view/header.js';
import { mcpView } from './view/mcp-view.js';
import { nameProject, type ProjectNames } from './view/naming.js';
import { composeView, dockerfileView, envExampleView, hasHttpAdapter, kubernetesView, noticeView } from './view/deploy-view.js';
import { apisView, configView, mainView, packageJson, readmeView, stdioView, tsconfigJson } from './view/project-view.js';
import { restView } from './view/rest-view.js';
import { skillModuleView } from './view/skill-view.js';
import { openapiDocument, openapiFile, openapiModule, openapiModuleView } from './view/openapi-view.js';
import { runtimeModules } from './runtime-files.js';
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

/** The files around the code: environment, ignores, the prestart script, and the container and cluster files. */
function projectExtras(model: CapabilityModel, names: ProjectNames, readme: ReturnType<typeof readmeView>): Array<[string, string]> {
  const notice = noticeView(model);
  const extras: Array<[string, string]> = [
    ['.env.example', render('project/deploy/env.example.hbs', envExampleView(model, readme.settings))],
    ['.gitignore', render('project/deploy/gitignore.hbs', notice)],
    ['scripts/prestart.mjs', render('project/deploy/prestart.mjs.hbs', notice)],
  ];
  if (hasHttpAdapter(names)) {
    extras.push(
      ['.dockerignore', render('project/deploy/dockerignore.hbs', notice)],
      ['Dockerfile', render('project/deploy/Dockerfile.hbs', dockerfileView(model, names))],
      ['compose.yaml', render('project/deploy/compose.yaml.hbs', composeView(model, names))],
      ['kubernetes.yaml', render('project/deploy/kubernetes.yaml.hbs', kubernetesView(model, names))],
    );
  }
  return extras;
}

export interface EmitOptions {
  /** The capability's folder, relative to the project folder (posix separators): relative `binds` files are read from there. */
  capabilityDir?: string;
}

export function emitProject(model: CapabilityModel, options: EmitOptions = {}): ProjectFiles {
  const names = nameProject(model);
  const files: ProjectFiles = new Map();
  const header = tsHeader(model.sourceName);
  // The shapes the adapters and the runtime share (types only: nothing of it is emitted).
  files.set('src/runtime/shapes.d.ts', `${header}\n${staticFile('runtime/shapes.d.ts')}`);

  files.set('package.json', packageJson(model, names, runtimeVersions()));
  files.set('tsconfig.json', tsconfigJson(model));
  // The README's settings table is also the .env example's list: worked out once.
  const readme = readmeView(model, names);
  files.set('README.md', render('project/README.md.hbs', readme));
  files.set('src/config.ts', render('project/src/config.ts.hbs', configView(model, names, options.capabilityDir)));
  files.set('src/apis.ts', render('project/src/apis.ts.hbs', apisView(model, names)));
  files.set('src/main.ts', render('project/src/main.ts.hbs', mainView(model, names)));
  if (names.mcp.length) files.set('src/stdio.ts', render('project/src/stdio.ts.hbs', stdioView(model, names)));
  const items = handledItems(model);
  const uses = argumentUses(items);
  // The operations orchestration steps call: their arguments are known only at run time.
  const stepCalls = new Set(items.flatMap((i) => (i.handler.kind === 'steps' ? i.handler.steps.flatMap((s) => (s.kind === 'call' ? [s.operation] : [])) : [])));
  for (const api of names.apis) files.set(`src/${api.module}.ts`, render('project/src/consumes-api.ts.hbs', consumesView(api, model.sourceName, uses, stepCalls)));
  for (const rest of names.rest) {
    // The file for people and tools, and the same text in a module for the server to serve.
    const document = openapiDocument(model, rest);
    files.set(openapiFile(names.rest, rest), document);
    files.set(`src/${openapiModule(rest).module}.ts`, render('project/src/openapi.ts.hbs', openapiModuleView(model, rest, document)));
  }
  for (const [path, text] of projectExtras(model, names, readme)) files.set(path, text);
  for (const rest of names.rest) files.set(`src/${rest.module}.ts`, render('project/src/rest-adapter.ts.hbs', restView(rest, names, model.sourceName)));
  for (const skill of names.skill) files.set(`src/${skill.module}.ts`, render('project/src/skill-adapter.ts.hbs', skillModuleView(skill, model.sourceName)));
  for (const mcp of names.mcp) files.set(`src/${mcp.module}.ts`, render('project/src/mcp-adapter.ts.hbs', mcpView(mcp, names, model.sourceName)));
  // The runtime modules the generated files import, and theirs in turn (the user's hooks.ts imports only what upstream.ts does).
  // Only TypeScript imports them: the README and the OpenAPI documents (most of the text) are not scanned.
  for (const m of runtimeModules([...files].flatMap(([path, text]) => (path.endsWith('.ts') ? [text] : [])))) files.set(`src/runtime/${m}.ts`, `${header}\n${staticFile(`runtime/${m}.ts`)}`);
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
