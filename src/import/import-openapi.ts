/**
 * `naftiko-gen import openapi`: an OpenAPI document in, one capability per tag out (as YAML text).
 * Pure: reads nothing and writes nothing; the command does the I/O and checks every result.
 *
 *   load-openapi.ts        parse, version check, local $ref resolution, remote $refs refused
 *   base-uri.ts            servers[0] (variables substituted) or --base-uri
 *   security.ts            security scheme → authentication, secrets, binds
 *   collect-operations.ts  paths → operations with typed parameters and a JSON body; skips with warnings
 *   naming.ts              slugs, kebab-case, unique and short names
 *   to-capability.ts       one group of operations → the capability document
 *   write-yaml.ts          the document → YAML text
 */
import { basename } from 'node:path';
import { resolveBaseUri } from './base-uri.js';
import { collectOperations, type ImportedOperation } from './collect-operations.js';
import { ImportError, isObject, type OpenApiDocument } from './load-openapi.js';
import { documentSlug, NameScope, secretPrefix, shortHash, shorten, slugify } from './naming.js';
import { importSecurity } from './security.js';
import { buildCapability, type CapabilityGroup } from './to-capability.js';
import { capabilityYaml } from './write-yaml.js';

export interface ImportOptions {
  /** Tags to import (names or slugs); all when empty or absent. */
  tags?: readonly string[];
  baseUri?: string;
}

export interface ImportedCapability {
  /** `qovery-organization-api-token.yaml` */
  fileName: string;
  tag: string | undefined;
  text: string;
  operations: number;
}

export interface ImportResult {
  title: string;
  version: string | undefined;
  baseUri: string;
  /** Security schemes used for the consumed APIs' authentication. */
  schemes: string[];
  capabilities: ImportedCapability[];
  warnings: string[];
  notes: string[];
  skippedParameters: number;
  skippedOperations: number;
}

function groupOperations(doc: OpenApiDocument, operations: ImportedOperation[], slug: string): CapabilityGroup[] {
  const declared = new Map<string, string | undefined>();
  for (const t of Array.isArray(doc.root.tags) ? doc.root.tags : []) {
    if (isObject(t) && typeof t.name === 'string' && !declared.has(t.name)) declared.set(t.name, typeof t.description === 'string' && t.description.trim() !== '' ? t.description.trim() : undefined);
  }
  const groups = new Map<string | undefined, ImportedOperation[]>();
  for (const op of operations) {
    const list = groups.get(op.tag);
    if (list) list.push(op);
    else groups.set(op.tag, [op]);
  }
  // Tagged groups in order of first appearance; the untagged ones last.
  const ordered = [...groups.keys()].filter((t): t is string => t !== undefined);
  const keys: Array<string | undefined> = groups.has(undefined) ? [...ordered, undefined] : ordered;
  const names = new NameScope(100);
  const reserved = (name: string): string => (name === 'env' ? 'env-api' : name);
  return keys.map((tag) => {
    const tagSlug = tag === undefined ? '' : shorten(slugify(tag) || `tag-${shortHash(tag)}`, 60);
    return {
      tag,
      tagDescription: tag === undefined ? undefined : declared.get(tag),
      name: names.claim(reserved(tag === undefined ? slug : `${slug}-${tagSlug}`)),
      operations: groups.get(tag)!,
    };
  });
}

function selectGroups(doc: OpenApiDocument, groups: CapabilityGroup[], wanted: readonly string[]): CapabilityGroup[] {
  const selected = new Set<CapabilityGroup>();
  const known = groups.filter((g) => g.tag !== undefined).map((g) => g.tag!);
  for (const w of wanted) {
    const group = groups.find((g) => g.tag === w) ?? groups.find((g) => g.tag !== undefined && slugify(g.tag) === slugify(w) && slugify(w) !== '');
    if (group) {
      selected.add(group);
      continue;
    }
    const declared = (Array.isArray(doc.root.tags) ? doc.root.tags : []).some((t) => isObject(t) && t.name === w);
    const list = known.length > 0 ? `the tags with operations are: ${known.join(', ')}` : 'no operation of the document has a tag';
    throw new ImportError(
      declared
        ? `the tag \`${w}\` has no operations of its own (an operation with several tags belongs to its first); ${list}`
        : `${doc.file} has no tag \`${w}\`; ${list}`,
    );
  }
  return groups.filter((g) => selected.has(g));
}

export function importOpenApi(doc: OpenApiDocument, options: ImportOptions = {}): ImportResult {
  const info = isObject(doc.root.info) ? doc.root.info : {};
  const source = basename(doc.file);
  const title = typeof info.title === 'string' && info.title.trim() !== '' ? info.title.trim() : source.replace(/\.(ya?ml|json)$/i, '');
  const version = typeof info.version === 'string' || typeof info.version === 'number' ? String(info.version) : undefined;
  const collected = collectOperations(doc);
  if (collected.operations.length === 0) {
    const why = collected.warnings.map((w) => w.text);
    throw new ImportError(`${doc.file} has no operation that can be imported${why.length > 0 ? `:\n  ${why.join('\n  ')}` : ''}`);
  }
  const { baseUri, notes: serverNotes } = resolveBaseUri(doc, options.baseUri);
  const slug = documentSlug(title, source.replace(/\.(ya?ml|json)$/i, ''));
  const security = importSecurity(doc, secretPrefix(slug));
  const groups = groupOperations(doc, collected.operations, slug);
  const selected = options.tags && options.tags.length > 0 ? selectGroups(doc, groups, options.tags) : groups;

  // Messages about operations of tags that were not selected are left out.
  const all = selected === groups;
  const concerns = (m: { tag: string | undefined }): boolean => all || selected.some((g) => g.tag !== undefined && g.tag === m.tag);
  const warnings = [...security.warnings, ...collected.warnings.filter(concerns).map((w) => w.text)];
  let routeSkips = 0;
  const capabilities = selected.map((group): ImportedCapability => {
    const built = buildCapability(group, { title, version, source, baseUri, security });
    warnings.push(...built.warnings);
    routeSkips += built.warnings.length;
    const header = [
      `Imported by \`naftiko-gen import openapi\` from ${source} (${title}${version ? ` ${version}` : ''}, OpenAPI ${doc.version})${group.tag !== undefined ? `, tag "${group.tag}"` : ', operations without a tag'}.`,
      `Check it with \`naftiko-gen validate --strict ${group.name}.yaml\`; build it with \`naftiko-gen build ${group.name}.yaml\`.`,
    ];
    return { fileName: `${group.name}.yaml`, tag: group.tag, text: capabilityYaml(built.document, header), operations: built.operations };
  });
  return {
    title,
    version,
    baseUri,
    schemes: security.schemes,
    capabilities,
    warnings,
    notes: [...serverNotes, ...security.notes, ...collected.notes.filter(concerns).map((n) => n.text)],
    skippedParameters: collected.skippedParameters.filter(concerns).length,
    skippedOperations: collected.skippedOperations.filter(concerns).length + routeSkips,
  };
}
