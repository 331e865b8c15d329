/** Types of scripts/derive-schemas.mjs, for the test that checks the derived files are up to date. */
export const SOURCE: string;
export function deriveAll(): Map<string, Record<string, unknown>>;
