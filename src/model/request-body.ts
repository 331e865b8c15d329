/**
 * A consumed operation's `body:`, in every form the schema allows, as pieces of text and values to
 * insert, each value marked with how it must be escaped for where it lands (decisions doc, D7):
 * - a string that looks like JSON, or `{type: json, data: "..."}`: a JSON template; a value inside a
 *   JSON string is escaped as string content, a value outside one is written as JSON (`"crewIds": {{crewIds}}`
 *   gives an array); `{type: json}` with an object or array: each string in it is a template, and a string
 *   that is exactly one `{{x}}` takes the value as it is (an array stays an array);
 * - `{type: text | xml | sparql}`: text/plain as written, XML with values escaped, SPARQL with values
 *   escaped as string-literal content;
 * - `{type: formUrlEncoded}`: fields (each a template) or an encoded string whose values are form-encoded;
 * - `{type: multipartForm}`: parts, file parts with their file name and media type;
 * - any other string: sent as written (text/plain), values inserted as they are.
 */
import type { SecretScope } from './bind-call.js';
import { classifyVariable } from './bind-call.js';
import { parseMustache } from './template.js';

/** A piece of a body: text, or a value with how it is escaped where it lands. */
export type BodyPart =
  | { kind: 'text'; text: string }
  | { kind: 'value'; from: { kind: 'parameter'; name: string } | { kind: 'secret'; variable: string }; escape: BodyEscape };

/** `json-string`: content of a JSON string; `json`: a JSON value; `form`: a form-encoded value; `none`: as it is. */
import type { BodyEscape } from '../../templates/runtime/shapes.js';

export type { BodyEscape };

export type ConsumedBody =
  | { kind: 'template'; contentType: string; pieces: BodyPart[] }
  | { kind: 'form-fields'; fields: Array<{ name: string; pieces: BodyPart[] }> }
  | { kind: 'multipart'; parts: Array<{ name: string; pieces: BodyPart[]; filename?: string; contentType?: string }> };

type RawBody =
  | string
  | { type: 'json'; data: unknown }
  | { type: 'text' | 'xml' | 'sparql'; data: string }
  | { type: 'formUrlEncoded'; data: string | Record<string, string> }
  | { type: 'multipartForm'; data: Array<{ name: string; value: string; filename?: string; contentType?: string }> };

export interface BodyResult {
  body: ConsumedBody;
  /** Names of the call's values the body uses (they become parameters of the operation when not declared). */
  parameters: string[];
  /** Secrets the body uses that no `binds` entry declares. */
  unbound: string[];
}

export function transformBody(raw: unknown, secrets: SecretScope): BodyResult {
  const parameters: string[] = [];
  const unbound: string[] = [];
  const resolve = (source: string, escapeFor: (inString: boolean) => BodyEscape, track?: 'json'): BodyPart[] => {
    let inString = false;
    return parseMustache(source).map((p): BodyPart => {
      if (p.kind === 'text') {
        if (track) inString = jsonStringStateAfter(p.text, inString);
        return p;
      }
      const v = classifyVariable(p.name, secrets, []);
      if (v.kind === 'secret') {
        if (!secrets.variables.has(v.variable)) unbound.push(v.variable);
        return { kind: 'value', from: { kind: 'secret', variable: v.variable }, escape: escapeFor(inString) };
      }
      if (!parameters.includes(v.name)) parameters.push(v.name);
      return { kind: 'value', from: { kind: 'parameter', name: v.name }, escape: escapeFor(inString) };
    });
  };
  const json = (source: string): BodyPart[] => resolve(source, (inString) => (inString ? 'json-string' : 'json'), 'json');
  const flat = (how: BodyEscape) => (source: string) => resolve(source, () => how);

  const body = raw as RawBody;
  let result: ConsumedBody;
  if (typeof body === 'string') {
    result = /^\s*[[{"]/.test(body)
      ? { kind: 'template', contentType: 'application/json', pieces: json(body) }
      : { kind: 'template', contentType: 'text/plain; charset=utf-8', pieces: flat('none')(body) };
  } else {
    switch (body.type) {
      case 'json':
        result = { kind: 'template', contentType: 'application/json', pieces: typeof body.data === 'string' ? json(body.data) : jsonData(body.data, flat('json-string'), flat('json')) };
        break;
      case 'text':
        result = { kind: 'template', contentType: 'text/plain; charset=utf-8', pieces: flat('none')(body.data) };
        break;
      case 'xml':
        result = { kind: 'template', contentType: 'application/xml', pieces: flat('xml')(body.data) };
        break;
      case 'sparql':
        result = { kind: 'template', contentType: 'application/sparql-query', pieces: flat('sparql')(body.data) };
        break;
      case 'formUrlEncoded':
        result =
          typeof body.data === 'string'
            ? { kind: 'template', contentType: 'application/x-www-form-urlencoded', pieces: flat('form')(body.data) }
            : { kind: 'form-fields', fields: Object.entries(body.data).map(([name, value]) => ({ name, pieces: flat('none')(String(value)) })) };
        break;
      case 'multipartForm':
        result = {
          kind: 'multipart',
          parts: body.data.map((part) => ({
            name: part.name,
            pieces: flat('none')(part.value),
            ...(part.filename !== undefined ? { filename: part.filename } : {}),
            ...(part.contentType !== undefined ? { contentType: part.contentType } : {}),
          })),
        };
        break;
    }
  }
  return { body: result, parameters, unbound };
}

/** Whether the text leaves a JSON template inside a string literal, given whether it started inside one. */
function jsonStringStateAfter(text: string, inString: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
  }
  return inString;
}

/** JSON `data` given as an object or array: its text, with each string a template. */
function jsonData(data: unknown, inString: (source: string) => BodyPart[], asValue: (source: string) => BodyPart[]): BodyPart[] {
  const pieces: BodyPart[] = [];
  const text = (t: string): void => {
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text') last.text += t;
    else pieces.push({ kind: 'text', text: t });
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      // `"{{crewIds}}"` alone: the value itself, as JSON. Otherwise a string with values inside.
      const whole = /^\{\{\s*[^{}]+?\s*\}\}$/.test(v) ? asValue(v) : undefined;
      if (whole && whole.length === 1 && whole[0]!.kind === 'value') {
        pieces.push(whole[0]!);
        return;
      }
      text('"');
      for (const p of inString(v)) {
        if (p.kind === 'text') text(JSON.stringify(p.text).slice(1, -1));
        else pieces.push(p);
      }
      text('"');
    } else if (Array.isArray(v)) {
      text('[');
      v.forEach((item, i) => {
        if (i > 0) text(',');
        walk(item);
      });
      text(']');
    } else if (v !== null && typeof v === 'object') {
      text('{');
      Object.entries(v).forEach(([k, item], i) => {
        text(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
        walk(item);
      });
      text('}');
    } else text(JSON.stringify(v ?? null));
  };
  walk(data);
  return pieces;
}
