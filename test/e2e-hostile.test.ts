/**
 * End to end with a capability written to break code generation: every free-text string is full of
 * quotes, backticks, `${...}`, comment terminators, backslashes, line breaks, `</script>`, U+2028
 * and non-ASCII text, and a `with:` literal carries the same. The project must type-check with zero
 * diagnostics, run, show every string to MCP clients exactly as written, send the literal exactly,
 * and refuse CR/LF in a header value without sending anything (D8).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import {
  buildProject,
  cleanEnv,
  connectMcpHttp,
  envPrefix,
  rawExchange,
  request,
  startServer,
  stopAll,
  type GeneratedProject,
  type RunningServer,
} from './helpers/generated-project.js';

/** The nasty core: every character class that has broken a code generator somewhere. */
const NASTY = `'single' "double" \`tick\` \${x} \${process.exit(1)} */ /* // \\ back\\slash \\n \\u0041 </script><script>alert(1)</script> é 中 😀 \u2028 ls \u2029 ps tab\there`;

const INFO_LABEL = `Label ${NASTY}`;
const INFO_DESC = `Info\n${NASTY}\nend`;
const CONSUMES_DESC = `Consumes ${NASTY}\r\nCRLF line\rCR line`;
const RESOURCE_DESC = `Resource ${NASTY}`;
const OP_DESC = `Operation ${NASTY}\n*/ console.log("pwned-op"); /*`;
const HEADER_DESC = `Header parameter ${NASTY}`;
const QUERY_DESC = `Query parameter ${NASTY}`;
const REST_DESC = `REST ${NASTY}\n*/ console.log("pwned-rest"); /*`;
const REST_RES_DESC = `Exposed resource ${NASTY}`;
const REST_OP_DESC = `Exposed operation ${NASTY}`;
const TRACE_REST_DESC = `Trace (REST) ${NASTY}`;
const TOOL_TITLE = `Title ${NASTY}`;
const TOOL_DESC = `Tool ${NASTY}\nsecond line\n*/ console.log("pwned-tool"); /*\n\`\`\`js\nlet a = \`\${b}\`;\n\`\`\``;
const TRACE_TOOL_DESC = `Argument ${NASTY}\n"quoted" line`;
/** Sent upstream as the `motto` query parameter: the same nasty text plus URL syntax and a real CR/LF. */
const MOTTO = `Motto ${NASTY} & a=b + c %25 % # frag ? q=1 \r\n crlf {x} }} {{ unclosed`;

/** The MCP adapter's description, written below as a YAML block scalar: what YAML must give back. */
const MCP_DESC = "MCP instructions: 'single' \"double\" `tick` ${x} ${process.exit(1)}\n*/ console.log(\"pwned-mcp\"); /*\nC:\\path\\to\\file \\n is not a newline \\\\\n</script><!-- é 中文 😀 -->";

const CONSUMES_NS = 'Hostile9-API-v2';
const REST_NS = 'Hostile9-REST';
const MCP_NS = 'Hostile9-MCP';
const TOOL = '9-lives-Echo';
const SECRET = 'hostile-s3cret-token-4b1d';

/** A JSON string is a valid YAML double-quoted scalar with the same value. */
const y = (s: string): string => JSON.stringify(s);

const YAML_TEXT = `naftiko: 1.0.0-alpha2
info:
  label: ${y(INFO_LABEL)}
  description: ${y(INFO_DESC)}
binds:
- namespace: env
  keys:
    HOSTILE_TOKEN: HOSTILE_TOKEN
capability:
  consumes:
  - type: http
    namespace: ${CONSUMES_NS}
    baseUri: https://upstream.invalid
    description: ${y(CONSUMES_DESC)}
    authentication:
      type: bearer
      token: '{{env.HOSTILE_TOKEN}}'
    resources:
    - name: echo-1
      path: /echo/{id}
      description: ${y(RESOURCE_DESC)}
      operations:
      - name: 0-get-echo
        method: GET
        description: ${y(OP_DESC)}
        inputParameters:
        - name: X-Trace-Id
          in: header
          type: string
          description: ${y(HEADER_DESC)}
        - name: motto
          in: query
          type: string
          description: ${y(QUERY_DESC)}
  exposes:
  - type: rest
    namespace: ${REST_NS}
    port: 8080
    description: ${y(REST_DESC)}
    resources:
    - path: /echo/{id}
      name: echo
      description: ${y(REST_RES_DESC)}
      operations:
      - method: GET
        name: get-echo
        description: ${y(REST_OP_DESC)}
        inputParameters:
        - name: trace
          in: query
          type: string
          description: ${y(TRACE_REST_DESC)}
        call: ${CONSUMES_NS}.0-get-echo
        with:
          X-Trace-Id: rest.trace
          motto: ${y(MOTTO)}
        outputParameters:
        - type: object
          mapping: $.
    - path: /echo-h/{id}
      name: echo-h
      operations:
      - method: GET
        name: get-echo-h
        call: ${CONSUMES_NS}.0-get-echo
        outputParameters:
        - type: object
          mapping: $.
  - type: mcp
    namespace: ${MCP_NS}
    port: 9090
    description: |-
      MCP instructions: 'single' "double" \`tick\` \${x} \${process.exit(1)}
      */ console.log("pwned-mcp"); /*
      C:\\path\\to\\file \\n is not a newline \\\\
      </script><!-- é 中文 😀 -->
    tools:
    - name: ${TOOL}
      label: ${y(TOOL_TITLE)}
      description: ${y(TOOL_DESC)}
      hints:
        readOnly: true
        openWorld: false
      inputParameters:
      - name: trace
        type: string
        description: ${y(TRACE_TOOL_DESC)}
        required: false
      call: ${CONSUMES_NS}.0-get-echo
      with:
        X-Trace-Id: tools.trace
        motto: ${y(MOTTO)}
      outputParameters:
      - type: object
        mapping: $.
`;

