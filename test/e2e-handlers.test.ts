/**
 * Tools and operations without a plain `call` (issue 8): mocks, `steps` with call and lookup steps and
 * `mappings`, and `ref`s to aggregate functions, generated from one fixture into one project and
 * exercised on REST and MCP against a fake upstream. Modelled on the engine's acceptance tests
 * (aggregate-basic, hints override, invalid ref, shared mock, step with namespace, lookup reused by a
 * later call).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from './helpers/fake-upstream.js';
import { lineOf, validate } from './helpers/fixtures.js';
import { buildProject, cleanEnv, connectMcpHttp, connectMcpStdio, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';
import { validateText } from '../src/validate/validate.js';

const FIXTURE = `${REPO}test/fixtures/valid/harbour-orchestrated.yaml`;
const TEXT = readFileSync(FIXTURE, 'utf8');

const VESSEL = { id: 'V1', label: 'Sea Breeze', homePort: 'Oslo', crewIds: ['s2', 's9', 's1'], skipperId: 's1' };
const SAILORS = [
  { sailorId: 's1', name: 'Ada', rank: 'captain', age: 51 },
  { sailorId: 's2', name: 'Bo', rank: 'mate', age: 33 },
];

/** The registry: a vessel, the sailors (with a status that the test may change), one sailor. */
let sailorsStatus = 200;
function registry(req: RecordedRequest) {
  if (req.path === '/v1/vessels/V1') return { body: VESSEL };
  if (req.path === '/v1/sailors') return { status: sailorsStatus, body: SAILORS };
  if (req.path === '/v1/sailors/s1') return { body: { name: 'Ada', rank: 'captain', ship: 'V1' } };
  return { status: 404, body: { error: 'unknown', path: req.path } };
}

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let mcp: Client;
let plain: Client;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.reply(registry);
  project = await buildProject('harbour', { spec: FIXTURE });
  server = await startServer(
    project,
    cleanEnv({ HARBOUR_BASE_URI: `${upstream.url}/v1`, HARBOUR_TOKEN: 'tok-123', HARBOUR_REST_PORT: '0', HARBOUR_MCP_PORT: '0', HARBOUR_PLAIN_PORT: '0' }),
    3,
  );
  mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
  plain = await connectMcpHttp(`${server.adapters.find((a) => a.label.includes('harbour-plain'))!.url}/mcp`);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await plain?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

async function callTool(name: string, args: Record<string, unknown>) {
  const result = (await mcp.callTool({ name, arguments: args })) as { content: Array<{ type: string; text: string }>; isError?: boolean };
  return { text: result.content[0]!.text, isError: result.isError === true };
}

async function get(path: string) {
  return request(server.restUrl(), 'GET', path);
}

