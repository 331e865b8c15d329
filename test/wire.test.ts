/**
 * What goes over the wire, byte for byte, as the fake upstream received it (never decoded by the
 * test): every kind and placement of consumed authentication, the query encoding rules, a fixed
 * query written in the path, and a fragment sent as a header. One generated project serves them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import {
  buildProject,
  cleanEnv,
  connectMcpHttp,
  request,
  startServer,
  stopAll,
  type GeneratedProject,
  type RunningServer,
} from './helpers/generated-project.js';

const CAPABILITY = `naftiko: 1.0.0-alpha2
info:
  label: Wire
  description: One consumed API per kind of authentication.
binds:
  - namespace: env
    keys:
      HEADER_KEY: WIRE_HEADER_KEY
      QUERY_KEY: WIRE_QUERY_KEY
      BASIC_USER: WIRE_BASIC_USER
      BASIC_PASS: WIRE_BASIC_PASS
      BEARER_TOKEN: WIRE_BEARER_TOKEN
capability:
  consumes:
    - type: http
      namespace: by-header
      baseUri: https://header.example
      authentication:
        type: apikey
        key: X-Api-Key
        value: '{{env.HEADER_KEY}}'
        placement: header
      resources:
        - name: things
          path: /things
          operations:
            - name: list-things
              method: GET
              inputParameters:
                - name: $select
                  in: query
                - name: q
                  in: query
    - type: http
      namespace: by-query
      baseUri: https://query.example
      authentication:
        type: apikey
        key: api_key
        value: '{{env.QUERY_KEY}}'
        placement: query
      resources:
        - name: items
          path: /items?view=full
          operations:
            - name: list-items
              method: GET
              inputParameters:
                - name: page
                  in: query
    - type: http
      namespace: by-basic
      baseUri: https://basic.example
      authentication:
        type: basic
        username: '{{env.BASIC_USER}}'
        password: '{{env.BASIC_PASS}}'
      resources:
        - name: me
          path: /me#X-Trace-Tag=wire
          operations:
            - name: get-me
              method: GET
    - type: http
      namespace: by-bearer
      baseUri: https://bearer.example
      authentication:
        type: bearer
        token: '{{env.BEARER_TOKEN}}'
      resources:
        - name: you
          path: /you
          operations:
            - name: get-you
              method: GET
  exposes:
    - type: rest
      namespace: wire-rest
      port: 8080
      resources:
        - path: /things
          name: things
          operations:
            - method: GET
              name: list-things
              call: by-header.list-things
    - type: mcp
      namespace: wire-mcp
      port: 9090
      tools:
        - name: list-things
          description: List things.
          call: by-header.list-things
        - name: list-items
          description: List items.
          call: by-query.list-items
        - name: get-me
          description: Who am I (basic).
          call: by-basic.get-me
        - name: get-you
          description: Who are you (bearer).
          call: by-bearer.get-you
`;

const SECRETS = {
  WIRE_HEADER_KEY: 'hk-123',
  WIRE_QUERY_KEY: 'qk+456/=',
  WIRE_BASIC_USER: 'ann',
  WIRE_BASIC_PASS: 'p@ss:w0rd',
  WIRE_BEARER_TOKEN: 'tok-789',
};

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('wire', { yaml: CAPABILITY });
  const base = upstream.url;
  server = await startServer(
    project,
    cleanEnv({
      ...SECRETS,
      BY_HEADER_BASE_URI: base,
      BY_QUERY_BASE_URI: base,
      BY_BASIC_BASE_URI: base,
      BY_BEARER_BASE_URI: base,
      WIRE_REST_PORT: '0',
      WIRE_MCP_PORT: '0',
    }),
    2,
  );
  client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
});

afterAll(async () => {
  await client?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

/** Every secret of the capability, to check that none reaches a request that is not its own. */
function secretsIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, v]) => text.includes(v) || text.includes(encodeURIComponent(v)))
    .map(([k]) => k);
}

describe('consumed authentication on the wire', () => {
  it('apikey in a header: the header carries the key, the query does not, no other credential is sent', async () => {
    await client.callTool({ name: 'list-things', arguments: {} });
    const got = upstream.last();
    expect(got.headers['x-api-key']).toBe('hk-123');
    expect(got.url).toBe('/things');
    expect(got.headers.authorization).toBeUndefined();
    expect(secretsIn(JSON.stringify(got))).toEqual(['WIRE_HEADER_KEY']);
  });

  it('apikey in the query: appended after the fixed query and the parameters, encoded, and no header carries it', async () => {
    await client.callTool({ name: 'list-items', arguments: { page: '2' } });
    const got = upstream.last();
    expect(got.url).toBe('/items?view=full&page=2&api_key=qk%2B456/%3D');
    expect(got.headers.api_key).toBeUndefined();
    expect(got.headers.authorization).toBeUndefined();
    expect(secretsIn(JSON.stringify(got.headers))).toEqual([]);
  });

  it('basic: user and password joined by a colon, base64-encoded, sent preemptively', async () => {
    await client.callTool({ name: 'get-me', arguments: {} });
    const got = upstream.last();
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('ann:p@ss:w0rd').toString('base64')}`);
    const decoded = Buffer.from(String(got.headers.authorization).slice('Basic '.length), 'base64').toString('utf8');
    expect(decoded.indexOf(':')).toBe('ann'.length);
  });

  it('bearer: the token after `Bearer `', async () => {
    await client.callTool({ name: 'get-you', arguments: {} });
    expect(upstream.last().headers.authorization).toBe('Bearer tok-789');
    expect(upstream.last().url).toBe('/you');
  });
});

describe('paths and queries on the wire', () => {
  it('a fragment in the consumed path is sent as a header, never in the URL', async () => {
    await client.callTool({ name: 'get-me', arguments: {} });
    expect(upstream.last().url).toBe('/me');
    expect(upstream.last().headers['x-trace-tag']).toBe('wire');
  });

  const cases: Array<{ what: string; args: Record<string, string>; want: string }> = [
    { what: 'a name with `$` and a value with `,` stay as written', args: { $select: 'id,name' }, want: '/things?$select=id,name' },
    { what: '`+` is percent-encoded, so that it is not read as a space', args: { q: 'a+b' }, want: '/things?q=a%2Bb' },
    { what: 'a space is %20', args: { q: 'a b' }, want: '/things?q=a%20b' },
    { what: '`&`, `=` and `#` cannot split the query or end it', args: { q: 'x&y=z#f' }, want: '/things?q=x%26y%3Dz%23f' },
    { what: 'non-ASCII is UTF-8, percent-encoded', args: { q: 'é' }, want: '/things?q=%C3%A9' },
  ];
  for (const c of cases) {
    it(`query encoding: ${c.what}`, async () => {
      await client.callTool({ name: 'list-things', arguments: c.args });
      expect(upstream.last().url).toBe(c.want);
    });
  }

  it('`$select=id,name` reaches the upstream exactly as written through the REST adapter too', async () => {
    const answer = await request(server.restUrl(), 'GET', '/things?%24select=id%2Cname&q=a%2Bb');
    expect(answer.status).toBe(200);
    expect(upstream.last().query).toBe('$select=id,name&q=a%2Bb');
  });
});
