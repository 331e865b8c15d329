/**
 * End to end, offline: the seed capability is generated, type-checked, compiled and started as a
 * real process; a fake upstream on 127.0.0.1 records what the generated servers send. Every
 * assertion is about a request on the wire or an answer a client sees (decisions doc D4, D7, D8,
 * D11, D12, "Inputs", "MCP servers", "Running a generated server").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Client } from '@modelcontextprotocol/client';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import {
  buildProject,
  connectMcpHttp,
  connectMcpStdio,
  request,
  runToExit,
  seedEnv,
  startServer,
  stopAll,
  type GeneratedProject,
  type RunningServer,
} from './helpers/generated-project.js';
import { SEED } from './helpers/shared.js';
import { migrateText } from '../src/migrate/migrate.js';
import { NEWEST_VERSION } from '../src/validate/versions.js';

const SECRET = 'sk-e2e-Q0very-s3cret-7f1c9a';
const SEED_DOC = parse(readFileSync(SEED, 'utf8')) as {
  capability: { exposes: Array<{ type: string; namespace: string; description: string }> };
};
const MCP_ADAPTER = SEED_DOC.capability.exposes.find((e) => e.type === 'mcp')!;

interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

function textOf(result: ToolResult): string {
  expect(result.content).toHaveLength(1);
  expect(result.content[0]!.type).toBe('text');
  return result.content[0]!.text!;
}

/**
 * The seed as published (naftiko 1.0.0-alpha2) and the seed as `naftiko-gen migrate` rewrites it for the
 * newest ikanos version: both must pass every test below, the same requests upstream and the same answers.
 */
const migrated = migrateText(readFileSync(SEED, 'utf8'));
if (!migrated.ok) throw new Error(`migrate refused the seed: ${migrated.message}`);
const SEEDS = [
  { label: 'the seed', folder: 'qovery-seed', source: { spec: SEED } },
  { label: `the seed migrated to ikanos ${NEWEST_VERSION.version}`, folder: 'qovery-seed-migrated', source: { yaml: migrated.text } },
];

