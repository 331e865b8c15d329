/**
 * An MCP adapter's `cacheScope` and `ttlMs` (ikanos 1.0.0-beta4 and later) as a response cache in the
 * generated server: a second read of a dynamic resource within ttlMs is answered without calling the
 * upstream, one after it calls it again; a public answer is shared by every caller, a private one is kept
 * per caller (told apart by their credentials). Tool calls are never cached.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';

const SPEC = `${REPO}test/fixtures/ikanos/cached-catalog.yaml`;
/** The fixture's ttlMs, and a wait safely beyond it. */
const AFTER_TTL_MS = 900;

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
const clients: Client[] = [];

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'naftiko-gen-cache-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

const readItem = async (client: Client, id: string): Promise<string> => {
  const result = await client.readResource({ uri: `catalog://items/${id}` });
  return String((result.contents[0] as { text?: string }).text);
};

const upstreamCalls = (id: string): number => upstream.requests.filter((r) => r.path === `/items/${id}`).length;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('mcp-cache', { spec: SPEC });
  server = await startServer(project, cleanEnv({ CATALOG_BASE_URI: upstream.url, CATALOG_SHARED_PORT: '0', CATALOG_PERSONAL_PORT: '0' }), 2);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream.reset());

const adapterUrl = (namespace: string): string => server.adapters.find((a) => a.label.includes(namespace))!.url;

describe('MCP cacheScope and ttlMs: a response cache', () => {
  it('public: a second read within ttlMs, by anyone, does not reach the upstream; a read after it does', async () => {
    upstream.reply((r) => ({ body: { id: r.path.split('/').pop(), served: upstream.requests.length } }));
    const alice = await connect(adapterUrl('catalog-shared'), 'alice');
    const bob = await connect(adapterUrl('catalog-shared'), 'bob');
    const first = await readItem(alice, 'p1');
    expect(upstreamCalls('p1')).toBe(1);
    expect(await readItem(alice, 'p1')).toBe(first);
    expect(await readItem(bob, 'p1')).toBe(first);
    expect(upstreamCalls('p1')).toBe(1);
    // Another URI is another answer.
    await readItem(bob, 'p2');
    expect(upstreamCalls('p2')).toBe(1);
    await sleep(AFTER_TTL_MS);
    const fresh = await readItem(alice, 'p1');
    expect(upstreamCalls('p1')).toBe(2);
    expect(fresh).not.toBe(first);
    // Tool calls always reach the upstream.
    await alice.callTool({ name: 'get-item', arguments: { itemId: 'p1' } });
    await alice.callTool({ name: 'get-item', arguments: { itemId: 'p1' } });
    expect(upstreamCalls('p1')).toBe(4);
  });

  it('private: each caller has its own answers', async () => {
    const alice = await connect(adapterUrl('catalog-personal'), 'alice');
    const bob = await connect(adapterUrl('catalog-personal'), 'bob');
    await readItem(alice, 'p3');
    await readItem(alice, 'p3');
    expect(upstreamCalls('p3')).toBe(1);
    await readItem(bob, 'p3');
    expect(upstreamCalls('p3')).toBe(2);
    await readItem(bob, 'p3');
    expect(upstreamCalls('p3')).toBe(2);
  });
});
