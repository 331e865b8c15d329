/**
 * Which version a document is written in: by key (`naftiko:` or `ikanos:`) and value. When neither is
 * there, the hint fits what the document looks like: ikanos-shaped (maps keyed by name, `display`), the
 * older list shape, or not a capability at all (a file of values that `binds` reads).
 */
import { describeSupportedVersions, findSpecVersion, NEWEST_VERSION, SPEC_VERSIONS, type SpecVersion, type VersionKey } from './versions.js';

export interface VersionProblem {
  pointer: string;
  rule: 'version-missing' | 'version-unsupported' | 'values-file';
  /** A file of plain values is not wrong, only not a capability: a warning. */
  severity?: 'warning';
  message: string;
  hint: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function detectVersion(data: Obj): { version: SpecVersion } | { problem: VersionProblem } {
  const supported = describeSupportedVersions();
  const key: VersionKey | undefined = 'ikanos' in data ? 'ikanos' : 'naftiko' in data ? 'naftiko' : undefined;
  if (!key) return { problem: missing(data, supported) };
  const value = data[key];
  const version = findSpecVersion(value, key);
  if (version) return { version };
  const given = typeof value === 'string' ? value : JSON.stringify(value);
  const other = findSpecVersion(value, key === 'ikanos' ? 'naftiko' : 'ikanos');
  const newestOfKey = [...SPEC_VERSIONS].reverse().find((v) => v.key === key)!;
  return {
    problem: {
      pointer: `/${key}`,
      rule: 'version-unsupported',
      message: `\`${key}: ${given}\` is not a version naftiko-gen supports; supported: ${supported}.`,
      hint: other
        ? `${given} is a version of \`${other.key}:\`; write \`${other.key}: ${given}\` if the file follows it.`
        : `Write \`${key}: ${newestOfKey.version}\` if the file follows that version.`,
    },
  };
}

function missing(data: Obj, supported: string): VersionProblem {
  const base = { pointer: '', rule: 'version-missing' as const };
  const known = ['info', 'capability', 'consumes', 'exposes', 'aggregates', 'binds'];
  if (!Object.keys(data).some((k) => known.includes(k))) {
    const flat = Object.values(data).every((v) => v === null || typeof v !== 'object');
    if (flat) {
      return {
        ...base,
        rule: 'values-file',
        severity: 'warning',
        message: 'This file has no version and holds only plain values: it looks like a file of values that a `binds` entry reads (`location:`), not a capability.',
        hint: 'Such files are read by the capability that binds them; there is nothing to validate on their own. A capability or shared document starts with `ikanos: ' + NEWEST_VERSION.version + '`.',
      };
    }
  }
  const lists = looksListShaped(data);
  const suggestion = lists ? '`naftiko: 1.0.0-alpha2` (its resources, operations and tools are lists with `name`)' : `\`ikanos: ${NEWEST_VERSION.version}\``;
  return {
    ...base,
    message: 'The document has no version (`ikanos:` or `naftiko:`), so it cannot be read as a capability.',
    hint: `Add ${suggestion} as the first line (supported: ${supported}).`,
  };
}

/** The alpha2 shape: lists of items carrying `name` where the ikanos versions have maps keyed by name. */
function looksListShaped(data: Obj): boolean {
  const cap = isObj(data.capability) ? data.capability : data;
  const lists = [cap.exposes, cap.consumes].filter(Array.isArray).flat() as unknown[];
  return lists.some((e) => isObj(e) && (Array.isArray(e.resources) || Array.isArray(e.tools)));
}
