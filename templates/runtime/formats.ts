/**
 * Upstream answers in other formats than JSON (`outputRawFormat`), converted to JSON before the output
 * mapping. Each format has its own module (format-xml.ts, format-csv.ts, ...), and a project holds only
 * the ones its capability uses, so it depends only on those parsers. Error answers (400 and up) are
 * passed on as the upstream sent them.
 */
import type { UpstreamResponse } from './upstream.js';

/** Text in the upstream's format to a JSON value. Throws when the text is not in that format. */
export type Converter = (text: string) => unknown;

export interface ResponseFormat {
  /** The format's name in the capability (`xml`, `csv`, ...), for messages. */
  readonly name: string;
  readonly convert: Converter;
}

export function convertResponse(response: UpstreamResponse, format: ResponseFormat): UpstreamResponse {
  if (response.status >= 400 || response.text === '') return response;
  let value: unknown;
  try {
    value = format.convert(response.text);
  } catch {
    // Never the upstream's text in the message: it may be anything.
    const text = JSON.stringify({ error: 'upstream_format', message: `The upstream answer is not valid ${format.name}.` });
    return { status: 502, contentType: 'application/json', text };
  }
  return { status: response.status, contentType: 'application/json', text: JSON.stringify(value ?? null) };
}
