/**
 * The Naftiko versions naftiko-gen reads. Adding a version is one more schema file in `schema/` and
 * one more row here; the model and emitters are shared while the runtime semantics stay the same
 * (alpha3 changes only the version constant).
 */
export interface SpecVersion {
  version: string;
  /** File name under `schema/`. */
  schemaFile: string;
}

export const SPEC_VERSIONS: readonly SpecVersion[] = [
  { version: '1.0.0-alpha2', schemaFile: 'naftiko-1.0.0-alpha2.schema.json' },
  { version: '1.0.0-alpha3', schemaFile: 'naftiko-1.0.0-alpha3.schema.json' },
];

export function findSpecVersion(version: unknown): SpecVersion | undefined {
  return SPEC_VERSIONS.find((v) => v.version === version);
}
