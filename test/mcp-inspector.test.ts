/**
 * MCP conformance as a third-party client sees it: the MCP inspector's CLI mode
 * (`@modelcontextprotocol/inspector-cli`, the CLI of `@modelcontextprotocol/inspector`; its own
 * client, built on the SDK's v1 line, not on the v2 packages the generated servers use) lists the
 * tools of a generated MCP server and calls one, over Streamable HTTP and over stdio. The test
 * asserts what the inspector printed (the tools, a tool result carrying what the fake upstream
 * answered) and what the upstream received. One generated seed project, built once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, seedEnv, startServer, stopAll, type GeneratedProject } from './helpers/generated-project.js';
import { REPO, SEED } from './helpers/shared.js';

/**
 * The inspector's launcher. It runs from its own build folder: version 1.0.3 looks for its
 * package.json at `../package.json` relative to the working directory before importing it relative
 * to itself, so any other working directory makes it fail.
 */
const INSPECTOR_DIR = join(REPO, 'node_modules/@modelcontextprotocol/inspector-cli/build');
const SECRET = 'sk-inspector-7f20';
const TOKEN = { id: 'tok-inspected-1', name: 'from the fake upstream', scope: 'ADMIN' };

let project: GeneratedProject | undefined;
let upstream: FakeUpstream;
let env: NodeJS.ProcessEnv;
let mcpUrl: string;

/** Runs the inspector in CLI mode; resolves with what it printed on stdout (JSON), failing on a non-zero exit. */
function inspector(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['cli.js', '--cli', ...args],
      { cwd: INSPECTOR_DIR, env: { ...cleanEnv({}), ...extraEnv }, timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`inspector ${args.join(' ')} failed: ${err.message}\n${stderr}\n${stdout}`));
        else {
          try {
            resolve(JSON.parse(stdout));
          } catch {
            reject(new Error(`inspector printed no JSON: ${stdout}\n${stderr}`));
          }
        }
      },
    );
  });
}

interface Printed {
  tools?: Array<{ name: string; inputSchema: { required?: string[] } }>;
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: { results?: Array<Record<string, unknown>> };
  isError?: boolean;
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('mcp-inspector', { spec: SEED });
  env = seedEnv(upstream.url, SECRET);
  const server = await startServer(project, env, 2);
  mcpUrl = `${server.mcpUrl()}/mcp`;
}, 120_000);

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => {
  upstream.reset();
  upstream.reply({ body: { results: [TOKEN] } });
});

function expectListed(printed: Printed): void {
  const names = (printed.tools ?? []).map((t) => t.name);
  expect(names).toEqual(['list-organization-api-tokens', 'create-organization-api-token', 'delete-organization-api-token']);
  expect(printed.tools?.find((t) => t.name === 'delete-organization-api-token')?.inputSchema.required?.sort()).toEqual(['apiTokenId', 'organizationId']);
}

function expectCalled(printed: Printed, org: string): void {
  expect(printed.isError ?? false).toBe(false);
  expect(printed.structuredContent?.results).toEqual([TOKEN]);
  expect(JSON.parse(printed.content?.[0]?.text ?? 'null')).toEqual({ results: [TOKEN] });
  expect(upstream.requests).toHaveLength(1);
  expect(upstream.last().method).toBe('GET');
  expect(upstream.last().url).toBe(`/organization/${org}/apiToken?name=by%20inspector`);
  expect(upstream.last().headers.authorization).toBe(`Bearer ${SECRET}`);
}

const callArgs = (org: string) => ['--method', 'tools/call', '--tool-name', 'list-organization-api-tokens', '--tool-arg', `organizationId=${org}`, 'name=by inspector'];

describe('the MCP inspector CLI against a generated server', () => {
  it('over Streamable HTTP: lists the tools and calls one, which reaches the upstream', async () => {
    expectListed((await inspector([mcpUrl, '--transport', 'http', '--method', 'tools/list'])) as Printed);
    expect(upstream.requests).toHaveLength(0);
    expectCalled((await inspector([mcpUrl, '--transport', 'http', ...callArgs('ORG-HTTP')])) as Printed, 'ORG-HTTP');
  });

  it('over Streamable HTTP: a call the tool refuses is a tool error, and nothing goes upstream', async () => {
    const printed = (await inspector([mcpUrl, '--transport', 'http', '--method', 'tools/call', '--tool-name', 'delete-organization-api-token', '--tool-arg', 'organizationId=ORG'])) as Printed;
    expect(printed.isError).toBe(true);
    expect(printed.content?.[0]?.text).toMatch(/apiTokenId/);
    expect(upstream.requests).toHaveLength(0);
  });

  it('over stdio: lists the tools and calls one, which reaches the upstream', async () => {
    const stdio = [process.execPath, join(project!.dir, 'dist/stdio.js')];
    expectListed((await inspector([...stdio, '--method', 'tools/list'], env)) as Printed);
    expectCalled((await inspector([...stdio, ...callArgs('ORG-STDIO')], env)) as Printed, 'ORG-STDIO');
  });
});
