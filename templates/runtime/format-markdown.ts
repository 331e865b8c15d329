/**
 * Markdown answers as JSON: `{ sections, tables }`. Each section is a heading with its level and the
 * text under it; each table is an array of rows, objects from the header cells to the cell texts.
 * With a heading (`outputSchema`, `Results` or `## Results`, a prefix of the heading's text), only what is
 * under the first heading it names.
 */
import { lexer, type Token, type Tokens } from 'marked';

interface Section {
  heading: string;
  level: number;
  text: string;
}

export function markdownUnder(heading: string | undefined): (text: string) => unknown {
  return (text) => {
    let tokens: Token[] = lexer(text);
    if (heading !== undefined) {
      // `## Results` names the level too; `Results` any level. The text is a prefix of the heading's.
      const m = /^(#*)\s*(.*)$/.exec(heading.trim())!;
      const wanted = { depth: m[1]!.length, text: m[2]! };
      const start = tokens.findIndex(
        (t) => t.type === 'heading' && (wanted.depth === 0 || (t as Tokens.Heading).depth === wanted.depth) && (t as Tokens.Heading).text.trim().startsWith(wanted.text),
      );
      if (start < 0) return null;
      const level = (tokens[start] as Tokens.Heading).depth;
      const end = tokens.findIndex((t, i) => i > start && t.type === 'heading' && (t as Tokens.Heading).depth <= level);
      tokens = tokens.slice(start, end < 0 ? undefined : end);
    }
    const sections: Section[] = [];
    const tables: Array<Array<Record<string, string>>> = [];
    for (const t of tokens) {
      if (t.type === 'heading') sections.push({ heading: (t as Tokens.Heading).text, level: (t as Tokens.Heading).depth, text: '' });
      else if (t.type === 'table') {
        const table = t as Tokens.Table;
        const headers = table.header.map((h) => h.text);
        tables.push(table.rows.map((row) => Object.fromEntries(row.map((cell, i) => [headers[i] ?? String(i), cell.text]))));
      } else if (t.type !== 'space') {
        const current = sections[sections.length - 1];
        const piece = ('text' in t && typeof t.text === 'string' ? t.text : t.raw).trim();
        if (current) current.text = current.text ? `${current.text}\n\n${piece}` : piece;
        else sections.push({ heading: '', level: 0, text: piece });
      }
    }
    return { sections, tables };
  };
}
