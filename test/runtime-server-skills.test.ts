/**
 * The skill adapter (templates/runtime/skills.ts) started in this process on 127.0.0.1:0: the
 * catalog, each skill, its files and its ZIP archive, read back byte by byte, so that mutation testing
 * sees the module.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundAuth } from '../templates/runtime/inbound-auth.js';
import { createSkillServer, type SkillEntry, zip } from '../templates/runtime/skills.js';
import { request } from './helpers/generated-project.js';

const SKILLS: SkillEntry[] = [
  {
    name: 'harbour pilot',
    description: 'Brings vessels in.',
    frontmatter: { license: 'MIT', 'allowed-tools': 'get-vessel' },
    tools: [
      { name: 'get-vessel', description: 'A vessel.', from: { sourceNamespace: 'harbour-mcp', action: 'get-vessel' } },
      { name: 'checklist', description: 'What to check.', instruction: 'Read checklist.md first.' },
    ],
    files: [
      { path: 'SKILL.md', text: '# Pilot\n' },
      { path: 'docs/checklist.MD', text: 'ropes ✓\n' },
      { path: 'data/ports.json', text: '{"ports":[]}' },
      { path: 'data/tides.yml', text: 'a: 1\n' },
      { path: 'data/moon.yaml', text: 'b: 2\n' },
      { path: 'notes.txt', text: 'plain' },
    ],
  },
  { name: 'empty', description: 'Nothing in it.', frontmatter: {}, tools: [], files: [] },
];

const servers: http.Server[] = [];
let base: string;

async function start(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  base = await start(createSkillServer({ skills: SKILLS }));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** The entries of a ZIP archive, read from its central directory and checked against their local headers. */
function unzip(archive: Buffer): Array<{ path: string; text: string; date: number; time: number; flags: number; method: number }> {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  expect(archive.readUInt16LE(end + 8)).toBe(count);
  const size = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  expect(at + size).toBe(end);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    expect([archive.readUInt16LE(at + 4), archive.readUInt16LE(at + 6)]).toEqual([20, 20]);
    const crc = archive.readUInt32LE(at + 16);
    const length = archive.readUInt32LE(at + 20);
    expect(archive.readUInt32LE(at + 24)).toBe(length);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const path = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // The local header repeats the central one's fields.
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    expect(archive.subarray(local + 4, local + 30)).toEqual(archive.subarray(at + 6, at + 32));
    const data = archive.subarray(local + 30 + nameLength, local + 30 + nameLength + length);
    expect(crc32(data)).toBe(crc);
    out.push({ path, text: data.toString('utf8'), flags: archive.readUInt16LE(at + 8), method: archive.readUInt16LE(at + 10), time: archive.readUInt16LE(at + 12), date: archive.readUInt16LE(at + 14) });
    at += 46 + nameLength;
  }
  return out;
}

