/** Delimited text (CSV, TSV, PSV) as an array of rows, each an object from the header line to string values. */
import { parse } from 'csv-parse/sync';

function delimited(delimiter: string): (text: string) => unknown {
  return (text) => parse(text, { columns: true, delimiter, skip_empty_lines: true, bom: true, relax_column_count: true }) as unknown;
}

export const fromCsv = delimited(',');
export const fromTsv = delimited('\t');
export const fromPsv = delimited('|');