for (const seed of SEEDS) {
  describe(seed.label, () => {
    let project: GeneratedProject | undefined;
    let upstream: FakeUpstream;
    const clients: Client[] = [];

    beforeAll(async () => {
      upstream = await startFakeUpstream();
      project = await buildProject(seed.folder, seed.source);
    });

    afterAll(async () => {
      await Promise.allSettled(clients.map((c) => c.close()));
      await stopAll();
      await upstream?.stop();
      project?.remove();
    });

    beforeEach(() => upstream.reset());

    describe('the seed, generated and started', () => {
      let server: RunningServer;
      let rest: string;
      let mcp: Client;
      let mcpAtRoot: Client;

      beforeAll(async () => {
        server = await startServer(project!, seedEnv(upstream.url, SECRET), 2);
        rest = server.restUrl();
        mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
        clients.push(mcp);
        mcpAtRoot = await connectMcpHttp(`${server.mcpUrl()}/`);
        clients.push(mcpAtRoot);
      });

      it('listens on the loopback address it was given, one line per adapter', () => {
        expect(server.adapters.map((a) => a.label.split(' ').slice(0, 3).join(' '))).toEqual([
          'REST adapter qovery-organization-api-token-rest',
          'MCP adapter qovery-organization-api-token-mcp',
        ]);
        for (const a of server.adapters) expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      });

      it('infers the same inputs whichever way they are written (annotated consumed parameters, or inputs declared by migrate)', async () => {
        const { tools } = await mcp.listTools();
        const schema = (name: string) =>
          tools.find((t) => t.name === name)!.inputSchema as { properties: Record<string, { type?: string; description?: string }>; required?: string[] };
        const list = schema('list-organization-api-tokens');
        expect(Object.keys(list.properties).sort()).toEqual(['creatorName', 'name', 'organizationId']);
        expect(list.properties.name).toMatchObject({ type: 'string', description: 'Name of the token to filter results by.' });
        expect(list.required).toEqual(['organizationId']);
        const create = schema('create-organization-api-token');
        expect(create.properties.body!.type).toBe('object');
        expect(create.required).toEqual(['organizationId']);
        expect(schema('delete-organization-api-token').required!.slice().sort()).toEqual(['apiTokenId', 'organizationId']);
        // The REST filters and the body stay optional.
        expect((await request(rest, 'GET', '/v1/organization/ORG/apitoken')).status).toBe(200);
        expect(upstream.last().url).toBe('/organization/ORG/apiToken');
        expect((await request(rest, 'POST', '/v1/organization/ORG/apitoken')).status).toBe(200);
        expect(upstream.last()).toMatchObject({ method: 'POST', url: '/organization/ORG/apiToken', body: '' });
      });

      describe('REST', () => {
        it('GET list: query kept exactly, bearer from QOVERY_API_KEY, whole upstream body returned ($.)', async () => {
          const res = await request(rest, 'GET', '/v1/organization/ORG/apitoken?name=a%20b&creatorName=c');
          expect(res.status).toBe(200);
          expect(upstream.requests).toHaveLength(1);
          const got = upstream.last();
          expect(got.method).toBe('GET');
          expect(got.url).toBe('/organization/ORG/apiToken?name=a%20b&creatorName=c');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
          // The default fake answer echoes the request; `mapping: $.` gives it back whole (D9).
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.json()).toMatchObject({ method: 'GET', url: '/organization/ORG/apiToken?name=a%20b&creatorName=c', body: '' });
        });

        it('GET list without the optional filters sends no query at all', async () => {
          const res = await request(rest, 'GET', '/v1/organization/ORG/apitoken');
          expect(res.status).toBe(200);
          expect(upstream.last().url).toBe('/organization/ORG/apiToken');
        });

        it('a query value cannot add parameters upstream: & and = stay inside the value', async () => {
          const res = await request(rest, 'GET', '/v1/organization/ORG/apitoken?name=x%26admin%3Dtrue%23frag');
          expect(res.status).toBe(200);
          expect(upstream.last().url).toBe('/organization/ORG/apiToken?name=x%26admin%3Dtrue%23frag');
        });

        it('POST create: the JSON request body is the upstream body, as application/json (D7)', async () => {
          const res = await request(rest, 'POST', '/v1/organization/ORG/apitoken', {
            headers: { 'content-type': 'application/json' },
            body: '{"name":"t"}',
          });
          expect(res.status).toBe(200);
          expect(upstream.requests).toHaveLength(1);
          const got = upstream.last();
          expect(got.method).toBe('POST');
          expect(got.url).toBe('/organization/ORG/apiToken');
          expect(got.headers['content-type']).toBe('application/json');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
          expect(JSON.parse(got.body)).toEqual({ name: 't' });
        });

        it('DELETE: both path values land in their own segments', async () => {
          const res = await request(rest, 'DELETE', '/v1/organization/O/apitoken/T');
          expect(res.status).toBe(200);
          const got = upstream.last();
          expect(got.method).toBe('DELETE');
          expect(got.url).toBe('/organization/O/apiToken/T');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
        });

        it('passes an upstream 404 through, with its JSON body mapped through $. (D11)', async () => {
          upstream.replyOnce({ status: 404, body: { message: 'no such organization', code: 'NOT_FOUND' } });
          const res = await request(rest, 'GET', '/v1/organization/nope/apitoken');
          expect(res.status).toBe(404);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.json()).toEqual({ message: 'no such organization', code: 'NOT_FOUND' });
        });

        it('passes an upstream 500 through too', async () => {
          upstream.replyOnce({ status: 500, body: { error: 'boom' } });
          const res = await request(rest, 'DELETE', '/v1/organization/O/apitoken/T');
          expect(res.status).toBe(500);
          expect(res.json()).toEqual({ error: 'boom' });
        });

        it.each([['[1]'], ['"x"'], ['42'], ['null']])('POST with the non-object JSON body %s: 400 naming `body`, nothing sent upstream', async (body) => {
          const res = await request(rest, 'POST', '/v1/organization/ORG/apitoken', { headers: { 'content-type': 'application/json' }, body });
          expect(res.status).toBe(400);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          const json = res.json();
          expect(json.fields.map((f: { field: string }) => f.field)).toContain('body');
          expect(upstream.requests).toHaveLength(0);
        });

        it('POST with a body that is not JSON: 400, nothing sent upstream', async () => {
          const res = await request(rest, 'POST', '/v1/organization/ORG/apitoken', { headers: { 'content-type': 'application/json' }, body: '{"name":' });
          expect(res.status).toBe(400);
          expect(res.json().error).toBe('invalid_input');
          expect(upstream.requests).toHaveLength(0);
        });

        it('an unknown path: 404 with a JSON body, nothing sent upstream', async () => {
          for (const path of ['/v1/nothing-here', '/', '/v1/organization/O/apitoken/T/extra', '/v1/organization//apitoken']) {
            const res = await request(rest, 'GET', path);
            expect(res.status, path).toBe(404);
            expect(res.headers['content-type'], path).toMatch(/^application\/json/);
            expect(res.json().error, path).toBe('not_found');
          }
          expect(upstream.requests).toHaveLength(0);
        });

        it('a wrong method on a known path: 405 with an Allow header listing the exposed methods', async () => {
          const put = await request(rest, 'PUT', '/v1/organization/O/apitoken', { body: '{}' });
          expect(put.status).toBe(405);
          expect(
            String(put.headers.allow)
              .split(',')
              .map((m) => m.trim())
              .sort(),
          ).toEqual(['GET', 'HEAD', 'POST']);
          expect(put.json().error).toBe('method_not_allowed');
          const get = await request(rest, 'GET', '/v1/organization/O/apitoken/T');
          expect(get.status).toBe(405);
          expect(get.headers.allow).toBe('DELETE');
          expect(upstream.requests).toHaveLength(0);
        });

        describe('hostile path values stay inside one upstream segment (D4)', () => {
          it.each([
            ['..%2F..%2Fadmin', '/organization/..%2F..%2Fadmin/apiToken'],
            [encodeURIComponent('a/b?c#d'), '/organization/a%2Fb%3Fc%23d/apiToken'],
            ['%2E%2E', '/organization/%2E%2E/apiToken'],
            ['..', '/organization/%2E%2E/apiToken'],
            ['.', '/organization/%2E/apiToken'],
            ['%252E%252E', '/organization/%252E%252E/apiToken'],
            ['a%20b%25c', '/organization/a%20b%25c/apiToken'],
          ])('organization id %s → %s', async (id, expected) => {
            const res = await request(rest, 'GET', `/v1/organization/${id}/apitoken`);
            expect(res.status).toBe(200);
            expect(upstream.requests).toHaveLength(1);
            expect(upstream.last().url).toBe(expected);
          });

          it('an api token id that is exactly `..` cannot climb to the organization', async () => {
            const res = await request(rest, 'DELETE', '/v1/organization/O/apitoken/..');
            expect(res.status).toBe(200);
            expect(upstream.last().method).toBe('DELETE');
            expect(upstream.last().url).toBe('/organization/O/apiToken/%2E%2E');
          });

          it('a path that is not valid percent-encoding: 400 JSON, nothing sent', async () => {
            const res = await request(rest, 'GET', '/v1/organization/%E0%A4%A/apitoken');
            expect(res.status).toBe(400);
            expect(res.json().error).toBe('invalid_request');
            expect(upstream.requests).toHaveLength(0);
          });
        });
      });

      describe('MCP over Streamable HTTP', () => {
        it('serverInfo.name is the adapter namespace and instructions its description, at /mcp and at /', () => {
          for (const c of [mcp, mcpAtRoot]) {
            expect(c.getServerVersion()?.name).toBe(MCP_ADAPTER.namespace);
            expect(c.getInstructions()).toBe(MCP_ADAPTER.description);
          }
        });

        it('tools/list gives exactly the three tools, at /mcp and at /', async () => {
          for (const c of [mcp, mcpAtRoot]) {
            const { tools } = await c.listTools();
            expect(tools.map((t) => t.name).sort()).toEqual(['create-organization-api-token', 'delete-organization-api-token', 'list-organization-api-tokens']);
          }
        });

        it('annotations follow the hints of the seed', async () => {
          const { tools } = await mcp.listTools();
          const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
          expect(byName['list-organization-api-tokens']!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
          expect(byName['create-organization-api-token']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
          expect(byName['delete-organization-api-token']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
          for (const t of tools) expect(t.description).toBeTruthy();
        });

        it('input schemas: organizationId required everywhere, apiTokenId on delete, optional filters and body', async () => {
          const { tools } = await mcp.listTools();
          const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as { type: string; properties: Record<string, { type?: string }>; required?: string[] };
          const list = schema('list-organization-api-tokens');
          const create = schema('create-organization-api-token');
          const del = schema('delete-organization-api-token');
          for (const s of [list, create, del]) {
            expect(s.type).toBe('object');
            expect(s.required).toContain('organizationId');
            expect(s.properties.organizationId!.type).toBe('string');
          }
          expect(del.required!.slice().sort()).toEqual(['apiTokenId', 'organizationId']);
          expect(del.properties.apiTokenId!.type).toBe('string');
          expect(Object.keys(list.properties).sort()).toEqual(['creatorName', 'name', 'organizationId']);
          expect(list.properties.name!.type).toBe('string');
          expect(list.properties.creatorName!.type).toBe('string');
          expect(list.required).toEqual(['organizationId']);
          expect(Object.keys(create.properties).sort()).toEqual(['body', 'organizationId']);
          expect(create.properties.body!.type).toBe('object');
          expect(create.required).toEqual(['organizationId']);
        });

        it('tools/call list sends the same request as REST and returns the mapped body, text and structured', async () => {
          const result = (await mcp.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG', name: 'a b', creatorName: 'c' } })) as ToolResult;
          expect(result.isError ?? false).toBe(false);
          expect(upstream.requests).toHaveLength(1);
          const got = upstream.last();
          expect(got.method).toBe('GET');
          expect(got.url).toBe('/organization/ORG/apiToken?name=a%20b&creatorName=c');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
          const mapped = JSON.parse(textOf(result)) as Record<string, unknown>;
          expect(mapped).toMatchObject({ method: 'GET', url: got.url });
          expect(result.structuredContent).toEqual(mapped);
        });

        it('tools/call create sends the body as JSON', async () => {
          const result = (await mcp.callTool({ name: 'create-organization-api-token', arguments: { organizationId: 'ORG', body: { name: 't', scope: ['x'] } } })) as ToolResult;
          expect(result.isError ?? false).toBe(false);
          const got = upstream.last();
          expect(got.method).toBe('POST');
          expect(got.url).toBe('/organization/ORG/apiToken');
          expect(got.headers['content-type']).toBe('application/json');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
          expect(JSON.parse(got.body)).toEqual({ name: 't', scope: ['x'] });
        });

        it('tools/call delete, through the endpoint at / as well', async () => {
          const result = (await mcpAtRoot.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'O', apiTokenId: 'T' } })) as ToolResult;
          expect(result.isError ?? false).toBe(false);
          const got = upstream.last();
          expect(got.method).toBe('DELETE');
          expect(got.url).toBe('/organization/O/apiToken/T');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
        });

        it('hostile ids through MCP stay inside one segment too', async () => {
          await mcp.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: '../../admin' } });
          expect(upstream.last().url).toBe('/organization/..%2F..%2Fadmin/apiToken');
          await mcp.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'a/b?c#d', apiTokenId: '..' } });
          expect(upstream.last().url).toBe('/organization/a%2Fb%3Fc%23d/apiToken/%2E%2E');
        });

        it.each([
          ['delete-organization-api-token', { organizationId: 'O' }, 'apiTokenId'],
          ['delete-organization-api-token', { apiTokenId: 'T' }, 'organizationId'],
          ['list-organization-api-tokens', { name: 'x' }, 'organizationId'],
          ['create-organization-api-token', { organizationId: 'O', body: [1] }, 'body'],
          ['create-organization-api-token', { organizationId: 'O', body: 'x' }, 'body'],
        ])('%s with %j: a tool error naming %s, nothing sent upstream', async (name, args, field) => {
          const result = (await mcp.callTool({ name, arguments: args })) as ToolResult;
          expect(result.isError).toBe(true);
          expect(textOf(result)).toContain(field);
          expect(upstream.requests).toHaveLength(0);
        });

        it('an upstream status >= 400 is a tool error reading `HTTP <status>: <the upstream body>` (D11)', async () => {
          upstream.replyOnce({ status: 403, body: { message: 'forbidden', organization: 'O' } });
          const result = (await mcp.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'O', apiTokenId: 'T' } })) as ToolResult;
          expect(result.isError).toBe(true);
          expect(textOf(result)).toBe('HTTP 403: {"message":"forbidden","organization":"O"}');
          expect(upstream.requests).toHaveLength(1);
        });

        it('an upstream 2xx is never a tool error, even when its body says "error"', async () => {
          upstream.replyOnce({ status: 201, body: { error: 'not really' } });
          const result = (await mcp.callTool({ name: 'create-organization-api-token', arguments: { organizationId: 'O', body: { name: 't' } } })) as ToolResult;
          expect(result.isError ?? false).toBe(false);
          expect(JSON.parse(textOf(result))).toEqual({ error: 'not really' });
        });
      });

      it('the secret never shows up in the server log', () => {
        expect(server.stderr()).not.toContain(SECRET);
      });

      it('stops cleanly on SIGTERM (exit code 0)', async () => {
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => server.child.once('exit', (code, signal) => resolve([code, signal])));
        server.child.kill('SIGTERM');
        // The helper would SIGKILL after 3 s; a clean stop ends with code 0 and no signal.
        const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
        const [code, signal] = await exited;
        clearTimeout(killer);
        expect({ code, signal }).toEqual({ code: 0, signal: null });
      });
    });

    describe('the seed with its upstream down', () => {
      let server: RunningServer;
      let mcp: Client;

      beforeAll(async () => {
        server = await startServer(project!, seedEnv(`http://127.0.0.1:${await closedPort()}`, SECRET), 2);
        mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
        clients.push(mcp);
      });

      it('REST answers 502 with a JSON error that does not carry the secret (D12)', async () => {
        const res = await request(server.restUrl(), 'GET', '/v1/organization/ORG/apitoken?name=x');
        expect(res.status).toBe(502);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const json = res.json();
        expect(json.error).toBe('upstream_unavailable');
        expect(typeof json.message).toBe('string');
        expect(res.text).not.toContain(SECRET);
      });

      it('MCP answers a tool error with one line of text, without the secret', async () => {
        const result = (await mcp.callTool({ name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG' } })) as ToolResult;
        expect(result.isError).toBe(true);
        const text = textOf(result);
        expect(text.trim()).not.toBe('');
        expect(text).not.toMatch(/[\r\n]/);
        expect(text).not.toContain(SECRET);
      });

      it('logs no secret either', () => {
        expect(server.stderr()).not.toContain(SECRET);
      });
    });

    describe('the seed with an upstream slower than its timeout', () => {
      let server: RunningServer;
      let mcp: Client;

      beforeAll(async () => {
        server = await startServer(project!, seedEnv(upstream.url, SECRET, { QOVERY_ORGANIZATION_API_TOKEN_TIMEOUT_MS: '250' }), 2);
        mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
        clients.push(mcp);
      });

      it('REST answers 504 with a JSON error that does not carry the secret (D12)', async () => {
        upstream.reply({ delayMs: 5_000 });
        const res = await request(server.restUrl(), 'DELETE', '/v1/organization/O/apitoken/T');
        expect(res.status).toBe(504);
        const json = res.json();
        expect(json.error).toBe('upstream_timeout');
        expect(res.text).not.toContain(SECRET);
        expect(upstream.requests).toHaveLength(1);
      });

      it('REST answers 504 too when the upstream sends its headers and then stalls', async () => {
        upstream.reply({ delayMs: 5_000, headersFirst: true });
        const res = await request(server.restUrl(), 'GET', '/v1/organization/O/apitoken');
        expect(res.status).toBe(504);
        expect(res.json().error).toBe('upstream_timeout');
      });

      it('MCP answers a one-line tool error, without the secret', async () => {
        upstream.reply({ delayMs: 5_000 });
        const result = (await mcp.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'O', apiTokenId: 'T' } })) as ToolResult;
        expect(result.isError).toBe(true);
        const text = textOf(result);
        expect(text).not.toMatch(/[\r\n]/);
        expect(text).not.toContain(SECRET);
      });
    });

    // Once (not again for the migrated seed): the transport is the same code either way.
    describe.runIf(seed === SEEDS[0])('the seed with an https upstream whose certificate its environment trusts', () => {
      it('sends the call over TLS with its bearer and answers with what came back (NODE_EXTRA_CA_CERTS)', async (t) => {
        const dir = mkdtempSync(join(tmpdir(), 'naftiko-e2e-tls-'));
        try {
          try {
            execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
          } catch {
            t.skip('openssl is not available to make a certificate');
            return;
          }
          const seen: Array<{ method?: string; url?: string; authorization?: string; encrypted: boolean }> = [];
          const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
            seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, encrypted: (req.socket as TLSSocket).encrypted });
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"id":"t1"}]}');
          });
          await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
          try {
            const { port } = tls.address() as AddressInfo;
            const server = await startServer(project!, seedEnv(`https://127.0.0.1:${port}`, SECRET, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }), 2);
            const res = await request(server.restUrl(), 'GET', '/v1/organization/ORG/apitoken');
            expect([res.status, res.json()]).toEqual([200, { results: [{ id: 't1' }] }]);
            expect(seen).toEqual([{ method: 'GET', url: '/organization/ORG/apiToken', authorization: `Bearer ${SECRET}`, encrypted: true }]);
          } finally {
            tls.closeAllConnections();
            await new Promise((resolve) => tls.close(resolve));
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });

    describe('the seed without QOVERY_API_KEY', () => {
      it.each([['dist/main.js'], ['dist/stdio.js']])('%s exits non-zero before listening, naming QOVERY_API_KEY', async (script) => {
        const env = seedEnv(upstream.url, SECRET, { QOVERY_API_KEY: undefined });
        expect(env.QOVERY_API_KEY).toBeUndefined();
        const run = await runToExit(project!, script, env);
        expect(run.signal).toBeNull();
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain('QOVERY_API_KEY');
        expect(run.stderr).not.toContain('listening on');
        expect(run.stdout).toBe('');
      });

      it('an empty QOVERY_API_KEY counts as missing: no empty bearer is ever sent', async () => {
        const run = await runToExit(project!, 'dist/main.js', seedEnv(upstream.url, SECRET, { QOVERY_API_KEY: '' }));
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain('QOVERY_API_KEY');
        expect(upstream.requests).toHaveLength(0);
      });
    });

    describe('MCP over stdio', () => {
      it('lists the tools, calls one, and the upstream gets the request', async () => {
        const { client, stderr } = await connectMcpStdio(project!, seedEnv(upstream.url, SECRET));
        clients.push(client);
        try {
          expect(client.getServerVersion()?.name).toBe(MCP_ADAPTER.namespace);
          const { tools } = await client.listTools();
          expect(tools.map((t) => t.name).sort()).toEqual(['create-organization-api-token', 'delete-organization-api-token', 'list-organization-api-tokens']);
          const result = (await client.callTool({ name: 'delete-organization-api-token', arguments: { organizationId: 'O', apiTokenId: 'T' } })) as ToolResult;
          expect(result.isError ?? false).toBe(false);
          expect(upstream.requests).toHaveLength(1);
          const got = upstream.last();
          expect(got.method).toBe('DELETE');
          expect(got.url).toBe('/organization/O/apiToken/T');
          expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
          expect(JSON.parse(textOf(result))).toMatchObject({ method: 'DELETE', url: '/organization/O/apiToken/T' });
        } finally {
          await client.close();
        }
        expect(stderr()).not.toContain(SECRET);
      });
    });
  });
}
