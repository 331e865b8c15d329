/**
 * Generated calls whose inputs and consumed parameters differ (issue 12): the client's argument types
 * say what is passed (required where every call gives a value, widened where a call passes another
 * JSON type) with no cast through `unknown`; `secrets` reaches only the factories that read one; lines
 * stay short. One project, built, type-checked (also with unused locals and parameters refused) and
 * started once; the fake upstream shows the values still go out as they came in.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';

const YAML = `naftiko: 1.0.0-alpha2
info:
  label: Shapes
  description: Calls whose inputs and arguments differ in type.
binds:
  - namespace: env
    keys:
      SHAPES_TOKEN: SHAPES_TOKEN
capability:
  consumes:
    - type: http
      namespace: shop
      baseUri: https://shop.example
      resources:
        - name: items
          path: /items/{{id}}
          operations:
            - name: get-item
              method: GET
              inputParameters:
                - name: limit
                  in: query
                  type: integer
                  required: true
                - name: fresh
                  in: query
                  type: boolean
                - name: key
                  in: header
  exposes:
    - type: rest
      namespace: shop-rest
      port: 8081
      resources:
        - path: /items/{id}
          name: item
          operations:
            - method: GET
              name: get-item
              call: shop.get-item
              inputParameters:
                - name: count
                  in: query
                  type: string
                  required: true
                  description: How many, as text.
              with:
                limit: rest.count
                fresh: "true"
        - path: /lookup
          name: lookup
          operations:
            - method: GET
              name: lookup-item
              call: shop.get-item
              inputParameters:
                - name: which
                  in: query
                  type: string
                  description: Which item, if any.
              with:
                id: rest.which
                limit: 5
    - type: mcp
      namespace: shop-mcp
      port: 9091
      tools:
        - name: get-item
          description: Read one item with the shop key.
          call: shop.get-item
          with:
            limit: 3
            key: "{{env.SHAPES_TOKEN}}"
        - name: hello
          description: Says hello.
          outputParameters:
            - name: greeting
              type: string
              value: hi
`;

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let mcp: Client;
const code = (path: string) => readFileSync(join(project.dir, path), 'utf8');

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('calls-shape', { yaml: YAML });
  server = await startServer(project, cleanEnv({ SHOP_BASE_URI: upstream.url, SHAPES_TOKEN: 'tok-9', SHOP_REST_PORT: '0', SHOP_MCP_PORT: '0' }), 2);
  mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('argument types of the generated client', () => {
  it('required where every call gives a value, optional where one may not, widened where a call passes text', () => {
    const client = code('src/consumes/shop.ts');
    // `limit` is required upstream and every call fills it: from a string input (REST), or the numbers 5 and 3.
    expect(client).toMatch(/^ {2}limit: number \| string;$/m);
    // `id` comes from the optional `which` on /lookup: it may be missing, so it stays optional.
    expect(client).toMatch(/^ {2}id\?: string;$/m);
    expect(client).toMatch(/^ {2}fresh\?: boolean;$/m);
    // The client reads no secret, so it is not given them.
    expect(client).not.toContain('Secrets');
  });

  it('passes values without casts, the literal "true" as a boolean', () => {
    const routes = code('src/rest/shop-rest.ts');
    expect(routes).toContain('limit: input.count,');
    expect(routes).toContain('fresh: true,');
    for (const dir of ['src/rest', 'src/mcp', 'src/consumes']) {
      for (const file of readdirSync(join(project.dir, dir))) expect(code(join(dir, file)), file).not.toContain('as unknown');
    }
  });

  it('gives `secrets` only to the factories that read one', () => {
    expect(code('src/rest/shop-rest.ts')).toMatch(/export function shopRestRoutes\(apis: Apis\): Route\[\]/);
    expect(code('src/mcp/shop-mcp.ts')).toMatch(/export function buildShopMcpServer\(apis: Apis, secrets: Secrets\): McpServer/);
    expect(code('src/mcp/shop-mcp.ts')).toContain('key: secrets.SHAPES_TOKEN,');
  });

  it('type-checks with unused locals and parameters refused, outside the copied runtime', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? (n === 'runtime' ? [] : files(join(dir, n))) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const config = ts.readConfigFile(join(project.dir, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, project.dir);
    const roots = files(join(project.dir, 'src')).filter((f) => !f.endsWith('hooks.ts'));
    const program = ts.createProgram(roots, { ...options, noEmit: true, noUnusedLocals: true, noUnusedParameters: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && roots.includes(d.file.fileName))
      .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  });

  it('keeps code lines within 100 columns (comments and describe texts are the capability’s words)', () => {
    for (const dir of ['src/rest', 'src/mcp', 'src/consumes']) {
      for (const file of readdirSync(join(project.dir, dir)).filter((f) => !f.endsWith('.openapi.ts'))) {
        const long = code(join(dir, file))
          .split('\n')
          .filter((l) => l.length > 100 && !/^\s*(\/\/|\*|\/\*\*)/.test(l) && !l.includes('.describe('));
        expect(long, file).toEqual([]);
      }
    }
  });
});

describe('what the upstream receives', () => {
  it('the text input goes out as the integer query value, and the boolean literal as true', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'GET', '/items/42?count=7');
    expect(answer.status).toBe(200);
    expect(upstream.last().url).toBe('/items/42?limit=7&fresh=true');
  });

  it('a missing optional input that fills the path is refused before anything is sent', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'GET', '/lookup');
    expect(answer.status).toBe(400);
    expect(upstream.requests).toEqual([]);
  });

  it('the MCP tool sends the bound secret in its header and the number literal', async () => {
    upstream.reset();
    const result = (await mcp.callTool({ name: 'get-item', arguments: { id: 'a1' } })) as { isError?: boolean };
    expect(result.isError).not.toBe(true);
    expect(upstream.last().url).toBe('/items/a1?limit=3');
    expect(upstream.last().headers.key).toBe('tok-9');
  });
});
