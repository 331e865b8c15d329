/**
 * Size: a capability with 1,200 operations, 1,200 tools and 800 REST resources (about 2 MB of YAML,
 * written by scripts/make-large-capability.mjs) validates, builds, type-checks and starts.
 * How long each step takes is measured by `npm run bench`, not asserted here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { cleanEnv, connectMcpHttp, request, startServer, stopAll } from './helpers/generated-project.js';
import { scratch } from './helpers/output.js';
import { REPO } from './helpers/shared.js';

let dir: string;
let spec: string;
let out: string;
let upstream: FakeUpstream;

beforeAll(async () => {
  dir = scratch('large');
  spec = join(dir, 'large.yaml');
  out = join(dir, 'project');
  execFileSync(process.execPath, [join(REPO, 'scripts/make-large-capability.mjs'), spec], { stdio: 'ignore' });
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a capability with 1,200 operations', () => {
  it('is about 2 MB and validates with zero findings, even with --strict', async () => {
    expect(statSync(spec).size).toBeGreaterThan(1_500_000);
    const r = await runCli('validate', '--strict', spec);
    expect(r.stdout.trim()).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings.');
  });

  it('builds, type-checks with zero errors, starts, and serves every tool and route', async () => {
    expect((await runCli('build', spec, '--out', out)).code).toBe(0);
    let diagnostics = '';
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
    } catch (err) {
      diagnostics = String((err as { stdout?: string }).stdout);
    }
    expect(diagnostics).toBe('');
    const server = await startServer(
      { dir: out, buildOutput: '', remove: () => undefined },
      cleanEnv({ LARGE_API_TOKEN: 't', LARGE_API_BASE_URI: upstream.url, LARGE_REST_PORT: '0', LARGE_MCP_PORT: '0', LARGE_REST_HOST: '127.0.0.1' }),
      2,
    );
    const answer = await request(server.restUrl(), 'GET', '/v1/areas/a1/resource-0/i1?filter=x');
    expect(answer.status).toBe(200);
    expect(upstream.last().url).toBe('/areas/a1/resource-0/i1?filter=x');
    const client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(1200);
    const result = await client.callTool({ name: 'tool-operation-1199', arguments: { areaId: 'a', itemId: 'b', page: 3 } });
    expect(result.isError).toBeFalsy();
    expect(upstream.last().url).toBe('/areas/a/resource-399/b?page=3');
    await client.close();
    expect(JSON.parse(readFileSync(join(out, '.naftiko-gen.json'), 'utf8')).files.length).toBeGreaterThan(10);
  }, 120_000);
});
