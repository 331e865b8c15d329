/**
 * A short unified diff between what is on disk and what would be generated, for `build --check`:
 * enough for a reviewer to see what changed, capped so that a large change cannot flood a CI log.
 */

/** Longest-common-subsequence edit script of two line lists; null when they are too large to compare cheaply. */
function editScript(a: readonly string[], b: readonly string[]): Array<{ op: ' ' | '-' | '+'; line: string }> | null {
  // Trim the common head and tail first: generated files usually change in one place.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > 4_000_000) return null;
  const n = midA.length;
  const m = midB.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Array<{ op: ' ' | '-' | '+'; line: string }> = a.slice(0, start).map((line) => ({ op: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      out.push({ op: ' ', line: midA[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ op: '-', line: midA[i++]! });
    else out.push({ op: '+', line: midB[j++]! });
  }
  for (const line of a.slice(endA)) out.push({ op: ' ', line });
  return out;
}

export interface DiffOptions {
  context?: number;
  maxLines?: number;
}

/** `--- a/path`, `+++ b/path` and hunks; `before` undefined means the file does not exist yet. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, options: DiffOptions = {}): string[] {
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 40;
  const a = before === undefined ? [] : before.split('\n');
  const b = after === undefined ? [] : after.split('\n');
  const header = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${path}`}`];
  const script = editScript(a, b);
  if (!script) return [...header, `@@ the file changed in too many places to show (${a.length} → ${b.length} lines) @@`];
  const lines: string[] = [];
  let k = 0;
  while (k < script.length) {
    while (k < script.length && script[k]!.op === ' ') k++;
    if (k >= script.length) break;
    // A hunk: from `context` lines before this change to `context` lines after the last change close to it.
    const from = Math.max(0, k - context);
    let to = k;
    while (to < script.length) {
      if (script[to]!.op !== ' ') {
        to++;
        continue;
      }
      let run = 0;
      while (to + run < script.length && script[to + run]!.op === ' ') run++;
      if (to + run >= script.length || run > 2 * context) {
        to = Math.min(script.length, to + context);
        break;
      }
      to += run;
    }
    const lineA = script.slice(0, from).filter((s) => s.op !== '+').length + 1;
    const lineB = script.slice(0, from).filter((s) => s.op !== '-').length + 1;
    const hunk = script.slice(from, to);
    lines.push(`@@ -${lineA},${hunk.filter((s) => s.op !== '+').length} +${lineB},${hunk.filter((s) => s.op !== '-').length} @@`);
    for (const s of hunk) lines.push(`${s.op}${s.line}`);
    k = to;
  }
  if (lines.length > maxLines) return [...header, ...lines.slice(0, maxLines), `... ${lines.length - maxLines} more diff lines not shown`];
  return [...header, ...lines];
}