/** Query parameters of a raw query string, decoded (`+` is not a space in what the runtime sends). */
function decodeQuery(query: string): Array<[string, string]> {
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return [decodeURIComponent(eq < 0 ? p : p.slice(0, eq)), eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1))];
    });
}

interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  isError?: boolean;
}

let project: GeneratedProject | undefined;
let upstream: FakeUpstream;
let server: RunningServer;
let rest: string;
let mcp: Client | undefined;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('hostile', { yaml: YAML_TEXT });
  server = await startServer(
    project,
    cleanEnv({
      HOSTILE_TOKEN: SECRET,
      [`${envPrefix(CONSUMES_NS)}_BASE_URI`]: upstream.url,
      [`${envPrefix(REST_NS)}_PORT`]: '0',
      [`${envPrefix(REST_NS)}_HOST`]: '127.0.0.1',
      [`${envPrefix(MCP_NS)}_PORT`]: '0',
      [`${envPrefix(MCP_NS)}_HOST`]: '127.0.0.1',
    }),
    2,
  );
  rest = server.restUrl();
  mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
});

afterAll(async () => {
  await mcp?.close().catch(() => undefined);
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

beforeEach(() => upstream.reset());

describe('a capability with hostile strings', () => {
  it('is the capability we meant: YAML gives back every hostile string unchanged', () => {
    const doc = parse(YAML_TEXT) as any;
    expect(doc.info.label).toBe(INFO_LABEL);
    expect(doc.capability.consumes[0].description).toBe(CONSUMES_DESC);
    expect(doc.capability.exposes[1].description).toBe(MCP_DESC);
    expect(doc.capability.exposes[1].tools[0].description).toBe(TOOL_DESC);
    expect(doc.capability.exposes[0].resources[0].operations[0].with.motto).toBe(MOTTO);
  });

  it('generates a project that type-checks with zero diagnostics and starts (buildProject asserts both)', () => {
    expect(server.adapters).toHaveLength(2);
    expect(server.stderr()).not.toContain('pwned');
    expect(server.child.exitCode).toBeNull();
  });

  it('keeps raw HTML out of the generated README', () => {
    const readme = readFileSync(join(project!.dir, 'README.md'), 'utf8');
    expect(readme).not.toContain('</script>');
    expect(readme).not.toContain('<script>');
  });

  describe('MCP: every string exactly as written', () => {
    it('serverInfo.name and instructions', () => {
      expect(mcp!.getServerVersion()?.name).toBe(MCP_NS);
      expect(mcp!.getInstructions()).toBe(MCP_DESC);
    });

    it('tools/list: name, title, description, annotations and argument description', async () => {
      const { tools } = await mcp!.listTools();
      expect(tools.map((t) => t.name)).toEqual([TOOL]);
      const tool = tools[0]!;
      expect(tool.description).toBe(TOOL_DESC);
      expect(tool.title).toBe(TOOL_TITLE);
      expect(tool.annotations).toMatchObject({ title: TOOL_TITLE, readOnlyHint: true, openWorldHint: false });
      const schema = tool.inputSchema as { properties: Record<string, { type?: string; description?: string }>; required?: string[] };
      expect(schema.properties.trace).toMatchObject({ type: 'string', description: TRACE_TOOL_DESC });
      expect(schema.properties.id!.type).toBe('string');
      expect(schema.required).toEqual(['id']);
    });

    it('tools/call sends the `with:` literal exactly, and the header from the argument', async () => {
      const trace = `t "q" 'q' \`b\` \${x} \\ */`;
      const result = (await mcp!.callTool({ name: TOOL, arguments: { id: 'x y', trace } })) as ToolResult;
      expect(result.isError ?? false).toBe(false);
      expect(upstream.requests).toHaveLength(1);
      const got = upstream.last();
      expect(got.method).toBe('GET');
      expect(got.path).toBe('/echo/x%20y');
      expect(decodeQuery(got.query)).toEqual([['motto', MOTTO]]);
      expect(got.headers['x-trace-id']).toBe(trace);
      expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    });

    it('tools/call with a header argument that is not Latin-1 (中): tool error, nothing sent', async () => {
      const result = (await mcp!.callTool({ name: TOOL, arguments: { id: 'x', trace: 'a 中 b' } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(upstream.requests).toHaveLength(0);
    });

    it.each([['a\r\nb'], ['a\nb'], ['a\rb'], ['a\u0000b']])('tools/call with a header argument containing %j: tool error, nothing sent (D8)', async (trace) => {
      const result = (await mcp!.callTool({ name: TOOL, arguments: { id: 'x', trace } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/line break|header/i);
      expect(upstream.requests).toHaveLength(0);
    });

    // Decisions doc, "Inputs": "an MCP call gets a tool error naming each bad argument". The caller's
    // argument is `trace`; the runtime names the consumed header parameter `X-Trace-Id` instead,
    // which the caller never sent and cannot see in the tool's input schema.
    it('names the caller\'s argument (`trace`) when its value cannot go in a header', async () => {
      const result = (await mcp!.callTool({ name: TOOL, arguments: { id: 'x', trace: 'a\r\nb' } })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toContain('trace');
      expect(result.content[0]!.text).not.toContain('X-Trace-Id');
    });
  });

  describe('REST', () => {
    it('sends the `with:` literal exactly and the query input as the header', async () => {
      const res = await request(rest, 'GET', `/echo/abc?trace=${encodeURIComponent('t1 & 2')}`);
      expect(res.status).toBe(200);
      const got = upstream.last();
      expect(got.path).toBe('/echo/abc');
      expect(decodeQuery(got.query)).toEqual([['motto', MOTTO]]);
      expect(got.headers['x-trace-id']).toBe('t1 & 2');
      expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    });

    it('passes a hostile query value (CR/LF included) through encoded, not interpreted', async () => {
      const res = await request(rest, 'GET', `/echo-h/abc?motto=${encodeURIComponent(MOTTO)}`);
      expect(res.status).toBe(200);
      expect(decodeQuery(upstream.last().query)).toEqual([['motto', MOTTO]]);
    });

    it.each([['a%0D%0Ab'], ['a%0Ab'], ['a%0Db'], ['a%00b']])('a query value %s that feeds an upstream header: 400 JSON, nothing sent (D8)', async (value) => {
      const res = await request(rest, 'GET', `/echo/abc?trace=${value}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const json = res.json();
      expect(json.error).toBe('invalid_input');
      expect(json.fields).toHaveLength(1);
      expect(upstream.requests).toHaveLength(0);
    });

    // Decisions doc, "Inputs": "a REST request that breaks it gets 400 with a JSON body naming each
    // bad field". The request's field is the query parameter `trace`; the body names `X-Trace-Id`.
    it('names the request\'s field (`trace`) in that 400', async () => {
      const res = await request(rest, 'GET', '/echo/abc?trace=a%0D%0Ab');
      expect(res.status).toBe(400);
      expect(res.json().fields.map((f: { field: string }) => f.field)).toEqual(['trace']);
    });

    it('a query value that feeds a header and is not Latin-1 (中): nothing sent upstream', async () => {
      await request(rest, 'GET', '/echo/abc?trace=a%20%E4%B8%AD%20b');
      expect(upstream.requests).toHaveLength(0);
    });

    // BUG: node's http.request throws ERR_INVALID_CHAR for a header value with a character above
    // U+00FF; the runtime does not turn that into a RequestInputError, so the caller gets
    // 500 internal_error (and the log a stack trace). The caller's input is at fault: it should be
    // refused with 400 naming the field (decisions doc, "Inputs"), or sent (e.g. encoded), never a 500.
    it('answers a non-Latin-1 header value with 400 (or sends it), never 500', async () => {
      const res = await request(rest, 'GET', '/echo/abc?trace=a%20%E4%B8%AD%20b');
      expect(res.status).not.toBe(500);
      expect([200, 400]).toContain(res.status);
    });

    it('reads an inferred header input from the request header and forwards it', async () => {
      const res = await request(rest, 'GET', '/echo-h/abc', { headers: { 'X-Trace-Id': 'from-header' } });
      expect(res.status).toBe(200);
      expect(upstream.last().headers['x-trace-id']).toBe('from-header');
      expect(upstream.last().query).toBe('');
    });

    it('does not percent-decode a header value: literal %0D%0A stays three-character text, no line break is sent', async () => {
      const res = await request(rest, 'GET', '/echo-h/abc', { headers: { 'X-Trace-Id': 'a%0D%0Ab' } });
      expect(res.status).toBe(200);
      expect(upstream.last().headers['x-trace-id']).toBe('a%0D%0Ab');
    });

    it('a request header with a bare CR never reaches the upstream (refused with 400)', async () => {
      const { port } = new URL(rest);
      const answer = await rawExchange(rest, `GET /echo-h/abc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Trace-Id: a\rInjected: 1\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(upstream.requests).toHaveLength(0);
    });
  });

  it('never prints the secret or runs injected code', () => {
    expect(server.stderr()).not.toContain(SECRET);
    expect(server.stderr()).not.toContain('pwned');
  });
});
