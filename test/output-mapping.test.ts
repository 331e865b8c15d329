/**
 * Output mappings, given and wanted: each row is an MCP tool whose `outputParameters` are written in
 * the capability, all calling one upstream operation that answers with DOCUMENT. The table is
 * generated into one capability, built once, and every row is checked on what the client got.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';

const DOCUMENT = {
  id: 7,
  name: 'Ada Lovelace',
  tags: ['math', 'poetry'],
  owner: { login: 'ada', id: 1 },
  items: [
    { sku: 'a1', qty: 2, extra: true },
    { sku: 'b2', qty: 5 },
  ],
  'weird key': 'w',
  nothing: null,
};

interface Row {
  what: string;
  /** The tool's `outputParameters`, as YAML lines indented under the key. */
  outputs: string;
  want: unknown;
  /** No output gave a value: the client gets the upstream body as text, unmapped. */
  raw?: boolean;
}

const ROWS: Row[] = [
  { what: '`$.` is the whole document', outputs: '- type: object\n  mapping: $.', want: DOCUMENT },
  { what: '`$` is the whole document too', outputs: '- type: object\n  mapping: $', want: DOCUMENT },
  { what: 'a property', outputs: '- type: string\n  mapping: $.name', want: 'Ada Lovelace' },
  { what: 'a number, not turned into a string', outputs: '- type: number\n  mapping: $.id', want: 7 },
  { what: 'a nested property', outputs: '- type: string\n  mapping: $.owner.login', want: 'ada' },
  { what: "a quoted name (`['weird key']`)", outputs: "- type: string\n  mapping: \"$['weird key']\"", want: 'w' },
  { what: 'an index', outputs: '- type: string\n  mapping: $.tags[0]', want: 'math' },
  { what: 'a negative index counts from the end', outputs: '- type: string\n  mapping: $.tags[-1]', want: 'poetry' },
  { what: 'an index then a property', outputs: '- type: string\n  mapping: $.items[1].sku', want: 'b2' },
  {
    what: '`[*]` then a property gives every element’s value',
    outputs: '- type: array\n  mapping: $.items[*].sku\n  items:\n    type: string\n    mapping: $',
    want: ['a1', 'b2'],
  },
  {
    what: '`.*` gives every value of an object',
    outputs: '- type: array\n  mapping: $.owner.*\n  items:\n    type: string\n    mapping: $',
    want: ['ada', 1],
  },
  {
    what: 'object properties are read from the document root',
    outputs: '- type: object\n  properties:\n    who:\n      type: string\n      mapping: $.owner.login\n    first:\n      type: string\n      mapping: $.tags[0]',
    want: { who: 'ada', first: 'math' },
  },
  {
    what: 'a property that selects nothing is null, the others still filled',
    outputs: '- type: object\n  properties:\n    who:\n      type: string\n      mapping: $.owner.login\n    missing:\n      type: string\n      mapping: $.owner.email',
    want: { who: 'ada', missing: null },
  },
  {
    what: 'nested object properties, still from the root',
    outputs: '- type: object\n  properties:\n    owner:\n      type: object\n      properties:\n        login:\n          type: string\n          mapping: $.owner.login\n        tag:\n          type: string\n          mapping: $.tags[1]',
    want: { owner: { login: 'ada', tag: 'poetry' } },
  },
  {
    what: 'array items with properties are read relative to each element',
    outputs: '- type: array\n  mapping: $.items\n  items:\n    type: object\n    properties:\n      code:\n        type: string\n        mapping: $.sku\n      count:\n        type: number\n        mapping: $.qty',
    want: [
      { code: 'a1', count: 2 },
      { code: 'b2', count: 5 },
    ],
  },
  { what: 'a fixed `value` is returned as written', outputs: '- type: string\n  value: fixed text', want: 'fixed text' },
  { what: '`const` is for validation only: the mapping gives the result', outputs: '- type: string\n  mapping: $.name\n  const: Someone else', want: 'Ada Lovelace' },
  {
    what: 'the first output that gives a value wins',
    outputs: '- type: string\n  mapping: $.owner.email\n- type: string\n  mapping: $.owner.login',
    want: 'ada',
  },
  { what: 'an array mapping on a non-array gives nothing, so the raw body is returned', outputs: '- type: array\n  mapping: $.name\n  items:\n    type: string\n    mapping: $', want: DOCUMENT, raw: true },
  { what: 'no output gives a value: the raw body is returned', outputs: '- type: string\n  mapping: $.nothing', want: DOCUMENT, raw: true },
];

const toolName = (i: number) => `row-${i}`;
const indent = (text: string, by: number) => text.replace(/^/gm, ' '.repeat(by));

const CAPABILITY = `naftiko: 1.0.0-alpha2
info:
  label: Output mappings
  description: One tool per row of the output-mapping table.
capability:
  consumes:
    - type: http
      namespace: doc
      baseUri: https://doc.example
      resources:
        - name: document
          path: /document
          operations:
            - name: get-document
              method: GET
  exposes:
    - type: rest
      namespace: mapping-rest
      port: 8080
      resources:
        - path: /owner
          name: owner
          operations:
            - method: GET
              name: get-owner
              call: doc.get-document
              outputParameters:
                - type: object
                  properties:
                    login:
                      type: string
                      mapping: $.owner.login
                    skus:
                      type: array
                      mapping: $.items
                      items:
                        type: string
                        mapping: $.sku
    - type: mcp
      namespace: mapping-mcp
      port: 9090
      tools:
${ROWS.map((r, i) => `        - name: ${toolName(i)}\n          description: ${JSON.stringify(r.what)}\n          call: doc.get-document\n          outputParameters:\n${indent(r.outputs, 12)}`).join('\n')}
`;

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let client: Client;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.reply({ body: DOCUMENT });
  project = await buildProject('output-mapping', { yaml: CAPABILITY });
  server = await startServer(project, cleanEnv({ DOC_BASE_URI: upstream.url, MAPPING_REST_PORT: '0', MAPPING_MCP_PORT: '0' }), 2);
  client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
});

afterAll(async () => {
  await client?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('output mappings: given the outputs, want the result', () => {
  ROWS.forEach((row, i) => {
    it(row.what, async () => {
      const result = (await client.callTool({ name: toolName(i), arguments: {} })) as { content: Array<{ type: string; text: string }>; isError?: boolean; structuredContent?: unknown };
      expect(result.isError ?? false).toBe(false);
      expect(JSON.parse(result.content[0]!.text)).toEqual(row.want);
      const isObject = row.want !== null && typeof row.want === 'object' && !Array.isArray(row.want);
      // Mapped objects also travel as structured content; other values and raw bodies only as text.
      if (isObject && !row.raw) expect(result.structuredContent).toEqual(row.want);
      else expect(result.structuredContent).toBeUndefined();
    });
  });

  it('the REST adapter answers with the same mapping, as JSON', async () => {
    const answer = await request(server.restUrl(), 'GET', '/owner');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json()).toEqual({ login: 'ada', skus: ['a1', 'b2'] });
  });
});
