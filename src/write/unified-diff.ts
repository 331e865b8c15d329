/**
 * A short unified diff between what is on disk and what would be generated, for `build --check`:
 * enough for a reviewer to see what changed, capped so that a large change cannot flood a CI log.
 * The edit script and hunks are jsdiff's (`diff`), the library most JavaScript tools print patches with.
 */
import { structuredPatch } from 'diff';

export interface DiffOptions {
  context?: number;
  /** The most lines returned, headers and the "not shown" line included. */
  maxLines?: number;
  /** Beyond this many inserted and deleted lines the diff is not worked out (its cost grows with them): a note says so. */
  maxEditLength?: number;
}

/** `--- a/path`, `+++ b/path` and hunks; `before` undefined means the file does not exist yet. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, options: DiffOptions = {}): string[] {
  const maxLines = options.maxLines ?? 40;
  // Too little room for even the two headers and a note: one line says the diff is left out.
  if (maxLines < 3) return maxLines < 1 ? [] : [`(diff of ${path} not shown)`];
  const header = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${path}`}`];
  const patch = structuredPatch(path, path, before ?? '', after ?? '', undefined, undefined, { context: options.context ?? 3, maxEditLength: options.maxEditLength ?? 2_000 });
  if (!patch) return [...header, `@@ the file changed in too many places to show (${lineCount(before)} → ${lineCount(after)} lines) @@`];
  const lines = patch.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]);
  if (header.length + lines.length <= maxLines) return [...header, ...lines];
  const shown = maxLines - header.length - 1;
  return [...header, ...lines.slice(0, shown), `... ${lines.length - shown} more diff lines not shown`];
}

function lineCount(text: string | undefined): number {
  return text === undefined || text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}
