/** Stage 3: the typed model of a capability that passed the schema. */
import type { SecretScope } from './bind-call.js';
import type { ModelNote } from './notes.js';
import { allBinds, allConsumes, allExposes, type RawDocument, type RawExposesMcp, type RawExposesRest } from './raw.js';
import { transformConsumes } from './transform-consumes.js';
import { transformMcp, transformRest } from './transform-exposed.js';
import { handlerContext } from './transform-handler.js';
import type { CapabilityModel, SecretBinding } from './types.js';

/** `sourceDir`: the folder of the capability file, which the `location`s of static resources are relative to. */
export function buildModel(doc: RawDocument, sourceName: string, sourceDir?: string): { model: CapabilityModel; notes: ModelNote[] } {
  const notes: ModelNote[] = [];
  const secretsList: SecretBinding[] = allBinds(doc).flatMap(({ entry }) =>
    Object.entries(entry.keys ?? {}).map(([variable, source]) => ({
      namespace: entry.namespace,
      variable,
      source,
      ...(entry.location ? { location: entry.location } : {}),
    })),
  );
  const secrets: SecretScope = {
    variables: new Set(secretsList.map((s) => s.variable)),
    namespaces: new Set(['env', ...allBinds(doc).map((b) => b.entry.namespace)]),
  };

  const consumes = allConsumes(doc)
    .filter(({ entry }) => entry.type === 'http')
    .map(({ entry, path }) => {
      const { api, notes: apiNotes } = transformConsumes(entry, secrets);
      for (const n of apiNotes) notes.push({ rule: n.rule, severity: n.severity, path: [...path, ...n.at], message: n.message, ...(n.hint ? { hint: n.hint } : {}) });
      return api;
    });
  for (const { entry, path } of allConsumes(doc)) {
    if (entry.location) {
      notes.push({
        rule: 'construct-unsupported',
        severity: 'error',
        path: [...path, 'location'],
        message: `Imported consumes (\`location: ${entry.location}\`) are not supported yet.`,
        hint: 'Copy the consumed API into this file under `capability.consumes`.',
      });
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
    unsupportedAdapters: [],
  };
  const handlers = handlerContext(doc, consumes, secrets, sourceDir);
  for (const { entry, path } of allExposes(doc)) {
    if (entry.type === 'rest') model.rest.push(transformRest(entry as RawExposesRest, path, consumes, secrets, notes, handlers));
    else if (entry.type === 'mcp') model.mcp.push(transformMcp(entry as RawExposesMcp, path, consumes, secrets, notes, handlers));
    else {
      model.unsupportedAdapters.push({ type: entry.type, ...(entry.namespace ? { namespace: entry.namespace } : {}) });
      notes.push({
        rule: 'construct-unsupported',
        severity: 'warning',
        path: [...path, 'type'],
        message: `The \`${entry.type}\` adapter is valid but not generated yet; the other adapters are.`,
      });
    }
  }
  if (handlers.embedded.size) model.embeddedFiles = [...handlers.embedded].sort();
  // An aggregate function used by several tools and operations is noted once, at its own place.
  const seen = new Set<string>();
  const once = notes.filter((n) => {
    const key = JSON.stringify([n.rule, n.path, n.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { model, notes: once };
}
