/**
 * Inbound authentication end to end: one generated project (test/fixtures/valid/guarded-harbor.yaml)
 * with a REST and an MCP adapter per kind of credential, against a fake upstream. Without the right
 * credential the answer is 401 and the upstream receives nothing; with it, the call goes through and
 * the caller's credential never reaches the upstream.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, request, runToExit, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';

const SPEC = join(REPO, 'test/fixtures/valid/guarded-harbor.yaml');
const SECRETS = { HARBOR_TOKEN: 'harbor-secret', GATE_TOKEN: 'gate-token-1', GATE_KEY: 'gate-key-2', GATE_USER: 'skipper', GATE_PASSWORD: 'p:ss w0rd' };
const ADAPTERS = ['gate-bearer', 'gate-key', 'gate-query', 'gate-basic', 'tools-bearer', 'tools-key', 'tools-query', 'tools-basic', 'harbor-skills'];

let project: GeneratedProject;
let upstream: FakeUpstream;
let server: RunningServer;

function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const ports = Object.fromEntries(ADAPTERS.map((a) => [`${a.toUpperCase().replace(/-/g, '_')}_PORT`, '0']));
  return cleanEnv({ ...SECRETS, ...ports, CONTROL_PORT: '0', HARBOR_BASE_URI: upstream.url, ...overrides });
}

function url(label: string): string {
  const a = server.adapters.find((x) => x.label.includes(` ${label}`));
  if (!a) throw new Error(`no adapter ${label}: ${server.stderr()}`);
  return a.url;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.reply({ body: [{ berth: 'A1' }] });
  project = await buildProject('guarded-harbor', { spec: SPEC });
  server = await startServer(project, env(), ADAPTERS.length + 1);
}, 120_000);

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

/** For each adapter: requests that must be refused, and the one that must pass. */
const REST_CASES: Array<{ adapter: string; path: string; wrong: Array<Record<string, string> | string>; right: Record<string, string> | string; challenge: RegExp }> = [
  { adapter: 'gate-bearer', path: '/berths', wrong: [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic gate-token-1' }, { authorization: 'Bearer gate-token-1x' }], right: { authorization: 'Bearer gate-token-1' }, challenge: /^Bearer realm="gate-bearer"$/ },
  { adapter: 'gate-key', path: '/berths/b7', wrong: [{}, { 'x-gate-key': 'gate-key-' }, { authorization: 'Bearer gate-key-2' }], right: { 'x-gate-key': 'gate-key-2' }, challenge: /^ApiKey realm="gate-key", in="header", name="X-Gate-Key"$/ },
  { adapter: 'gate-query', path: '/berths', wrong: ['', '?gate_key=wrong', '?gate_key=gate-key-2&gate_key=gate-key-2', '?GATE_KEY=gate-key-2'], right: '?gate_key=gate-key-2&limit=3', challenge: /in="query", name="gate_key"/ },
  { adapter: 'gate-basic', path: '/berths', wrong: [{}, { authorization: basic('skipper', 'p:ss') }, { authorization: basic('skip', 'p:ss w0rd') }, { authorization: 'Basic !!!' }], right: { authorization: basic('skipper', 'p:ss w0rd') }, challenge: /^Basic realm="gate-basic", charset="UTF-8"$/ },
];

describe('inbound authentication on REST adapters', () => {
  for (const c of REST_CASES) {
    it(`${c.adapter}: 401 without the right credential (nothing sent upstream), 200 with it`, async () => {
      upstream.reset();
      upstream.reply({ body: [{ berth: 'A1' }] });
      for (const wrong of c.wrong) {
        const answer = typeof wrong === 'string' ? await request(url(c.adapter), 'GET', c.path + wrong) : await request(url(c.adapter), 'GET', c.path, { headers: wrong });
        expect(answer.status, JSON.stringify(wrong)).toBe(401);
        expect(answer.headers['www-authenticate']).toMatch(c.challenge);
        expect(answer.json()).toMatchObject({ error: 'unauthorized' });
      }
      // An unknown path is refused the same way: nothing about the routes leaks before the credential.
      expect((await request(url(c.adapter), 'GET', '/nowhere')).status).toBe(401);
      expect(upstream.requests).toHaveLength(0);

      const ok = typeof c.right === 'string' ? await request(url(c.adapter), 'GET', c.path + c.right) : await request(url(c.adapter), 'GET', c.path, { headers: c.right });
      expect(ok.status).toBe(200);
      expect(ok.json()).toEqual([{ berth: 'A1' }]);
      expect(upstream.requests).toHaveLength(1);
      const sent = upstream.last();
      // The upstream gets its own credential, never the caller's.
      expect(sent.headers.authorization).toBe('Bearer harbor-secret');
      expect(sent.headers['x-gate-key']).toBeUndefined();
      expect(sent.url).not.toContain('gate_key');
      expect(JSON.stringify(sent)).not.toMatch(/gate-token-1|gate-key-2|p:ss w0rd/);
      if (c.adapter === 'gate-query') expect(sent.url).toBe('/berths?limit=3');
      // The scheme of the Authorization header is case-insensitive (RFC 9110); the credential is not.
      if (c.adapter === 'gate-bearer') expect((await request(url(c.adapter), 'GET', c.path, { headers: { authorization: 'bEARER gate-token-1' } })).status).toBe(200);
      if (c.adapter === 'gate-key') expect(sent.url).toBe('/berths/b7');
    });
  }
});

const MCP_CASES: Array<{ adapter: string; wrong: Array<{ headers?: Record<string, string>; query?: string }>; right: { headers?: Record<string, string>; query?: string } }> = [
  { adapter: 'tools-bearer', wrong: [{}, { headers: { authorization: 'Bearer gate-token-2' } }], right: { headers: { authorization: 'Bearer gate-token-1' } } },
  { adapter: 'tools-key', wrong: [{}, { headers: { 'x-gate-key': 'GATE-KEY-2' } }], right: { headers: { 'x-gate-key': 'gate-key-2' } } },
  { adapter: 'tools-query', wrong: [{}, { query: '?gate_key=gate' }], right: { query: '?gate_key=gate-key-2' } },
  { adapter: 'tools-basic', wrong: [{}, { headers: { authorization: basic('skipper', '') } }], right: { headers: { authorization: basic('skipper', 'p:ss w0rd') } } },
];

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

describe('inbound authentication on MCP adapters (Streamable HTTP)', () => {
  for (const c of MCP_CASES) {
    it(`${c.adapter}: 401 before the MCP server sees the request, tools work with the credential`, async () => {
      upstream.reset();
      upstream.reply({ body: [{ berth: 'A1' }] });
      for (const wrong of c.wrong) {
        const answer = await request(url(c.adapter), 'POST', `/mcp${wrong.query ?? ''}`, {
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...wrong.headers },
          body: INITIALIZE,
        });
        expect(answer.status, JSON.stringify(wrong)).toBe(401);
        expect(answer.headers['www-authenticate']).toContain(`realm="${c.adapter}"`);
        expect(answer.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32001 } });
      }
      const client = new Client({ name: 'e2e', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${url(c.adapter)}/mcp${c.right.query ?? ''}`), { requestInit: { headers: c.right.headers ?? {} } }));
      const result = await client.callTool({ name: 'list-berths', arguments: { limit: '2' } });
      await client.close();
      expect(result.isError).toBeFalsy();
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.last().url).toBe('/berths?limit=2');
      expect(upstream.last().headers.authorization).toBe('Bearer harbor-secret');
      expect(JSON.stringify(upstream.last())).not.toMatch(/gate-token-1|gate-key-2|p:ss w0rd/);
    });
  }
});

function download(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; type: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], bytes: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** The entries of a ZIP archive of stored files, read from its central directory. */
function unzipStored(zip: Buffer): Record<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26);
    out[name] = zip.subarray(dataAt, dataAt + size).toString('utf8');
    at += 46 + nameLength;
  }
  return out;
}

describe('skill adapter', () => {
  it('serves the read-only catalog behind its authentication, with files from the skill folder, and calls nothing upstream', async () => {
    upstream.reset();
    const base = url('harbor-skills');
    const auth = { authorization: 'Bearer gate-token-1' };
    expect((await request(base, 'GET', '/skills')).status).toBe(401);
    const list = await request(base, 'GET', '/skills', { headers: auth });
    expect(list.json()).toEqual({
      skills: [
        { name: 'berth-survey', description: 'Survey the berths: which are free, and for how long.', license: 'Apache-2.0', metadata: { team: 'harbor "ops"' }, 'allowed-tools': 'list-berths', 'user-invocable': false, tools: ['list-berths', 'read-berth'] },
        { name: 'berthing', description: 'Bring a ship to a free berth of the harbor.', tools: ['docking'] },
      ],
    });
    const survey = (await request(base, 'GET', '/skills/berth-survey', { headers: auth })).json();
    expect(survey.tools[1]).toEqual({ name: 'read-berth', description: 'Read one berth through the REST adapter.', from: { sourceNamespace: 'gate-key', action: 'get-berth' } });
    expect(survey.files).toEqual(['SKILL.md']);
    const made = await request(base, 'GET', '/skills/berth-survey/contents/SKILL.md', { headers: auth });
    expect(made.headers['content-type']).toMatch(/^text\/markdown/);
    expect(made.text).toMatch(/^---\nname: berth-survey\ndescription: "Survey the berths: which are free, and for how long."\n/);
    expect((await request(base, 'GET', '/skills/berthing/contents', { headers: auth })).json()).toEqual({ files: ['SKILL.md', 'steps/docking.md'] });
    const step = await request(base, 'GET', '/skills/berthing/contents/steps/docking.md', { headers: auth });
    expect(step.text).toBe('1. Ask the harbor master for a berth.\n2. Wait for the pilot boat.\n');
    for (const path of ['/skills/berthing/contents/../../../etc/passwd', '/skills/berthing/contents/%2e%2e/SKILL.md', '/skills/nope', '/skills/berthing/other']) {
      expect((await request(base, 'GET', path, { headers: auth })).status, path).toBe(404);
    }
    expect((await request(base, 'POST', '/skills', { headers: auth })).status).toBe(405);
    const zip = await download(base, '/skills/berthing/download', auth);
    expect([zip.status, zip.type]).toEqual([200, 'application/zip']);
    expect(unzipStored(zip.bytes)).toEqual({
      'berthing/SKILL.md': (await request(base, 'GET', '/skills/berthing/contents/SKILL.md', { headers: auth })).text,
      'berthing/steps/docking.md': step.text,
    });
    expect((await download(base, '/skills/berthing/download', auth)).bytes.equals(zip.bytes)).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('control adapter', () => {
  it('serves liveness, readiness, status and Prometheus metrics of the other adapters, and calls nothing upstream', async () => {
    upstream.reset();
    const control = server.adapters.find((a) => a.label === 'Control adapter')!.url;
    expect((await request(url('gate-bearer'), 'GET', '/berths')).status).toBe(401);
    const live = await request(control, 'GET', '/health/live');
    expect([live.status, live.json()]).toEqual([200, { status: 'UP' }]);
    const ready = await request(control, 'GET', '/health/ready');
    expect([ready.status, ready.json()]).toEqual([200, { status: 'UP' }]);
    const status = (await request(control, 'GET', '/status')).json();
    expect(status.capability).toBe('Guarded harbor');
    expect(status.adapters).toHaveLength(ADAPTERS.length + 1);
    expect(status.adapters[0]).toMatchObject({ adapter: 'REST adapter gate-bearer', listening: true });
    expect(status.adapters[0].port).toBe(Number(new URL(url('gate-bearer')).port));
    const metrics = await request(control, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('# TYPE naftiko_http_requests_total counter');
    expect(metrics.text).toMatch(/^naftiko_http_requests_total\{adapter="REST adapter gate-bearer",method="GET",status="401"\} [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^naftiko_http_request_duration_seconds_count\{adapter="MCP adapter tools-key \(Streamable HTTP at \/mcp\)"\} [1-9]/m);
    expect((await request(control, 'POST', '/metrics')).status).toBe(405);
    expect((await request(control, 'GET', '/traces')).status).toBe(404);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('inbound authentication at start', () => {
  it('does not start without the secret a protection is bound to, and names it', async () => {
    const result = await runToExit(project, 'dist/main.js', env({ GATE_KEY: undefined }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GATE_KEY');
    expect(result.stderr).not.toContain('listening');
  });
});
