/**
 * The skill adapter: a read-only catalog of skills, embedded at build time. It never calls upstream.
 *   GET /skills                          every skill, with its frontmatter and tool names
 *   GET /skills/{name}                   one skill, its tools and its file names
 *   GET /skills/{name}/download          the skill folder as a ZIP archive
 *   GET /skills/{name}/contents          its file names
 *   GET /skills/{name}/contents/{file}   one file
 */
import http from 'node:http';
import { authorize, type InboundAuth } from './inbound-auth.js';

export type SkillTool =
  | { readonly name: string; readonly description: string; readonly from: { readonly sourceNamespace: string; readonly action: string } }
  | { readonly name: string; readonly description: string; readonly instruction: string };

export interface SkillEntry {
  readonly name: string;
  readonly description: string;
  readonly frontmatter: Readonly<Record<string, unknown>>;
  readonly tools: readonly SkillTool[];
  readonly files: ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

export interface SkillServerOptions {
  skills: readonly SkillEntry[];
  auth?: InboundAuth;
}

function summary(skill: SkillEntry): Record<string, unknown> {
  return { name: skill.name, description: skill.description, ...skill.frontmatter, tools: skill.tools.map((t) => t.name) };
}

function contentType(path: string): string {
  if (/\.md$/i.test(path)) return 'text/markdown; charset=utf-8';
  if (/\.json$/i.test(path)) return 'application/json; charset=utf-8';
  if (/\.ya?ml$/i.test(path)) return 'application/yaml; charset=utf-8';
  return 'text/plain; charset=utf-8';
}

export function createSkillServer(options: SkillServerOptions): http.Server {
  const byName = new Map(options.skills.map((s) => [s.name, s]));
  return http.createServer((req, res) => {
    if (!authorize(options.auth, req, res, 'rest')) return;
    const send = (status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra }).end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, value: unknown): void => send(status, JSON.stringify(value), 'application/json');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let segments: string[];
    try {
      segments = (q < 0 ? url : url.slice(0, q)).split('/').slice(1).map(decodeURIComponent);
    } catch {
      json(400, { error: 'invalid_request', message: 'The request path is not valid percent-encoding.' });
      return;
    }
    if (segments[0] !== 'skills') {
      json(404, { error: 'not_found', message: 'The skill catalog is at /skills.' });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(405, { error: 'method_not_allowed', message: 'The skill catalog is read-only.' });
      return;
    }
    if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) {
      json(200, { skills: options.skills.map(summary) });
      return;
    }
    const skill = byName.get(segments[1]!);
    if (!skill) {
      json(404, { error: 'not_found', message: `No skill is named ${segments[1]}.` });
      return;
    }
    const files = skill.files.map((f) => f.path);
    if (segments.length === 2) json(200, { ...summary(skill), tools: skill.tools, files });
    else if (segments.length === 3 && segments[2] === 'download') {
      send(200, zip(skill.files.map((f) => ({ path: `${skill.name}/${f.path}`, data: Buffer.from(f.text, 'utf8') }))), 'application/zip', {
        'content-disposition': `attachment; filename="${skill.name}.zip"`,
      });
    } else if (segments.length === 3 && segments[2] === 'contents') json(200, { files });
    else if (segments.length > 3 && segments[2] === 'contents') {
      const path = segments.slice(3).join('/');
      const file = skill.files.find((f) => f.path === path);
      if (file) send(200, file.text, contentType(path));
      else json(404, { error: 'not_found', message: `The skill ${skill.name} has no file ${path}.` });
    } else json(404, { error: 'not_found', message: `Nothing is served at ${url}.` });
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive of stored (uncompressed) entries with a fixed date (1980-01-01), so the same skill
 * gives the same bytes on every download. Skill folders are small text files: no compression needed,
 * and no dependency for the generated project.
 */
export function zip(entries: ReadonlyArray<{ path: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // The fields local and central headers share, in the same order: version needed, flags (names in
  // UTF-8), method (stored), time, date (1980-01-01), CRC-32, both sizes, name length.
  const common = (header: Buffer, at: number, crc: number, size: number, nameLength: number): void => {
    [20, 0x0800, 0, 0, (1 << 5) | 1].forEach((v, i) => header.writeUInt16LE(v, at + 2 * i));
    [crc, size, size].forEach((v, i) => header.writeUInt32LE(v, at + 10 + 4 * i));
    header.writeUInt16LE(nameLength, at + 22);
  };
  for (const e of entries) {
    const name = Buffer.from(e.path, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4, crc, e.data.length, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    common(central, 6, crc, e.data.length, name.length);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
