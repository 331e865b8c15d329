/** Exit codes of every command: the worst outcome over all inputs wins. */
export const EXIT_OK = 0;
/** At least one capability is invalid (or, for --check, stale). */
export const EXIT_INVALID = 1;
/** Usage or I/O problem: bad flags, missing or unreadable file, unwritable output. */
export const EXIT_USAGE = 2;

export function worst(a: number, b: number): number {
  return Math.max(a, b);
}
