/**
 * Request bodies written in the capability (`body:` of a consumed operation): templates whose values
 * are escaped for where they land, so that no value can change the shape of the body. A value inside
 * a JSON string stays inside it; a value in an XML body cannot open a tag; a form value cannot add a field.
 */
import { randomBytes } from 'node:crypto';
import type { BodyEscape } from './shapes.js';

/** How a value is written: JSON string content, a JSON value, XML text, SPARQL string content, a form value, or as it is. */
export type { BodyEscape };

/** Literal text, or a value of the call (`arg`) or a bound secret (`secret`). */
export type BodyPiece = string | { readonly arg: string; readonly escape: BodyEscape } | { readonly secret: string; readonly escape: BodyEscape };

export type BodyTemplate =
  | { readonly kind: 'template'; readonly contentType: string; readonly pieces: readonly BodyPiece[] }
  | { readonly kind: 'form-fields'; readonly fields: ReadonlyArray<{ readonly name: string; readonly pieces: readonly BodyPiece[] }> }
  | {
      readonly kind: 'multipart';
      readonly parts: ReadonlyArray<{ readonly name: string; readonly pieces: readonly BodyPiece[]; readonly filename?: string; readonly contentType?: string }>;
    };

function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const SPARQL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(value: unknown, how: BodyEscape): string {
  switch (how) {
    case 'json':
      // A missing value is JSON null, so the body stays valid JSON.
      return value === undefined ? 'null' : JSON.stringify(value);
    case 'json-string':
      return JSON.stringify(plain(value)).slice(1, -1);
    case 'xml':
      return plain(value).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
    case 'sparql':
      return plain(value).replace(/[\\"'\n\r\t]/g, (c) => SPARQL_ESCAPES[c]!);
    case 'form':
      return new URLSearchParams([['', plain(value)]]).toString().slice(1);
    case 'none':
      return plain(value);
  }
}

function render(pieces: readonly BodyPiece[], args: Readonly<Record<string, unknown>>, secrets: Readonly<Record<string, string>>): string {
  let out = '';
  for (const p of pieces) {
    if (typeof p === 'string') out += p;
    else if ('arg' in p) out += escaped(args[p.arg], p.escape);
    else out += escaped(secrets[p.secret], p.escape);
  }
  return out;
}

/** A name or file name in a Content-Disposition header: quotes and line breaks encoded, as browsers do. */
function dispositionValue(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The body's bytes (as text) and its content type. */
export function renderBody(
  body: BodyTemplate,
  args: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>> = {},
): { contentType: string; payload: string } {
  switch (body.kind) {
    case 'template':
      return { contentType: body.contentType, payload: render(body.pieces, args, secrets) };
    case 'form-fields': {
      const form = new URLSearchParams();
      for (const f of body.fields) form.append(f.name, render(f.pieces, args, secrets));
      return { contentType: 'application/x-www-form-urlencoded', payload: form.toString() };
    }
    case 'multipart': {
      const values = body.parts.map((p) => render(p.pieces, args, secrets));
      // A boundary that none of the values contains.
      let boundary: string;
      do boundary = `naftiko-${randomBytes(12).toString('hex')}`;
      while (values.some((v) => v.includes(boundary)));
      let payload = '';
      body.parts.forEach((p, i) => {
        payload += `--${boundary}\r\ncontent-disposition: form-data; name="${dispositionValue(p.name)}"`;
        if (p.filename !== undefined) payload += `; filename="${dispositionValue(p.filename)}"`;
        payload += '\r\n';
        const type = p.contentType ?? (p.filename !== undefined ? 'application/octet-stream' : undefined);
        if (type !== undefined) payload += `content-type: ${type.replace(/[\r\n]/g, '')}\r\n`;
        payload += `\r\n${values[i]}\r\n`;
      });
      payload += `--${boundary}--\r\n`;
      return { contentType: `multipart/form-data; boundary=${boundary}`, payload };
    }
  }
}

/**
 * A consumed operation whose parameters include an uploaded file (`type: file`): the file alone is the whole
 * body; beside other form fields it is one part of a multipart body. The file arrives as base64 text (the raw
 * REST body, or an MCP argument) and is sent as the bytes it stands for.
 */
export type FileBody =
  | { readonly kind: 'binary'; readonly arg: string }
  | { readonly kind: 'multipart-args'; readonly fields: ReadonlyArray<{ readonly name: string; readonly arg: string; readonly file?: boolean }> };

const fileBytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : '', 'base64');

export function fileBody(body: FileBody, args: Readonly<Record<string, unknown>>): { contentType: string; payload: Buffer } | undefined {
  if (body.kind === 'binary') {
    const value = args[body.arg];
    return value === undefined || value === null ? undefined : { contentType: 'application/octet-stream', payload: fileBytes(value) };
  }
  const parts = body.fields.flatMap((f) => {
    const value = args[f.arg];
    if (value === undefined || value === null) return [];
    return [{ name: f.name, file: f.file === true, bytes: f.file ? fileBytes(value) : Buffer.from(plain(value), 'utf8') }];
  });
  if (parts.length === 0) return undefined;
  // A boundary that none of the parts contains.
  let boundary: string;
  do boundary = `naftiko-${randomBytes(12).toString('hex')}`;
  while (parts.some((p) => p.bytes.includes(boundary)));
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\ncontent-disposition: form-data; name="${dispositionValue(p.name)}"`;
    head += p.file ? `; filename="${dispositionValue(p.name)}"\r\ncontent-type: application/octet-stream\r\n` : '\r\n';
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), p.bytes, Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(chunks) };
}
