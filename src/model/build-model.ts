/** Stage 3: the typed model of a capability that passed the schema. */
import { locationPath } from '../load/imports.js';
import { applyAdapterBinaryCaps } from './binary-caps.js';
import type { SecretScope } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import { allBinds, allConsumes, allExposes, type RawDocument } from './raw.js';
import { transformConsumes } from './transform-consumes.js';
import { transformControl, type RawExposesControl } from './transform-control.js';
import { skillSources, transformSkill, type RawExposesSkill } from './transform-skill.js';
import { transformMcp, transformRest } from './transform-exposed.js';
import { handlerContext } from './transform-handler.js';
import type { CapabilityModel, SecretBinding } from './types.js';

/** A `binds` location as a file path (relative to the capability's folder, or absolute); other schemes get a finding. */
function bindsLocation(location: string | undefined, at: (string | number)[], notes: Note[]): string | undefined {
  if (location === undefined) return undefined;
  const path = locationPath(location);
  if (path === undefined) {
    notes.push({
      rule: 'binds-location-unsupported',
      severity: 'error',
      path: at,
      message: `\`${location}\` is not a file location; the generated server reads bound values from files or, without \`location\`, from the environment.`,
      hint: 'Use a JSON, YAML or .env file path relative to this capability (`./secrets.yaml`), or remove `location` to read environment variables.',
    });
    return undefined;
  }
  return path.split('\\').join('/');
}

/** `baseDir`: the capability file's folder, against which skill folders, scripts and static resources are resolved. */
export function buildModel(doc: RawDocument, sourceName: string, baseDir = '.'): { model: CapabilityModel; notes: Note[] } {
  const notes: Note[] = [];
  const secretsList: SecretBinding[] = allBinds(doc).flatMap(({ entry, path }) => {
    const location = bindsLocation(entry.location, [...path, 'location'], notes);
    return Object.entries(entry.keys ?? {}).map(([variable, source]) => ({
      namespace: entry.namespace,
      variable,
      source,
      ...(location ? { location } : {}),
    }));
  });
  const secrets: SecretScope = {
    variables: new Set(secretsList.map((s) => s.variable)),
    namespaces: new Set(['env', ...allBinds(doc).map((b) => b.entry.namespace)]),
  };

  const consumes = allConsumes(doc)
    .filter(({ entry }) => entry.type === 'http')
    .map(({ entry, path }) => {
      const { api, notes: apiNotes } = transformConsumes(entry, secrets);
      for (const n of apiNotes) notes.push({ ...n, path: [...path, ...n.path] });
      return api;
    });
  // OAuth 2 client credentials are secrets like the bound ones: read from the environment, required at start.
  for (const api of consumes) {
    if (api.authentication?.kind !== 'oauth2') continue;
    for (const variable of [api.authentication.clientIdVariable, api.authentication.clientSecretVariable]) {
      if (!secretsList.some((s) => s.variable === variable)) secretsList.push({ namespace: api.namespace, variable, source: variable });
    }
  }
  const model: CapabilityModel = {
    specVersion: doc.naftiko,
    sourceName,
    info: { label: doc.info?.label ?? '', description: doc.info?.description ?? '', tags: doc.info?.tags ?? [] },
    secrets: secretsList,
    consumes,
    rest: [],
    mcp: [],
    skills: [],
    unsupportedAdapters: [],
  };
  const handlers = handlerContext(doc, consumes, secrets, baseDir);
  for (const { entry, path } of allExposes(doc)) {
    if (entry.type === 'rest') model.rest.push(transformRest(entry, path, consumes, secrets, notes, handlers));
    else if (entry.type === 'mcp') model.mcp.push(transformMcp(entry, path, consumes, secrets, notes, handlers));
    else if (entry.type === 'control') {
      const control = transformControl(entry as unknown as RawExposesControl, path, secrets, notes, model.control === undefined);
      if (control) model.control = control;
    } else if (entry.type === 'skill') {
      model.skills.push(transformSkill(entry as unknown as RawExposesSkill, path, skillSources(allExposes(doc).map((e) => e.entry)), baseDir, secrets, notes));
    } else {
      model.unsupportedAdapters.push({ type: entry.type, ...(entry.namespace ? { namespace: entry.namespace } : {}) });
      notes.push({
        rule: 'construct-unsupported',
        severity: 'warning',
        path: [...path, 'type'],
        message: `The \`${entry.type}\` adapter is valid but not generated yet; the other adapters are.`,
      });
    }
  }
  applyAdapterBinaryCaps(doc, model, notes);
  if (handlers.embedded.size) model.embeddedFiles = [...handlers.embedded].sort();
  // An aggregate function used by several tools and operations is noted once, at its own place.
  const seen = new Set<string>();
  const once = notes.filter((n) => {
    const key = JSON.stringify([n.rule, n.path, n.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { model, notes: once };
}
