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
import { IdentifierScope } from '../names/identifiers.js';
import { documentSlug, secretPrefix, shortHash, shorten, slugify } from './naming.js';
import { importSecurity } from './security.js';
import { buildCapability, groupScope, type CapabilityGroup, type GroupBy } from './to-capability.js';
import { capabilityYaml } from './write-yaml.js';

export interface ImportOptions {
  /** Tags to import (names or slugs); all when empty or absent. */
  tags?: readonly string[];
  baseUri?: string;
  /** One capability per tag (default), per first path segment, or one for the whole API. */
  groupBy?: GroupBy;
  /** Write only what the official schema accepts (no input constraints). */
  strict?: boolean;
}

export interface ImportedCapability {
  /** `qovery-organization-api-token.yaml` */
  fileName: string;
  tag: string | undefined;
  /** `tag Organization`, `all its operations`: what the capability holds, for messages. */
  scope: string;
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

/** The first literal segment of a path: `/organization/{id}/member` → `organization`. */
function firstSegment(path: string): string | undefined {
  return path.split('/').find((s) => s !== '' && !s.includes('{'));
}

function groupOperations(doc: OpenApiDocument, operations: ImportedOperation[], slug: string, by: GroupBy): CapabilityGroup[] {
  if (by === 'none') return [{ by, tag: undefined, tagDescription: undefined, name: slug === 'env' ? 'env-api' : slug, operations }];
  const declared = new Map<string, string | undefined>();
  for (const t of Array.isArray(doc.root.tags) ? doc.root.tags : []) {
    if (isObject(t) && typeof t.name === 'string' && !declared.has(t.name)) declared.set(t.name, typeof t.description === 'string' && t.description.trim() !== '' ? t.description.trim() : undefined);
  }
  const groups = new Map<string | undefined, ImportedOperation[]>();
  for (const op of operations) {
    const key = by === 'path' ? firstSegment(op.path) : op.tag;
    const list = groups.get(key);
    if (list) list.push(op);
    else groups.set(key, [op]);
  }
  // Tagged groups in order of first appearance; the untagged ones last.
  const ordered = [...groups.keys()].filter((t): t is string => t !== undefined);
  const keys: Array<string | undefined> = groups.has(undefined) ? [...ordered, undefined] : ordered;
  const names = new IdentifierScope();
  const reserved = (name: string): string => (name === 'env' ? 'env-api' : name);
  return keys.map((tag) => {
    const tagSlug = tag === undefined ? '' : shorten(slugify(tag) || `tag-${shortHash(tag)}`, 60);
    return {
      by,
      tag,
      tagDescription: tag === undefined || by !== 'tag' ? undefined : declared.get(tag),
      name: names.claimName(reserved(tag === undefined ? slug : `${slug}-${tagSlug}`), 100),
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
  const collected = collectOperations(doc, { forms: options.strict !== true, names: options.strict !== true });
  if (collected.operations.length === 0) {
    const why = collected.warnings.map((w) => w.text);
    throw new ImportError(`${doc.file} has no operation that can be imported${why.length > 0 ? `: ${why.join('; ')}` : ''}`);
  }
  const { baseUri, notes: serverNotes } = resolveBaseUri(doc, options.baseUri);
  const slug = documentSlug(title, source.replace(/\.(ya?ml|json)$/i, ''));
  const security = importSecurity(doc, secretPrefix(slug));
  const by = options.groupBy ?? 'tag';
  const wanted = options.tags ?? [];
  if (wanted.length > 0 && by !== 'tag') throw new ImportError('--tag selects capabilities made per tag; it cannot be used with --group path or --group none');
  const groups = groupOperations(doc, collected.operations, slug, by);
  const selected = wanted.length > 0 ? selectGroups(doc, groups, wanted) : groups;

  // Messages about operations of tags that were not selected are left out.
  const all = selected === groups;
  const concerns = (m: { tag: string | undefined }): boolean => all || selected.some((g) => g.tag !== undefined && g.tag === m.tag);
  const warnings = [...security.warnings, ...collected.warnings.filter(concerns).map((w) => w.text)];
  let routeSkips = 0;
  const capabilities = selected.map((group): ImportedCapability => {
    const built = buildCapability(group, { title, version, source, baseUri, security, strict: options.strict === true });
    warnings.push(...built.warnings);
    routeSkips += built.warnings.length;
    const header = [
      `Imported by \`naftiko-gen import openapi\` from ${source} (${title}${version ? ` ${version}` : ''}, OpenAPI ${doc.version}): ${groupScope(group)}.`,
      `Check it with \`naftiko-gen validate${options.strict ? ' --strict' : ''} ${group.name}.yaml\`; build it with \`naftiko-gen build ${group.name}.yaml\`.`,
    ];
    return { fileName: `${group.name}.yaml`, tag: group.tag, scope: groupScope(group), text: capabilityYaml(built.document, header), operations: built.operations };
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
