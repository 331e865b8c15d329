export function summarize(values) {
  if (values.length === 0) return { n: 0, min: null, median: null, mean: null, max: null, stddev: null };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const stddev = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
  return { n: s.length, min: s[0], median, mean, max: s[s.length - 1], stddev };
}