describe('validation of handlers', () => {
  it('generates every item of the fixture, warning only about the step that calls nothing', () => {
    const findings = validateText(FIXTURE, TEXT).findings.map((f) => `${f.severity} ${f.rule} ${f.line}`);
    expect(findings).toEqual([
      `warning step-call-unresolved ${lineOf(TEXT, 'call: harbour.no-such-operation')}`,
      `warning step-call-unresolved ${lineOf(TEXT, 'call: harbour.no-such-operation', lineOf(TEXT, 'call: harbour.no-such-operation'))}`,
      `warning step-call-unresolved ${lineOf(TEXT, 'call: harbour.no-such-log')}`,
    ]);
  });

  it('lists the files it read besides the capability, so a change to one can call for a rebuild', () => {
    const dir = `${REPO}test/fixtures/valid/`;
    expect(validateText(FIXTURE, TEXT).model!.embeddedFiles).toEqual([
      `${dir}harbour-docs`,
      `${dir}harbour-docs/charts/north.json`,
      `${dir}harbour-docs/rules.md`,
      `${dir}harbour-prompts/departure.md`,
      `${dir}harbour-scripts/lib/tally.js`,
      `${dir}harbour-scripts/rank-summary.js`,
    ]);
  });

  it('says when a static resource folder cannot be read, and leaves that resource out', () => {
    const f = validateText(FIXTURE, TEXT.replace('file:///./harbour-docs', 'file:///./no-such-folder')).findings.find((x) => x.rule === 'construct-unsupported');
    expect(f).toMatchObject({ severity: 'warning', line: lineOf(TEXT, 'location: file:///./harbour-docs') });
    expect(f!.message).toContain('file:///./no-such-folder');
  });

  it('says that Python and Groovy script steps cannot be generated, and leaves their item out', () => {
    const text = TEXT.replace('language: javascript', 'language: python');
    const f = validateText(FIXTURE, text).findings.find((x) => x.rule === 'construct-unsupported');
    expect(f).toMatchObject({ severity: 'warning', line: lineOf(text, 'language: python') });
    expect(f!.message).toContain('python script step cannot run');
  });

  it('refuses a tool name taken from a ref that another tool has, and twice the same resource URI or prompt name', () => {
    const text = TEXT.replace('        - name: vessel-with-crew\n          ref: berth.vessel-with-crew', '        - ref: berth.vessel-with-crew\n        - ref: berth.vessel-with-crew')
      .replace('uri: data://roster', 'uri: data://vessels/{vesselId}/profile')
      .replace('- name: departure-check', '- name: brief-captain');
    const errors = validateText(FIXTURE, text).findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => `${f.rule} ${f.line}`)).toEqual([
      `tool-name-duplicate ${lineOf(text, '- ref: berth.vessel-with-crew') + 1}`,
      `resource-duplicate ${lineOf(text, 'uri: data://vessels/{vesselId}/profile', lineOf(text, 'uri: data://vessels/{vesselId}/profile'))}`,
      `prompt-duplicate ${lineOf(text, '- name: brief-captain', lineOf(text, '- name: brief-captain'))}`,
    ]);
  });

  it('refuses a ref to an unknown aggregate function, at its line, with a suggestion', () => {
    const text = TEXT.replace('- ref: berth.welcome', '- ref: berth.welcom');
    const errors = validate(text).findings.filter((f) => f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: 'ref-target-missing', line: lineOf(text, '- ref: berth.welcom') });
    expect(errors[0]!.message).toContain('berth.welcom');
    expect(errors[0]!.hint).toContain('berth.welcome');
  });

  it('refuses two functions of one aggregate with the same name', () => {
    const text = TEXT.replace('- name: vessel-direct\n          description: A vessel as', '- name: welcome\n          description: A vessel as');
    // The renamed function also leaves its ref without a target.
    expect(validate(text).findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['function-duplicate', 'ref-target-missing']);
  });

  it('says, rather than drops silently, that a tool with call and steps runs its steps', () => {
    const text = TEXT.replace("          description: Calls an operation nobody declares.\n", "          description: Calls an operation nobody declares.\n          call: harbour.list-sailors\n");
    const f = validate(text).findings.find((x) => x.rule === 'construct-ignored');
    expect(f).toMatchObject({ severity: 'warning', line: lineOf(text, 'call: harbour.list-sailors', lineOf(text, 'name: broken', lineOf(text, 'type: mcp'))) });
  });
});

