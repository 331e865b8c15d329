/**
 * D15, end to end: an input of `type: file` (capabilities converted from OpenAPI 2) validates with a
 * warning (an error under --strict), and the generated servers send the file's bytes exactly: as the whole
 * body of an operation that has no other body parameter, and as a part of a multipart body beside the
 * operation's other form fields. REST takes the file as the raw request body; MCP as a base64 argument.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { REPO } from './helpers/shared.js';

const SPEC = `${REPO}test/fixtures/relaxations/upload.yaml`;
/** Every byte value, and bytes that are not UTF-8: anything that decodes or re-encodes the file would change them. */
const FILE = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;
let mcp: Client;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('uploads', { spec: SPEC });
  server = await startServer(project, cleanEnv({ PET_RECORDS_REST_PORT: '0', PET_RECORDS_MCP_PORT: '0', PET_RECORDS_BASE_URI: `${upstream.url}/records` }), 2);
  mcp = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

/** The parts of a multipart body, read by the platform's own parser (undici's FormData). */
async function partsOf(r: RecordedRequest): Promise<FormData> {
  return new Response(new Uint8Array(r.bytes), { headers: { 'content-type': String(r.headers['content-type']) } }).formData();
}

describe('type: file (D15)', () => {
  it('is a relaxation: a warning at each `type: file`, an error under --strict', () => {
    const text = readFileSync(SPEC, 'utf8');
    const files = validateText(SPEC, text).findings.filter((f) => f.rule === 'relaxed-file-input');
    expect(files.map((f) => `${f.severity} ${f.line}`)).toEqual(['warning 26', 'warning 42', 'warning 71', 'warning 95']);
    expect(validateText(SPEC, text).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const strict = validateText(SPEC, text, { strict: true }).findings.filter((f) => f.rule === 'relaxed-file-input');
    expect(strict.map((f) => f.severity)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('REST: the raw request body is sent upstream as the whole body, byte for byte', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'PUT', '/pets/rex/photo', { headers: { 'content-type': 'image/png' }, body: FILE });
    expect(answer.status, answer.text).toBe(200);
    const sent = upstream.last();
    expect(sent).toMatchObject({ method: 'PUT', path: '/records/pets/rex/photo' });
    expect(sent.headers['content-type']).toBe('application/octet-stream');
    expect(sent.headers['content-length']).toBe(String(FILE.length));
    expect(sent.bytes.equals(FILE)).toBe(true);
  });

  it('REST: beside another form field, the file is one part of a multipart body', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'POST', '/documents?title=Vaccination%20record', { headers: { 'content-type': 'application/pdf' }, body: FILE });
    expect(answer.status, answer.text).toBe(200);
    const sent = upstream.last();
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=naftiko-[0-9a-f]{24}$/);
    const form = await partsOf(sent);
    expect(form.get('title')).toBe('Vaccination record');
    const file = form.get('content') as File;
    expect(file.name).toBe('content');
    expect(file.type).toBe('application/octet-stream');
    expect(Buffer.from(await file.arrayBuffer()).equals(FILE)).toBe(true);
  });

  it('MCP: a base64 argument is sent as the bytes it stands for, whole or as a part', async () => {
    upstream.reset();
    const tools = await mcp.listTools();
    const photo = tools.tools.find((t) => t.name === 'upload-photo')!.inputSchema.properties!.photo as Record<string, unknown>;
    expect(photo).toMatchObject({ type: 'string', contentEncoding: 'base64' });
    const whole = await mcp.callTool({ name: 'upload-photo', arguments: { petId: 'rex', photo: FILE.toString('base64') } });
    expect(whole.isError, JSON.stringify(whole)).toBeFalsy();
    expect(upstream.last().headers['content-type']).toBe('application/octet-stream');
    expect(upstream.last().bytes.equals(FILE)).toBe(true);

    const part = await mcp.callTool({ name: 'upload-document', arguments: { title: 'Scan', content: FILE.toString('base64') } });
    expect(part.isError, JSON.stringify(part)).toBeFalsy();
    const form = await partsOf(upstream.last());
    expect(form.get('title')).toBe('Scan');
    expect(Buffer.from(await (form.get('content') as File).arrayBuffer()).equals(FILE)).toBe(true);
  });

  it('MCP: an argument that is not base64 is refused before anything is sent', async () => {
    upstream.reset();
    const refused = await mcp.callTool({ name: 'upload-photo', arguments: { petId: 'rex', photo: 'not base64!' } });
    expect(refused.isError).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });
});
