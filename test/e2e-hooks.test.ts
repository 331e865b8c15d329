/**
 * The one hand-written file of a generated project, src/hooks.ts: created once, kept across rebuilds
 * (and --check), and called by the generated clients around every upstream request.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { cleanEnv, request, startServer, stopAll, type GeneratedProject } from './helpers/generated-project.js';
import { scratch } from './helpers/output.js';
import { REPO, SEED } from './helpers/shared.js';

const HOOKS = `import type { Hooks } from './runtime/hooks.js';

export const hooks: Hooks = {
  beforeUpstream(call) {
    call.headers['x-hooked'] = call.api + ' ' + call.operation;
  },
  afterUpstream(response, call) {
    if (call.operation === 'listorganizationapitokens') return { ...response, text: JSON.stringify({ reshaped: true, status: response.status }) };
  },
};
`;

let dir: string;
let out: string;
let upstream: FakeUpstream;

beforeAll(async () => {
  dir = scratch('hooks');
  out = join(dir, 'project');
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('src/hooks.ts', () => {
  it('is created once, listed as the user\'s, and survives rebuilds and --check', async () => {
    expect((await runCli('build', SEED, '--out', out)).code).toBe(0);
    expect(readFileSync(join(out, 'src/hooks.ts'), 'utf8')).toContain('never overwrites or deletes it');
    const manifest = JSON.parse(readFileSync(join(out, '.naftiko-gen.json'), 'utf8')) as { files: string[]; userFiles: string[] };
    expect(manifest.userFiles).toEqual(['src/hooks.ts']);
    expect(manifest.files).not.toContain('src/hooks.ts');

    writeFileSync(join(out, 'src/hooks.ts'), HOOKS);
    const again = await runCli('build', SEED, '--out', out);
    expect(again.stdout).toContain('unchanged');
    expect(readFileSync(join(out, 'src/hooks.ts'), 'utf8')).toBe(HOOKS);
    expect((await runCli('build', '--check', SEED, '--out', out)).code).toBe(0);

    // Deleted by mistake: the next build creates it again, and --check says it is missing until then.
    rmSync(join(out, 'src/hooks.ts'));
    const check = await runCli('build', '--check', SEED, '--out', out);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('missing: src/hooks.ts');
    await runCli('build', SEED, '--out', out);
    expect(readFileSync(join(out, 'src/hooks.ts'), 'utf8')).toContain('never overwrites or deletes it');
    writeFileSync(join(out, 'src/hooks.ts'), HOOKS);
  });

  it('is called by the generated code around every upstream request', async () => {
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const project: GeneratedProject = { dir: out, buildOutput: '', remove: () => undefined };
    const server = await startServer(
      project,
      cleanEnv({
        QOVERY_API_KEY: 'k',
        QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstream.url,
        QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
        QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
        QOVERY_ORGANIZATION_API_TOKEN_REST_HOST: '127.0.0.1',
      }),
      2,
    );
    const listed = await request(server.restUrl(), 'GET', '/v1/organization/o/apitoken');
    expect(upstream.last().headers['x-hooked']).toBe('qovery-organization-api-token listorganizationapitokens');
    expect(listed.json()).toEqual({ reshaped: true, status: 200 });
    const deleted = await request(server.restUrl(), 'DELETE', '/v1/organization/o/apitoken/t');
    expect(upstream.last().headers['x-hooked']).toBe('qovery-organization-api-token deleteorganizationapitoken');
    expect(deleted.json()).not.toHaveProperty('reshaped');
  });
});
