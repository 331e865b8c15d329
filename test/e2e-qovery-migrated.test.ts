/**
 * The seed, migrated to the newest ikanos version by `naftiko-gen migrate`, behaves as the seed does: the
 * same requests reach the upstream and clients get the same answers, through REST and MCP. The
 * expectations are those of test/e2e-qovery.test.ts (which runs the alpha2 seed), on the migrated file.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateText } from '../src/migrate/migrate.js';
import { validateText } from '../src/validate/validate.js';
import { NEWEST_VERSION } from '../src/validate/versions.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { SEED } from './helpers/shared.js';

const SECRET = 'sk-e2e-migrated-s3cret-41d2';
const migrated = migrateText(readFileSync(SEED, 'utf8'));

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let mcp: Client;

beforeAll(async () => {
  if (!migrated.ok) throw new Error(migrated.message);
  upstream = await startFakeUpstream();
  project = await buildProject('qovery-seed-migrated', { yaml: migrated.text });
  server = await startServer(
    project,
    cleanEnv({
      QOVERY_API_KEY: SECRET,
      QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstream.url,
      QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
      QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
    }),
    2,
  );
  mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream?.reset());

describe(`the Qovery seed migrated to ikanos ${NEWEST_VERSION.version}`, () => {
  it('validates without errors, its typed inputs declared where they are used: only the relaxations without an official form are left', () => {
    if (!migrated.ok) throw new Error(migrated.message);
    expect(migrated.text).toMatch(/^ikanos: /m);
    const relaxed = validateText(SEED, migrated.text);
    expect(relaxed.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const count = (rule: string, r = relaxed) => r.findings.filter((f) => f.rule === rule).length;
    const original = validateText(SEED, readFileSync(SEED, 'utf8'));
    expect(count('relaxed-consumed-input-annotations', original)).toBe(4);
    expect(count('relaxed-consumed-input-annotations')).toBe(0);
    // Three REST operations and three MCP tools return the whole answer as an object: the REST ones say it officially now.
    expect(count('relaxed-object-output-mapping', original)).toBe(6);
    expect(count('relaxed-object-output-mapping')).toBe(3);
    expect(count('relaxed-rest-description')).toBe(1);
    // Under --strict the same uses are the errors, each at its place (not a branch error of the MCP tool's anyOf).
    const strict = validateText(SEED, migrated.text, { strict: true }).findings.filter((f) => f.severity === 'error');
    expect(strict.map((f) => `${f.rule} ${f.line}`)).toEqual(
      relaxed.findings.filter((f) => f.rule.startsWith('relaxed-')).map((f) => `${f.rule} ${f.line}`),
    );
    expect(strict).toHaveLength(4);
    expect(migrated.text).toContain('            inputParameters:\n              name:\n                in: query\n                type: string\n');
  });

  it('REST: the same requests upstream (path, query, bearer, JSON body) and the same answers', async () => {
    const list = await request(server.restUrl(), 'GET', '/v1/organization/ORG/apitoken?name=a%20b&creatorName=c');
    expect(list.status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'GET', url: '/organization/ORG/apiToken?name=a%20b&creatorName=c' });
    expect(upstream.last().headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(list.json()).toMatchObject({ method: 'GET', url: '/organization/ORG/apiToken?name=a%20b&creatorName=c', body: '' });

    const created = await request(server.restUrl(), 'POST', '/v1/organization/ORG/apitoken', { headers: { 'content-type': 'application/json' }, body: '{"name":"t"}' });
    expect(created.status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'POST', url: '/organization/ORG/apiToken' });
    expect(upstream.last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(upstream.last().body)).toEqual({ name: 't' });

    const hostile = await request(server.restUrl(), 'DELETE', '/v1/organization/a%2Fb/apitoken/T');
    expect(hostile.status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'DELETE', url: '/organization/a%2Fb/apiToken/T' });

    upstream.replyOnce({ status: 404, body: { message: 'no such organization', code: 'NOT_FOUND' } });
    const missing = await request(server.restUrl(), 'GET', '/v1/organization/nope/apitoken');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'no such organization', code: 'NOT_FOUND' });

    const bad = await request(server.restUrl(), 'POST', '/v1/organization/ORG/apitoken', { headers: { 'content-type': 'application/json' }, body: '[1]' });
    expect(bad.status).toBe(400);
    expect(upstream.requests).toHaveLength(4);
  });

  it('the inputs declared by migrate are those the seed infers: MCP input schemas, optional REST filters and body', async () => {
    const { tools } = await mcp.listTools();
    const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, { type?: string; description?: string }>; required?: string[] };
    const list = schema('list-organization-api-tokens');
    expect(Object.keys(list.properties).sort()).toEqual(['creatorName', 'name', 'organizationId']);
    expect(list.properties.name).toMatchObject({ type: 'string', description: 'Name of the token to filter results by.' });
    expect(list.required).toEqual(['organizationId']);
    const create = schema('create-organization-api-token');
    expect(create.properties.body!.type).toBe('object');
    expect(create.required).toEqual(['organizationId']);
    expect(schema('delete-organization-api-token').required!.slice().sort()).toEqual(['apiTokenId', 'organizationId']);

    expect((await request(server.restUrl(), 'GET', '/v1/organization/ORG/apitoken')).status).toBe(200);
    expect(upstream.last().url).toBe('/organization/ORG/apiToken');
    expect((await request(server.restUrl(), 'POST', '/v1/organization/ORG/apitoken')).status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'POST', url: '/organization/ORG/apiToken', body: '' });
  });

  it('MCP: the same three tools, the same requests upstream and the same results', async () => {
    const tools = await mcp.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['create-organization-api-token', 'delete-organization-api-token', 'list-organization-api-tokens']);
    const list = await mcp.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG', name: 'a b', creatorName: 'c' } });
    expect(list.isError).toBeFalsy();
    expect(upstream.last()).toMatchObject({ method: 'GET', url: '/organization/ORG/apiToken?name=a%20b&creatorName=c' });
    expect(list.structuredContent).toMatchObject({ method: 'GET', url: '/organization/ORG/apiToken?name=a%20b&creatorName=c' });

    const created = await mcp.callTool({ name: 'create-organization-api-token', arguments: { organizationId: 'ORG', body: { name: 't', scope: ['x'] } } });
    expect(created.isError).toBeFalsy();
    expect(JSON.parse(upstream.last().body)).toEqual({ name: 't', scope: ['x'] });

    upstream.replyOnce({ status: 404, body: { message: 'gone' } });
    const deleted = (await mcp.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'O', apiTokenId: 'T' } })) as { isError?: boolean; content: Array<{ text?: string }> };
    expect(upstream.last()).toMatchObject({ method: 'DELETE', url: '/organization/O/apiToken/T' });
    expect(deleted.isError).toBe(true);
    expect(deleted.content[0]!.text).toContain('HTTP 404');
  });
});
