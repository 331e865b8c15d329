/** Plain-text table: right-aligns cells that look numeric. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '-' : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = (t) => /^(± )?[-+]?[\d.,]+\s*(%|ms|s|x|MB)?$/.test(t) || t === '-';
  const line = (r) => r.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join('\n');
}

export const ms = (v, digits = 0) => (v === null || v === undefined ? '-' : v.toFixed(digits));
export const int = (v) => (v === null || v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
