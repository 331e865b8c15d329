/**
 * The two small languages inside capability strings: Mustache-style `{{name}}` templates (D2, D6)
 * and path templates where both `{{p}}` and `{p}` are placeholders (D4).
 */

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'var'; name: string };

/** Splits `Bearer {{env.TOKEN}}` into text and variable parts. An unclosed `{{` stays text. */
export function parseMustache(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = source;
  let text = '';
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) break;
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) break;
    text += rest.slice(0, open);
    // `{{{x}}}` (Mustache's unescaped form) means the same here: we never HTML-escape.
    let inner = rest.slice(open + 2, close);
    let end = close + 2;
    if (inner.startsWith('{') && rest.charAt(end) === '}') {
      inner = inner.slice(1);
      end += 1;
    }
    const name = inner.trim();
    if (name === '') {
      text += rest.slice(open, end);
    } else {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'var', name });
    }
    rest = rest.slice(end);
  }
  text += rest;
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

export type PathPart = { kind: 'text'; text: string } | { kind: 'param'; name: string };

export interface ParsedPath {
  parts: PathPart[];
  /** Placeholder names in order of appearance, without repeats. */
  params: string[];
  /** Problems such as an unclosed `{`: each a short description. */
  problems: string[];
}

/** Parses `/organization/{organizationId}/apiToken/{{id}}`. */
export function parsePath(path: string): ParsedPath {
  const parts: PathPart[] = [];
  const params: string[] = [];
  const problems: string[] = [];
  let text = '';
  let i = 0;
  while (i < path.length) {
    const ch = path.charAt(i);
    if (ch === '{') {
      const double = path.startsWith('{{', i);
      const closeToken = double ? '}}' : '}';
      const close = path.indexOf(closeToken, i + (double ? 2 : 1));
      const name = close < 0 ? '' : path.slice(i + (double ? 2 : 1), close).trim();
      if (close < 0 || name === '' || name.includes('{')) {
        problems.push(close < 0 ? `unclosed \`${double ? '{{' : '{'}\` at character ${i + 1}` : `empty or nested placeholder at character ${i + 1}`);
        text += ch;
        i += 1;
        continue;
      }
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'param', name });
      if (!params.includes(name)) params.push(name);
      i = close + closeToken.length;
    } else if (ch === '}') {
      problems.push(`unmatched \`}\` at character ${i + 1}`);
      text += ch;
      i += 1;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (text) parts.push({ kind: 'text', text });
  return { parts, params, problems };
}

/** A path with placeholder names erased (`/a/{x}` and `/a/{{y}}` give `/a/{}`): what a router matches on. */
export function routeShape(path: string): string {
  return parsePath(path)
    .parts.map((p) => (p.kind === 'param' ? '{}' : p.text))
    .join('');
}

/** Names compared with case and separators ignored (D5 and its generalisation). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