describe('MCP tools without a plain call', () => {
  it('lists inherited names, descriptions and inputs, title from label, hints from semantics with explicit hints winning', async () => {
    const { tools } = await mcp.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(tools.map((t) => t.name)).toEqual(['get-vessel-card', 'welcome', 'vessel-with-crew', 'vessel-direct', 'rank-summary', 'broken']);
    expect(byName['get-vessel-card']).toMatchObject({ title: 'Vessel card', annotations: { title: 'Vessel card' } });
    expect(byName.welcome).toMatchObject({ description: 'Greets a visitor by name.', inputSchema: { properties: { visitor: { type: 'string' } }, required: ['visitor'] } });
    expect(byName.welcome!.annotations).toBeUndefined();
    expect(byName['vessel-with-crew']!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(byName['vessel-direct']!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true });
  });

  it('answers a mock from its output values, filled from the arguments, without calling upstream', async () => {
    upstream.requests.length = 0;
    const card = await callTool('get-vessel-card', { code: 'IMO-9321483' });
    expect(JSON.parse(card.text)).toEqual({ code: 'IMO-9321483', name: 'Northern Star', quay: 'Quay IMO-9321483' });
    expect(upstream.requests).toHaveLength(0);
  });

  it('runs the steps of an aggregate function: calls in order, lookup over a multi-valued path, mappings nested', async () => {
    upstream.requests.length = 0;
    const answer = await callTool('vessel-with-crew', { vessel: 'V1' });
    expect(answer.isError).toBe(false);
    expect(JSON.parse(answer.text)).toEqual({
      id: 'V1',
      name: 'Sea Breeze',
      flags: { home: 'Oslo' },
      crew: [
        { name: 'Bo', rank: 'mate' },
        { name: 'Ada', rank: 'captain' },
      ],
    });
    expect(upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/vessels/V1', 'GET /v1/sailors']);
    expect(upstream.requests.every((r) => r.headers.authorization === 'Bearer tok-123')).toBe(true);
  });

  it('calls through an aggregate function whose with names its input by the aggregate namespace', async () => {
    upstream.requests.length = 0;
    const answer = await callTool('vessel-direct', { code: 'V1' });
    expect(JSON.parse(answer.text)).toEqual(VESSEL);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1']);
  });

  it('runs a JavaScript script step, compiled in with its dependencies, over the earlier steps and its with', async () => {
    const answer = await callTool('rank-summary', { port: 'Oslo' });
    expect(JSON.parse(answer.text)).toEqual({ report: { title: 'Ranks at Oslo', total: 2, ranks: { captain: 1, mate: 1 } } });
  });

  it('refuses a step that calls an undeclared operation with -32602 (HTTP and stdio), before anything is sent', async () => {
    upstream.requests.length = 0;
    expect(await refusal(mcp.callTool({ name: 'broken', arguments: {} }))).toEqual({ code: -32602, message: expect.stringContaining('Invalid call format: harbour.no-such-operation') });
    const stdio = await connectMcpStdio(project, cleanEnv({ HARBOUR_BASE_URI: `${upstream.url}/v1`, HARBOUR_TOKEN: 'tok-123' }));
    try {
      expect(await refusal(stdio.client.callTool({ name: 'broken', arguments: {} }))).toEqual({ code: -32602, message: expect.stringContaining('Invalid call format: harbour.no-such-operation') });
      // The other tools of the stdio session still answer.
      expect(JSON.parse(((await stdio.client.callTool({ name: 'vessel-direct', arguments: { code: 'V1' } })) as { content: Array<{ text: string }> }).content[0]!.text)).toEqual(VESSEL);
    } finally {
      await stdio.client.close();
    }
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1']);
  });
});

describe('REST operations without a plain call', () => {
  it('answers the same aggregate mock as the MCP tool', async () => {
    const rest = await get('/welcome/Nina');
    expect(rest.status).toBe(200);
    expect(rest.json()).toEqual({ message: 'Welcome aboard, Nina!', source: 'berth-mock' });
    expect(JSON.parse((await callTool('welcome', { visitor: 'Nina' })).text)).toEqual(rest.json());
  });

  it('builds nested mock objects; an unnamed output is the key `value`, a missing variable is empty', async () => {
    const rest = await get('/tide?port=Bergen');
    expect(rest.json()).toEqual({ value: { level: 'high', where: { port: 'Port of Bergen', missing: '[]' } } });
  });

  it('answers mapped steps with 200 even when an upstream answer is an error', async () => {
    sailorsStatus = 503;
    try {
      const rest = await get('/vessels/V1/crew');
      expect(rest.status).toBe(200);
      expect(rest.json()).toMatchObject({ id: 'V1', crew: [{ name: 'Bo' }, { name: 'Ada' }] });
    } finally {
      sailorsStatus = 200;
    }
  });

  it('feeds a lookup result into a later call, and maps the last answer through the output parameters', async () => {
    upstream.requests.length = 0;
    const rest = await get('/vessels/V1/skipper');
    expect(rest.status, rest.text).toBe(200);
    expect(rest.json()).toEqual({ who: 'Ada', rank: 'captain' });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1', '/v1/sailors/s1']);
    expect(upstream.last().headers['x-trace']).toBe('trace-s1');
  });

  it('cancels the call a later step started (after an await) when the REST or MCP client goes away', async () => {
    upstream.requests.length = 0;
    // The second call (after the first step's await) hangs until the client hangs up.
    upstream.reply((req) => (req.path === '/v1/sailors/s1' ? { delayMs: 30_000, body: {} } : registry(req)));
    try {
      const client = http.request(`${server.restUrl()}/vessels/V1/skipper`, { agent: false });
      client.on('error', () => undefined);
      client.end();
      await until(() => upstream.requests.length === 2);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1', '/v1/sailors/s1']);
      client.destroy();
      await until(() => upstream.requests[1]!.aborted === true);
      expect(upstream.requests[0]!.aborted).toBeUndefined();
      // The same through MCP: a tool of steps whose second call hangs, and a client that hangs up.
      upstream.requests.length = 0;
      upstream.reply((req) => (req.path === '/v1/sailors' ? { delayMs: 30_000, body: [] } : registry(req)));
      const rpc = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'vessel-with-crew', arguments: { vessel: 'V1' } } });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const viaMcp = http.request(`${server.mcpUrl()}/mcp`, { method: 'POST', headers, agent: false });
      viaMcp.on('error', () => undefined);
      viaMcp.end(rpc);
      await until(() => upstream.requests.length === 2);
      expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1', '/v1/sailors']);
      viaMcp.destroy();
      await until(() => upstream.requests[1]!.aborted === true);
    } finally {
      upstream.reply(registry);
    }
  });

  it('answers 400 for a step that calls an undeclared operation, sending nothing', async () => {
    upstream.requests.length = 0;
    const rest = await get('/broken');
    expect(rest.status).toBe(400);
    expect(rest.json().message).toBe('Invalid call format: harbour.no-such-operation');
    expect(upstream.requests).toHaveLength(0);
  });
});