describe('the skill catalog', () => {
  it('lists every skill with its frontmatter and tool names, with or without a trailing slash', async () => {
    const want = {
      skills: [
        { name: 'harbour pilot', description: 'Brings vessels in.', license: 'MIT', 'allowed-tools': 'get-vessel', tools: ['get-vessel', 'checklist'] },
        { name: 'empty', description: 'Nothing in it.', tools: [] },
      ],
    };
    for (const path of ['/skills', '/skills/', '/skills?x=1']) {
      const res = await request(base, 'GET', path);
      expect([res.status, res.headers['content-type'], res.json()]).toEqual([200, 'application/json', want]);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    }
  });

  it('describes one skill: its tools in full and its file names; lists its contents', async () => {
    const one = await request(base, 'GET', '/skills/harbour%20pilot');
    expect(one.json()).toEqual({ ...SKILLS[0]!.frontmatter, name: 'harbour pilot', description: 'Brings vessels in.', tools: SKILLS[0]!.tools, files: SKILLS[0]!.files.map((f) => f.path) });
    expect((await request(base, 'GET', '/skills/empty/contents')).json()).toEqual({ files: [] });
    expect((await request(base, 'GET', '/skills/harbour%20pilot/contents')).json().files).toHaveLength(6);
  });

  it('serves each file with the content type of its extension', async () => {
    const cases: Array<[string, string, string]> = [
      ['SKILL.md', 'text/markdown; charset=utf-8', '# Pilot\n'],
      ['docs/checklist.MD', 'text/markdown; charset=utf-8', 'ropes ✓\n'],
      ['data/ports.json', 'application/json; charset=utf-8', '{"ports":[]}'],
      ['data/tides.yml', 'application/yaml; charset=utf-8', 'a: 1\n'],
      ['data/moon.yaml', 'application/yaml; charset=utf-8', 'b: 2\n'],
      ['notes.txt', 'text/plain; charset=utf-8', 'plain'],
    ];
    for (const [path, type, text] of cases) {
      const res = await request(base, 'GET', `/skills/harbour%20pilot/contents/${path}`);
      expect([path, res.status, res.headers['content-type'], res.text, res.headers['content-length']]).toEqual([path, 200, type, text, String(Buffer.byteLength(text))]);
    }
    const missing = await request(base, 'GET', '/skills/harbour%20pilot/contents/docs/none.md');
    expect([missing.status, missing.json()]).toEqual([404, { error: 'not_found', message: 'The skill harbour pilot has no file docs/none.md.' }]);
  });

  it('downloads a skill as a ZIP archive of stored files under its name, dated 1980-01-01, the same bytes every time', async () => {
    const res = await request(base, 'GET', '/skills/harbour%20pilot/download');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="harbour pilot.zip"');
    const again = await new Promise<Buffer>((resolve) => {
      import('node:http').then(({ get }) =>
        get(`${base}/skills/harbour%20pilot/download`, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        }),
      );
    });
    expect(Number(res.headers['content-length'])).toBe(again.length);
    const entries = unzip(again);
    expect(entries.map((e) => [e.path, e.text])).toEqual(SKILLS[0]!.files.map((f) => [`harbour pilot/${f.path}`, f.text]));
    for (const e of entries) expect([e.flags, e.method, e.time, e.date]).toEqual([0x0800, 0, 0, (1 << 5) | 1]);
    expect(zip([{ path: 'a', data: Buffer.from('x') }])).toEqual(zip([{ path: 'a', data: Buffer.from('x') }]));
    expect(unzip(zip([]))).toEqual([]);
  });

  it('types a file by its last extension only', async () => {
    const files = ['a.md.txt', 'b.json.bak', 'c.yml.orig'].map((path) => ({ path, text: 'x' }));
    const one = await start(createSkillServer({ skills: [{ name: 's', description: 'd', frontmatter: {}, tools: [], files }] }));
    for (const f of files) expect([f.path, (await request(one, 'GET', `/skills/s/contents/${f.path}`)).headers['content-type']]).toEqual([f.path, 'text/plain; charset=utf-8']);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await request(base, 'HEAD', '/skills/harbour%20pilot/contents/notes.txt');
    expect([res.status, res.headers['content-length'], res.headers['content-type'], res.text]).toEqual([200, '5', 'text/plain; charset=utf-8', '']);
  });

  it('refuses what it does not serve', async () => {
    const cases: Array<[string, string, number, unknown]> = [
      ['GET', '/', 404, { error: 'not_found', message: 'The skill catalog is at /skills.' }],
      ['GET', '/skillsets', 404, { error: 'not_found', message: 'The skill catalog is at /skills.' }],
      ['POST', '/skills', 405, { error: 'method_not_allowed', message: 'The skill catalog is read-only.' }],
      ['DELETE', '/skills/empty', 405, { error: 'method_not_allowed', message: 'The skill catalog is read-only.' }],
      ['GET', '/skills/nobody', 404, { error: 'not_found', message: 'No skill is named nobody.' }],
      ['GET', '/skills//empty', 404, { error: 'not_found', message: 'No skill is named .' }],
      ['GET', '/skills/empty/other', 404, { error: 'not_found', message: 'Nothing is served at /skills/empty/other.' }],
      ['GET', '/skills/empty/download/x', 404, { error: 'not_found', message: 'Nothing is served at /skills/empty/download/x.' }],
      ['GET', '/skills/%E0%A4%A', 400, { error: 'invalid_request', message: 'The request path is not valid percent-encoding.' }],
    ];
    for (const [method, path, status, body] of cases) {
      const res = await request(base, method, path);
      expect([method, path, res.status, res.json()]).toEqual([method, path, status, body]);
    }
  });

  it('asks for the credential when the adapter has inbound authentication', async () => {
    const locked = await start(createSkillServer({ skills: SKILLS, auth: inboundAuth('skills', { kind: 'basic', username: 'u', password: 'p' }) }));
    const refused = await request(locked, 'GET', '/skills');
    expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, 'Basic realm="skills", charset="UTF-8"']);
    const ok = await request(locked, 'GET', '/skills', { headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } });
    expect(ok.json().skills).toHaveLength(2);
  });
});
