/**
 * An imported capability's servers check what the OpenAPI document says at the door (REST 400, MCP
 * tool error, and the upstream never called) and forward a good call with the right body: object
 * body fields, an integer path parameter, a fixed query written in the path, a form body, a YAML body.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { runCli } from './helpers/cli.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { useScratch } from './helpers/output.js';
import { REPO } from './helpers/shared.js';

const FIXTURE = `${REPO}test/fixtures/openapi/typed-inputs.yaml`;

describe('an imported operation checks its typed inputs at the door (REST and MCP) and forwards good calls', () => {
  const scratch = useScratch();
  let upstream: FakeUpstream;
  let project: GeneratedProject;
  let server: RunningServer;
  let client: Client;

  beforeAll(async () => {
    const out = scratch('import-openapi-e2e');
    const imported = await runCli('import', 'openapi', FIXTURE, '--group', 'none', '--out', out);
    expect(imported.code, imported.stderr).toBe(0);
    upstream = await startFakeUpstream();
    project = await buildProject('import-openapi-typed', { spec: join(out, 'shop.yaml') });
    server = await startServer(project, cleanEnv({ SHOP_BASE_URI: `${upstream.url}/v1`, SHOP_REST_PORT: '0', SHOP_REST_HOST: '127.0.0.1', SHOP_MCP_PORT: '0' }), 2);
    client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    await upstream?.stop();
    project?.remove();
    await stopAll();
  });

  const post = (path: string, body: unknown) => request(server.restUrl(), 'POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('REST: a value outside the enum or its pattern, a missing required field, a bound crossed or a non-integer path segment is a 400; the upstream is not called', async () => {
    upstream.reset();
    for (const [path, body] of [
      ['/stores/5/orders', { item: 'pen', size: 'huge' }],
      ['/stores/5/orders', { size: 'small' }],
      ['/stores/5/orders', { item: 'pen', size: 'small', quantity: 11 }],
      ['/stores/5/orders', { item: '', size: 'small' }],
      ['/stores/5/orders', { item: 'Pen1', size: 'small' }],
      ['/stores/abc/orders', { item: 'pen', size: 'small' }],
      ['/stores/0/orders', { item: 'pen', size: 'small' }],
    ] as const) {
      const r = await post(path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}: ${r.text}`).toBe(400);
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('REST: a good call reaches the upstream with the body fields as one JSON body and the typed path parameter', async () => {
    upstream.reset();
    const r = await post('/stores/5/orders?ids=3', { item: 'pen', size: 'large', quantity: 2, tags: ['a'] });
    expect(r.status, r.text).toBe(200);
    expect(upstream.last()).toMatchObject({ method: 'POST', path: '/v1/stores/5/orders' });
    expect(JSON.parse(upstream.last().body)).toEqual({ item: 'pen', size: 'large', quantity: 2, tags: ['a'] });
  });

  it('MCP: the tool refuses a bad value with a tool error and never calls the upstream; a good call sends the right body', async () => {
    upstream.reset();
    const bad = await client.callTool({ name: 'create-order', arguments: { storeId: 5, item: 'pen', size: 'huge' } });
    expect(bad.isError).toBe(true);
    const missing = await client.callTool({ name: 'create-order', arguments: { storeId: 5, size: 'small' } });
    expect(missing.isError).toBe(true);
    const unlike = await client.callTool({ name: 'create-order', arguments: { storeId: 5, item: 'Pen1', size: 'small' } });
    expect(unlike.isError).toBe(true);
    const tooMany = await client.callTool({ name: 'create-order', arguments: { storeId: 5, item: 'pen', size: 'small', tags: ['a', 'b', 'c', 'd'] } });
    expect(tooMany.isError).toBe(true);
    expect(upstream.requests).toHaveLength(0);
    const good = await client.callTool({ name: 'create-order', arguments: { storeId: 7, item: 'cup', size: 'small', ids: [1, 2] } });
    expect(good.isError, JSON.stringify(good)).toBeFalsy();
    expect(upstream.last()).toMatchObject({ method: 'POST', path: '/v1/stores/7/orders' });
    // The default (quantity 1) is the API's to apply: it is not sent.
    expect(JSON.parse(upstream.last().body)).toEqual({ item: 'cup', size: 'small' });
  });

  it('MCP: the tool lists its typed inputs: enum, bounds, default, array items, required fields', async () => {
    const { tools } = await client.listTools();
    const order = tools.find((t) => t.name === 'create-order')!;
    expect(order.description).toBe('Places an order in a store.');
    // No summary and no description: the operationId in words, never just the method and path.
    expect(tools.find((t) => t.name === 'create-note')!.description).toBe('Create note (POST /notes).');
    const schema = order.inputSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect([...schema.required].sort()).toEqual(['item', 'size', 'storeId']);
    expect(schema.properties.item).toMatchObject({ type: 'string', minLength: 1, maxLength: 20, pattern: '^[a-z ]+$' });
    expect(schema.properties.size).toMatchObject({ enum: ['small', 'large'], description: 'How big.' });
    expect(schema.properties.quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 10, default: 1 });
    expect(schema.properties.ids).toMatchObject({ type: 'array', items: { type: 'integer' } });
    expect(schema.properties.storeId).toMatchObject({ type: 'integer', minimum: 1 });
    expect(schema.properties.id).toBeUndefined();
  });

  it('a fixed query in the path, a form body and a YAML body reach the upstream as the document says', async () => {
    upstream.reset();
    const beta = await client.callTool({ name: 'create-response', arguments: { body: ['x'] } });
    expect(beta.isError, JSON.stringify(beta)).toBeFalsy();
    expect(upstream.last()).toMatchObject({ method: 'POST', url: '/v1/responses?beta=true', body: '["x"]' });
    const note = await client.callTool({ name: 'create-note', arguments: { title: 'hi there', priority: 'high' } });
    expect(note.isError, JSON.stringify(note)).toBeFalsy();
    expect(upstream.last()).toMatchObject({ method: 'POST', path: '/v1/notes', body: 'title=hi+there&priority=high' });
    expect(upstream.last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect((await client.callTool({ name: 'create-note', arguments: { title: 'x', priority: 'urgent' } })).isError).toBe(true);
    const config = await client.callTool({ name: 'put-config', arguments: { body: 'replicas: 2\n' } });
    expect(config.isError, JSON.stringify(config)).toBeFalsy();
    expect(upstream.last()).toMatchObject({ method: 'PUT', path: '/v1/config', body: 'replicas: 2\n' });
    expect(upstream.last().headers['content-type']).toBe('application/x-yaml');
  });
});
