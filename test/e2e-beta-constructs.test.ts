/**
 * The constructs of the ikanos betas, end to end in one generated project.
 *
 * Binary answers (`outputRawFormat: binary`, beta1 and later): the upstream's bytes reach the REST client
 * unchanged with the capability's media type, an MCP tool answers an image item, a `binary: true` resource a
 * base64 blob (one made by steps too); an answer larger than `maxBinarySize` is refused with a message naming
 * the cap: the operation's own cap wins over its adapter's, which applies where the operation has none.
 *
 * An MCP adapter's `cacheScope` and `ttlMs` (beta4 and later) as a response cache in the generated server: a second read of a dynamic resource within ttlMs is answered without calling the
 * upstream, one after it calls it again; a public answer is shared by every caller, a private one is kept
 * per caller (told apart by their credentials). Tool calls are never cached.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';

const SPEC = `${REPO}test/fixtures/ikanos/beta-catalog.yaml`;
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
  project = await buildProject('beta-constructs', { spec: SPEC });
  server = await startServer(project, cleanEnv({ CATALOG_BASE_URI: upstream.url, CATALOG_REST_PORT: '0', CATALOG_SHARED_PORT: '0', CATALOG_PERSONAL_PORT: '0' }), 3);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream.reset());

const adapterUrl = (namespace: string): string => server.adapters.find((a) => a.label.includes(namespace))!.url;

/** A GET whose answer is kept as bytes. */
function getBytes(url: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), bytes: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** Bytes that are not UTF-8 text: decoding them anywhere on the way would change them. */
const PHOTO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28]);

describe('binary answers (outputRawFormat: binary, outputMediaType, maxBinarySize)', () => {
  it('REST passes the bytes through with the media type; MCP answers an image item and a blob', async () => {
    upstream.reply({ body: PHOTO, contentType: 'application/octet-stream' });
    const rest = await getBytes(`${adapterUrl('catalog-rest')}/photos/ph%201`);
    expect(upstream.last().path).toBe('/photos/ph%201');
    expect(rest.status).toBe(200);
    expect(rest.type).toBe('image/png');
    expect(rest.bytes.equals(PHOTO)).toBe(true);

    const client = await connect(adapterUrl('catalog-shared'), 'alice');
    const tool = await client.callTool({ name: 'get-photo', arguments: { photoId: 'ph1' } });
    expect(tool.content).toEqual([{ type: 'image', mimeType: 'image/png', data: PHOTO.toString('base64') }]);
    const resource = await client.readResource({ uri: 'catalog://photos/ph1' });
    expect(resource.contents).toEqual([{ uri: 'catalog://photos/ph1', mimeType: 'image/png', blob: PHOTO.toString('base64') }]);
  });

  it('REST responseBinary: the upstream body goes out as its bytes, with the declared media type and status', async () => {
    upstream.reply({ body: PHOTO });
    const answer = await getBytes(`${adapterUrl('catalog-rest')}/items/i1/export`);
    expect(upstream.last().path).toBe('/items/i1');
    expect(answer.status).toBe(203);
    expect(answer.type).toBe('application/vnd.catalog+json');
    expect(answer.bytes.equals(PHOTO)).toBe(true);
  });

  it('an answer larger than maxBinarySize is refused, naming the cap: REST 502, MCP a tool error', async () => {
    upstream.reply({ body: Buffer.alloc(1025, 7) });
    const rest = await request(adapterUrl('catalog-rest'), 'GET', '/photos/big');
    expect(rest.status).toBe(502);
    expect(rest.json().message).toContain('more than the 1024 bytes maxBinarySize allows');
    const client = await connect(adapterUrl('catalog-shared'), 'alice');
    const tool = (await client.callTool({ name: 'get-photo', arguments: { photoId: 'big' } })) as { isError?: boolean; content: Array<{ text?: string }> };
    expect(tool.isError).toBe(true);
    expect(tool.content[0]!.text).toContain('maxBinarySize');
    // Exactly at the cap is fine.
    upstream.reply({ body: Buffer.alloc(1024, 7) });
    expect((await request(adapterUrl('catalog-rest'), 'GET', '/photos/edge')).status).toBe(200);
  });

  it("without a cap of its own, an operation's answers are capped by its adapter's maxBinarySize (REST, MCP tool, resource by steps)", async () => {
    // get-photo's own 1KiB won above over the adapters' 512B; get-thumb has none, so 512B applies.
    upstream.reply({ body: Buffer.alloc(513, 7) });
    const rest = await request(adapterUrl('catalog-rest'), 'GET', '/thumbs/t1');
    expect(upstream.last().path).toBe('/thumbs/t1');
    expect(rest.status).toBe(502);
    expect(rest.json().message).toContain('more than the 512 bytes maxBinarySize allows');
    const client = await connect(adapterUrl('catalog-shared'), 'alice');
    const tool = (await client.callTool({ name: 'get-thumb', arguments: { thumbId: 't1' } })) as { isError?: boolean; content: Array<{ text?: string }> };
    expect(tool.isError).toBe(true);
    expect(tool.content[0]!.text).toContain('512 bytes maxBinarySize');
    await expect(client.readResource({ uri: 'catalog://thumbs/t2' })).rejects.toThrow(/512 bytes maxBinarySize/);

    // At the cap: REST passes the bytes; the resource made by a step serves them as a blob, with its own media type.
    const thumb = Buffer.concat([PHOTO, Buffer.alloc(512 - PHOTO.length, 0xfe)]);
    upstream.reply({ body: thumb, contentType: 'application/x-thumb' });
    const ok = await getBytes(`${adapterUrl('catalog-rest')}/thumbs/t3`);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('application/x-thumb');
    expect(ok.bytes.equals(thumb)).toBe(true);
    const resource = await client.readResource({ uri: 'catalog://thumbs/t4' });
    expect(upstream.last().path).toBe('/thumbs/t4');
    expect(resource.contents).toEqual([{ uri: 'catalog://thumbs/t4', mimeType: 'application/x-thumb', blob: thumb.toString('base64') }]);
  });
});

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

  it('an upstream failure is not kept: the next read asks again', async () => {
    const alice = await connect(adapterUrl('catalog-shared'), 'alice');
    upstream.replyOnce({ status: 503, body: { error: 'busy' } });
    await readItem(alice, 'p9');
    const ok = await readItem(alice, 'p9');
    expect(upstreamCalls('p9')).toBe(2);
    expect(JSON.parse(ok)).toMatchObject({ method: 'GET' });
    await readItem(alice, 'p9');
    expect(upstreamCalls('p9')).toBe(2);
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
