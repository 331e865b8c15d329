/**
 * Done when: the README's quick start, followed command by command, ends with an MCP client (the SDK's,
 * over Streamable HTTP and over stdio) listing the Qovery tools. naftiko-gen comes from `npm pack`,
 * installed into a clean folder outside this repository (which is what `npm ci` in a clone gives:
 * the compiled CLI, schemas and templates). Two steps are stood in for, offline: the clone's `npm ci`
 * by that install, and the generated project's `npm install` by a link to our node_modules, which
 * holds the same pinned versions. The upstream is a fake on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { cleanEnv, request } from './helpers/generated-project.js';
import { packAndInstall, type Installed } from './helpers/pack.js';
import { REPO, SEED } from './helpers/shared.js';

const SECRET = 'sk-quickstart-7d1e';
const TOOLS = ['create-organization-api-token', 'delete-organization-api-token', 'list-organization-api-tokens'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The commands of the README's quick start, as written. */
function quickStart(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.trim().split('\n');
}

let installed: Installed;
let upstream: FakeUpstream;
let project = '';
let env: NodeJS.ProcessEnv = {};
let npmStart: ChildProcess | undefined;
let startErr = '';
const adapters: Record<string, string> = {};
const clients: Client[] = [];

function sh(command: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', command], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  installed = packAndInstall();
  let cwd = installed.dir;
  mkdirSync(join(cwd, 'examples/qovery'), { recursive: true });
  copyFileSync(SEED, join(cwd, 'examples/qovery/qovery-organization-api-token.yaml'));
  for (const command of quickStart()) {
    if (command === 'npm ci') continue; // the install of the packed tarball above
    if (command.startsWith('npx naftiko-gen build ') || command === 'npm run build') {
      const r = sh(command, cwd);
      expect(r.code, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
    } else if (command.startsWith('cd ')) {
      cwd = join(cwd, command.slice(3));
      project = cwd;
    } else if (command === 'npm install') {
      symlinkSync(join(REPO, 'node_modules'), join(cwd, 'node_modules'), 'dir');
    } else if (command.startsWith('export QOVERY_API_KEY=')) {
      // The documented variables: the secret, and (for a test) random ports and the fake upstream.
      env = cleanEnv({
        QOVERY_API_KEY: SECRET,
        QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstream.url,
        QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
        QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
      });
    } else if (command === 'npm start') {
      npmStart = spawn(NPM, ['start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      npmStart.stderr!.setEncoding('utf8').on('data', (d: string) => (startErr += d));
      npmStart.stdout!.resume();
      for (let i = 0; i < 400 && Object.keys(adapters).length < 2; i++) {
        for (const m of startErr.matchAll(/^(REST|MCP) adapter .* listening on (http:\/\/\S+)$/gm)) adapters[m[1]!] = m[2]!;
        if (npmStart.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(Object.keys(adapters).sort(), startErr).toEqual(['MCP', 'REST']);
    } else throw new Error(`the quick start has a command this test does not know: ${command}`);
  }
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  if (npmStart?.pid && npmStart.exitCode === null) {
    const exited = new Promise((r) => npmStart!.once('exit', r));
    process.kill(-npmStart.pid, 'SIGTERM');
    await exited;
  }
  await upstream?.stop();
  if (installed) rmSync(installed.dir, { recursive: true, force: true });
});

describe('the packed CLI', () => {
  it('holds the compiled CLI, schemas and templates only, and runs from a clean folder', () => {
    const top = new Set(installed.contents.map((p) => p.split('/').slice(1, 2).join('/')));
    expect([...top].sort()).toEqual(['README.md', 'bin', 'dist', 'package.json', 'schema', 'templates']);
    expect(installed.contents).toContain('package/dist/cli/main.js');
    // The bin starts from the bundle and its code cache (scripts/bundle.mjs): the rest of this file runs it.
    expect(installed.contents).toEqual(expect.arrayContaining(['package/dist/bundle/naftiko-gen.js', 'package/dist/bundle/naftiko-gen.code-cache', 'package/dist/bundle/write-thread.js', 'package/bin/thread.cjs', 'package/bin/load-bundle.cjs']));
    // The run-time CommonJS files' code caches (precompiled schemas and templates) travel with it.
    expect(installed.contents.some((f) => /^package\/dist\/bundle\/code-cache\/[0-9a-f]+\.code-cache$/.test(f))).toBe(true);
    expect(installed.contents.some((p) => p.startsWith('package/dist/schemas/'))).toBe(true);
    expect(installed.contents.filter((p) => /^package\/(src|test|scripts|bench|examples)\//.test(p) || p.endsWith('.map'))).toEqual([]);
    const version = sh('npx naftiko-gen --version', installed.dir);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe("the README's quick start", () => {
  it('is the commands this test ran', () => {
    expect(quickStart()).toEqual([
      'npm ci',
      'npx naftiko-gen build examples/qovery/qovery-organization-api-token.yaml --out generated/qovery-organization-api-token',
      'cd generated/qovery-organization-api-token',
      'npm install',
      'npm run build',
      'export QOVERY_API_KEY=<your Qovery API token>',
      'npm start',
    ]);
    // The client snippets next to it parse, and point at what the quick start built and started.
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const snippets = [...readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## What it is')).matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as any);
    const claude = Object.values(snippets[0].mcpServers)[0] as { command: string; args: string[]; env: Record<string, string> };
    expect(claude.command).toBe('node');
    expect(claude.args[0]).toMatch(/\/generated\/qovery-organization-api-token\/dist\/stdio\.js$/);
    expect(Object.keys(claude.env)).toEqual(['QOVERY_API_KEY']);
    expect(Object.values(snippets[1].servers).map((v: any) => v.type).sort()).toEqual(['http', 'stdio']);
    expect(readme).toContain('"url": "http://127.0.0.1:9090/mcp"');
    // npm start found dist/ up to date after npm run build: it did not compile again.
    expect(startErr).not.toContain('compiling');
  });

  it('ends with an MCP client over Streamable HTTP listing the Qovery tools and calling one', async () => {
    const client = new Client({ name: 'quickstart', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${adapters.MCP}/mcp`)));
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
    upstream.reset();
    const result = await client.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 'org-1' } });
    expect(result.isError ?? false).toBe(false);
    expect(upstream.last().path).toBe('/organization/org-1/apiToken');
    expect(upstream.last().headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('serves the REST adapter and its OpenAPI description at /openapi.json', async () => {
    const doc = await request(adapters.REST!, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toBe('application/json');
    expect(doc.json()).toEqual(JSON.parse(readFileSync(join(project, 'openapi.json'), 'utf8')));
    expect((await request(adapters.REST!, 'GET', '/v1/organization/org-2/apitoken')).status).toBe(200);
    expect(upstream.last().path).toBe('/organization/org-2/apiToken');
  });

  it('ends with an MCP client over stdio (node dist/stdio.js, as the client snippets say) listing the tools', async () => {
    const client = new Client({ name: 'quickstart', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(project, 'dist/stdio.js')], env: { QOVERY_API_KEY: SECRET, PATH: process.env.PATH ?? '' }, stderr: 'pipe' }));
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
  });

  it('writes nothing but JSON-RPC messages on the stdio server stdout', async () => {
    const child = spawn(process.execPath, [join(project, 'dist/stdio.js')], { cwd: project, env: { ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const send = (message: unknown) => child.stdin.write(JSON.stringify(message) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    for (let i = 0; i < 200 && !/"id":2/.test(out); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGTERM');
    const lines = out.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc, line).toBe('2.0');
    expect((JSON.parse(lines.at(-1)!) as { result: { tools: unknown[] } }).result.tools).toHaveLength(3);
  });
});
