/**
 * HTML answers as JSON: the elements the CSS selector (`outputSchema`) matches, in document order.
 * A table, or each table inside a matched element, gives an array of rows, each an object from its
 * header cells to the cell texts; an element without tables gives its text. Without a selector, the
 * page's tables.
 */
import { parse, type HTMLElement } from 'node-html-parser';

function cellText(cell: HTMLElement): string {
  return cell.textContent.replace(/\s+/g, ' ').trim();
}

function tableRows(table: HTMLElement): Array<Record<string, string>> {
  const rows = table.querySelectorAll('tr');
  const headerRow = rows.find((r) => r.querySelector('th') !== null) ?? rows[0];
  if (!headerRow) return [];
  const headers = headerRow.querySelectorAll('th, td').map(cellText);
  return rows
    .filter((r) => r !== headerRow)
    .map((r) => Object.fromEntries(r.querySelectorAll('th, td').map((cell, i) => [headers[i] ?? String(i), cellText(cell)])));
}

export function htmlSelector(selector: string | undefined): (text: string) => unknown {
  return (text) => {
    const root = parse(text);
    return root.querySelectorAll(selector ?? 'table').flatMap((el): unknown[] => {
      if (el.tagName === 'TABLE') return [tableRows(el)];
      const tables = el.querySelectorAll('table');
      return tables.length > 0 ? tables.map(tableRows) : [cellText(el)];
    });
  };
}
