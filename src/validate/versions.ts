/**
 * The versions naftiko-gen reads, by the key that carries them (`naftiko:` up to 1.0.0-alpha3, then
 * `ikanos:` from the rename on). Each has its own schema in `schema/`; all but the alpha2 source are
 * derived from it by scripts/derive-schemas.mjs. The normaliser (src/model/normalise/) reads every
 * version into the one model, so the emitters never see a version.
 */
export type VersionKey = 'naftiko' | 'ikanos';

export interface SpecVersion {
  version: string;
  /** The root key that carries the version. */
  key: VersionKey;
  /** File name under `schema/`. */
  schemaFile: string;
  /** Maps keyed by name, `display`, `from`/`import` imports: the ikanos family. */
  keyed: boolean;
}

const naftiko = (version: string): SpecVersion => ({ version, key: 'naftiko', schemaFile: `naftiko-${version}.schema.json`, keyed: false });
const ikanos = (version: string): SpecVersion => ({ version, key: 'ikanos', schemaFile: `ikanos-${version}.schema.json`, keyed: true });

/** Oldest first; the last one is what `init`, `import openapi` and `migrate` write by default. */
export const SPEC_VERSIONS: readonly SpecVersion[] = [
  naftiko('1.0.0-alpha1'),
  naftiko('1.0.0-alpha2'),
  naftiko('1.0.0-alpha3'),
  ikanos('1.0.0-alpha3'),
  ikanos('1.0.0-alpha4'),
  ikanos('1.0.0-beta1'),
  ikanos('1.0.0-beta2'),
  ikanos('1.0.0-beta3'),
  ikanos('1.0.0-beta4'),
  ikanos('1.0.0-beta5'),
];

export const NEWEST_VERSION: SpecVersion = SPEC_VERSIONS[SPEC_VERSIONS.length - 1]!;

/** The version a document declares under `key` (alpha2's `naftiko:` when no key is given, as before). */
export function findSpecVersion(version: unknown, key: VersionKey = 'naftiko'): SpecVersion | undefined {
  return SPEC_VERSIONS.find((v) => v.key === key && v.version === version);
}

/** `naftiko: 1.0.0-alpha1, 1.0.0-alpha2, …; ikanos: …`, for messages. */
export function describeSupportedVersions(): string {
  const by = (key: VersionKey) => SPEC_VERSIONS.filter((v) => v.key === key).map((v) => v.version).join(', ');
  return `\`naftiko:\` ${by('naftiko')}; \`ikanos:\` ${by('ikanos')}`;
}

/** A version given on the command line: `1.0.0-beta5` (ikanos first), or `naftiko:1.0.0-alpha2`. */
export function parseVersionArgument(text: string): SpecVersion | undefined {
  const m = /^(naftiko|ikanos)[:@ ](.+)$/.exec(text.trim());
  if (m) return findSpecVersion(m[2], m[1] as VersionKey);
  return findSpecVersion(text.trim(), 'ikanos') ?? findSpecVersion(text.trim(), 'naftiko');
}
