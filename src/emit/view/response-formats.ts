/**
 * Response formats the generated clients convert to JSON (`outputRawFormat`): for each, the runtime
 * module and the npm package the project then needs, and the converter expression of the descriptor.
 */
import type { ConsumedOperation } from '../../model/types.js';
import { tsString } from '../../names/escape.js';

interface FormatSupport {
  module: string;
  symbol: string;
  npm: string;
  /** The converter: the symbol itself, or a call of it with the operation's `outputSchema`. */
  configured: boolean;
}

const FORMATS: Readonly<Record<string, FormatSupport>> = {
  xml: { module: 'format-xml', symbol: 'fromXml', npm: 'fast-xml-parser', configured: false },
  yaml: { module: 'format-yaml', symbol: 'fromYaml', npm: 'yaml', configured: false },
  csv: { module: 'format-csv', symbol: 'fromCsv', npm: 'csv-parse', configured: false },
  tsv: { module: 'format-csv', symbol: 'fromTsv', npm: 'csv-parse', configured: false },
  psv: { module: 'format-csv', symbol: 'fromPsv', npm: 'csv-parse', configured: false },
  html: { module: 'format-html', symbol: 'htmlSelector', npm: 'node-html-parser', configured: true },
  markdown: { module: 'format-markdown', symbol: 'markdownUnder', npm: 'marked', configured: true },
};

/** Formats naftiko-gen converts; `json` needs nothing, protobuf and avro are reported. */
export function formatSupport(format: string): FormatSupport | undefined {
  return Object.hasOwn(FORMATS, format) ? FORMATS[format] : undefined;
}

/** The `format` entry of an operation's descriptor, or undefined when the answer is JSON (or not converted). */
export function formatLiteral(op: ConsumedOperation): { literal: string; module: string; symbol: string } | undefined {
  const f = formatSupport(op.outputFormat);
  if (!f) return undefined;
  const convert = f.configured ? `${f.symbol}(${op.outputSchema === undefined ? 'undefined' : tsString(op.outputSchema)})` : f.symbol;
  return { literal: `{ name: ${tsString(op.outputFormat)}, convert: ${convert} }`, module: f.module, symbol: f.symbol };
}