/** Waits (at most 10 s) until `ok` holds. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(ok()).toBe(true);
}

/** The JSON-RPC error a request was refused with. */
async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('the request was not refused');
}

describe('MCP resources and prompts', () => {
  it('advertises resources and prompts only on the adapter that declares them', async () => {
    expect(mcp.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
    const bare = plain.getServerCapabilities()!;
    expect(bare.tools).toBeDefined();
    expect(bare.resources).toBeUndefined();
    expect(bare.prompts).toBeUndefined();
    expect(JSON.parse(((await plain.callTool({ name: 'ping-harbour', arguments: {} })) as { content: Array<{ text: string }> }).content[0]!.text)).toEqual({ reply: 'pong' });
  });

  it('lists static resources and resource templates with their titles', async () => {
    expect((await mcp.listResources()).resources).toEqual([
      { name: 'roster', title: 'Roster', uri: 'data://roster', description: 'Every sailor of the harbour.', mimeType: 'application/json' },
      { name: 'lost-log', title: 'Lost log', uri: 'data://lost-log', description: 'A log kept by an operation nobody declares.', mimeType: 'application/json' },
      { name: 'harbour-docs/charts/north.json', title: 'Harbour documents', uri: 'docs://harbour/charts/north.json', description: "The harbour's rules and charts, published from a folder.", mimeType: 'application/json' },
      { name: 'harbour-docs/rules.md', title: 'Harbour documents', uri: 'docs://harbour/rules.md', description: "The harbour's rules and charts, published from a folder.", mimeType: 'text/markdown' },
    ]);
    const templates = (await mcp.listResourceTemplates()).resourceTemplates.map((t) => [t.name, t.uriTemplate, t.title]);
    expect(templates).toEqual([
      ['vessel-profile', 'data://vessels/{vesselId}/profile', 'Vessel profile'],
      ['crew-names', 'data://vessels/{vessel}/crew', 'Crew names'],
    ]);
  });

  it('reads a resource template by calling upstream with the URI placeholder, mapped', async () => {
    upstream.requests.length = 0;
    const read = await mcp.readResource({ uri: 'data://vessels/V1/profile' });
    expect(read.contents).toEqual([{ uri: 'data://vessels/V1/profile', mimeType: 'application/json', text: '{"id":"V1","port":"Oslo"}' }]);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/vessels/V1']);
  });

  it('reads a static resource as the upstream body, and a resource of steps as its mappings', async () => {
    const roster = await mcp.readResource({ uri: 'data://roster' });
    expect(JSON.parse((roster.contents[0] as { text: string }).text)).toEqual(SAILORS);
    const crew = await mcp.readResource({ uri: 'data://vessels/V1/crew' });
    expect(JSON.parse((crew.contents[0] as { text: string }).text)).toEqual({ crew: [{ name: 'Bo' }, { name: 'Ada' }] });
  });

  it('publishes the files of a static resource folder (next to the capability) as they are, embedded at build time', async () => {
    const read = await mcp.readResource({ uri: 'docs://harbour/rules.md' });
    expect(read.contents).toEqual([{ uri: 'docs://harbour/rules.md', mimeType: 'text/markdown', text: readFileSync(`${REPO}test/fixtures/valid/harbour-docs/rules.md`, 'utf8') }]);
  });

  it('refuses an unknown resource URI with -32602, as the engine does', async () => {
    const r = await refusal(mcp.readResource({ uri: 'data://nowhere' }));
    expect(r.code).toBe(-32602);
    expect(r.message).toContain('data://nowhere');
  });

  it('refuses a resource whose step calls an undeclared operation with -32602, sending nothing', async () => {
    upstream.requests.length = 0;
    const r = await refusal(mcp.readResource({ uri: 'data://lost-log' }));
    expect(r).toEqual({ code: -32602, message: expect.stringContaining('Invalid call format: harbour.no-such-log') });
    expect(upstream.requests).toHaveLength(0);
  });

  it('fills prompt messages from the arguments, roles kept, a missing optional argument empty', async () => {
    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['brief-captain', 'departure-check']);
    expect(prompts.slice(0, 1)).toEqual([
      {
        name: 'brief-captain',
        title: 'Brief the captain',
        description: "Asks for a briefing of a vessel's captain.",
        arguments: [
          { name: 'vessel', description: 'Vessel identifier.', required: true },
          { name: 'tone', description: 'Tone of the briefing.', required: false },
        ],
      },
    ]);
    const got = await mcp.getPrompt({ name: 'brief-captain', arguments: { vessel: 'V1', tone: 'calm' } });
    expect(got.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Brief the captain of V1 in a calm tone.' } },
      { role: 'assistant', content: { type: 'text', text: 'Aye, a briefing for V1.' } },
    ]);
    const bare = await mcp.getPrompt({ name: 'brief-captain', arguments: { vessel: 'V2' } });
    expect((bare.messages[0]!.content as { text: string }).text).toBe('Brief the captain of V2 in a  tone.');
  });

  it('fills a prompt kept in a file (next to the capability) as one user message', async () => {
    const got = await mcp.getPrompt({ name: 'departure-check', arguments: { vessel: 'V1' } });
    expect(got.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Run the departure checklist for V1: lines, lights, radio.\n' } }]);
  });

  it('refuses a prompt without its required argument, and an unknown prompt, with -32602', async () => {
    const missing = await refusal(mcp.getPrompt({ name: 'brief-captain', arguments: {} }));
    expect(missing.code).toBe(-32602);
    expect(missing.message).toContain('vessel');
    const unknown = await refusal(mcp.getPrompt({ name: 'no-such-prompt', arguments: {} }));
    expect(unknown).toMatchObject({ code: -32602 });
    expect(unknown.message).toContain('Prompt no-such-prompt not found');
  });
});
