/**
 * The consumed side, end to end (issue 8): one generated project (test/fixtures/consumed) built,
 * type-checked and started once, against a fake upstream that records the exact bytes it receives.
 * Imported consumes and binds files (YAML, .env, JSON) relative to the capability; every form of
 * request body with its content type and escaping; answers in XML, YAML, CSV, TSV, PSV, HTML and
 * Markdown converted to JSON before the mapping; a consumed value filled from `$.user.id` of the body.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, request, startServer, stopAll, TEST_OUTPUT, type GeneratedProject, type RunningServer } from './helpers/generated-project.js';
import { lineOf } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const SPEC = join(REPO, 'test/fixtures/consumed/consumed-breadth.yaml');

const ANSWERS: Record<string, { body: string; contentType: string }> = {
  '/api/fleet.xml': { body: '<?xml version="1.0"?><fleet><ship><name>Aurora</name><flag>PA</flag></ship><ship><name>Borealis</name><flag>LR</flag></ship></fleet>', contentType: 'application/xml' },
  '/api/fleet.yaml': { body: '- name: Aurora\n  tonnage: 5200\n', contentType: 'application/yaml' },
  '/api/fleet.csv': { body: 'name,flag\nAurora,PA\n"Borealis, II",LR\n', contentType: 'text/csv' },
  '/api/fleet.tsv': { body: 'name\tflag\nAurora\tPA\n', contentType: 'text/tab-separated-values' },
  '/api/fleet.psv': { body: 'name|flag\nAurora|PA\n', contentType: 'text/plain' },
  '/api/fleet.html': {
    body: '<html><body><table class="other"><tr><td>x</td></tr></table><div id="ships"><p>Our fleet</p><table class="ships"><tr><th>name</th><th>flag</th></tr><tr><td>Aurora</td><td> PA </td></tr></table></div></body></html>',
    contentType: 'text/html',
  },
  '/api/fleet.md': { body: '# Intro\n\nHello.\n\n## Fleet notes\n\nNot this one.\n\n# Fleet\n\nShips we run.\n\n| name | flag |\n| --- | --- |\n| Aurora | PA |\n\n# Other\n\nIgnored.\n', contentType: 'text/markdown' },
};

/** The fake upstream's answers for the authenticated APIs: a Digest challenge, a token endpoint, a ledger that wants its token. */
let tokensIssued = 0;
let revokeNext = false;
function authAnswers(r: RecordedRequest): { status?: number; body?: unknown; headers?: Record<string, string> } | undefined {
  if (r.path.startsWith('/vault/')) {
    const auth = String(r.headers.authorization ?? '');
    if (!auth.startsWith('Digest ')) return { status: 401, body: { error: 'who' }, headers: { 'www-authenticate': 'Digest realm="docs@vault", qop="auth", algorithm=SHA-256, nonce="n0nce", opaque="op4que"' } };
    return { body: { document: r.path, authorization: auth } };
  }
  if (r.path === '/auth/token') {
    tokensIssued++;
    return { body: { access_token: `tok-${tokensIssued}`, token_type: 'Bearer', expires_in: 3600 } };
  }
  if (r.path === '/ledger/entries') {
    if (revokeNext && r.headers.authorization === 'Bearer tok-1') {
      revokeNext = false;
      return { status: 401, body: { error: 'revoked' } };
    }
    return { body: { entries: [], authorization: r.headers.authorization } };
  }
  return undefined;
}

let upstream: FakeUpstream;
let project: GeneratedProject;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.reply((r: RecordedRequest) => ANSWERS[r.path] ?? authAnswers(r));
  project = await buildProject('consumed-breadth', { spec: SPEC });
  server = await startServer(
    project,
    cleanEnv({
      BREADTH_PORT: '0', BREADTH_HOST: '127.0.0.1', SHOP_BASE_URI: `${upstream.url}/v1`,
      STORE_BASE_URI: `${upstream.url}/api/`,
      VAULT_BASE_URI: `${upstream.url}/vault`,
      VAULT_USER: 'ada',
      VAULT_PASSWORD: 'pa"ss',
      LEDGER_BASE_URI: `${upstream.url}/ledger`,
      LEDGER_TOKEN_ENDPOINT: `${upstream.url}/auth/token`,
      LEDGER_CLIENT_ID: 'ledger app',
      LEDGER_CLIENT_SECRET: 's3cr&t',
    }),
    1,
  );
}, 180_000);

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

async function post(path: string, body: unknown): Promise<RecordedRequest> {
  upstream.reset();
  upstream.reply((r: RecordedRequest) => ANSWERS[r.path]);
  const answer = await request(server.restUrl(), 'POST', path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(answer.status, answer.text).toBe(200);
  return upstream.last();
}

describe('imported consumes and binds files', () => {
  it('calls the imported API under its local name, with the key read from a YAML binds file', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'GET', '/items?aisle=7');
    expect(answer.status).toBe(200);
    const sent = upstream.last();
    expect(sent.url).toBe('/v1/items?aisle=7');
    expect(sent.headers['x-catalog-key']).toBe('yaml-catalog-key');
  });
});

describe('forward', () => {
  it('passes a request on: method, body and trusted headers only, to base URI + / + the rest of the path, without the query', async () => {
    upstream.reset();
    upstream.reply({ status: 201, body: '<created/>', contentType: 'application/xml' });
    const answer = await request(server.restUrl(), 'PUT', '/relay/ships/a%2Fb?token=x', {
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-7', 'x-secret': 'nope', cookie: 'a=b', 'store-version': 'forged' },
      body: '{"name":"Aurora"}',
    });
    expect(answer.status).toBe(201);
    expect(answer.text).toBe('<created/>');
    expect(answer.headers['content-type']).toBe('application/xml');
    const sent = upstream.last();
    expect(sent.method).toBe('PUT');
    expect(sent.url).toBe('/api/ships/a%2Fb');
    expect(sent.body).toBe('{"name":"Aurora"}');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-request-id']).toBe('req-7');
    expect(sent.headers['store-version']).toBe('2026-01');
    expect(sent.headers['x-secret']).toBeUndefined();
    expect(sent.headers.cookie).toBeUndefined();
  });

  it('passes a binary body on byte for byte', async () => {
    upstream.reset();
    upstream.reply({ status: 204, body: '' });
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x41]);
    const answer = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.restUrl());
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/relay/blob', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(bytes);
    });
    expect(answer).toBe(204);
    expect(upstream.last().headers['content-length']).toBe('5');
    expect(upstream.last().headers['content-type']).toBe('application/octet-stream');
  });

  it('lets the resource\'s own operation win for its method', async () => {
    upstream.reset();
    upstream.reply((r: RecordedRequest) => ANSWERS[r.path]);
    const answer = await request(server.restUrl(), 'GET', '/relay/anything');
    expect(answer.status).toBe(200);
    expect(upstream.last().path).toBe('/api/fleet.yaml');
    expect(answer.json()).toEqual([{ name: 'Aurora', tonnage: 5200 }]);
  });

  it('never climbs out of the base path', async () => {
    upstream.reset();
    const answer = await request(server.restUrl(), 'DELETE', '/relay/%2e%2e/admin');
    expect(answer.status).toBeLessThan(500);
    expect(upstream.last().url).toBe('/api/%2E%2E/admin');
  });
});

describe('consumed authentication', () => {
  it('answers a Digest challenge (RFC 7616, SHA-256, qop=auth) and sends the request again', async () => {
    upstream.reset();
    upstream.reply(authAnswers);
    const answer = await request(server.restUrl(), 'GET', '/documents/42');
    expect(answer.status, answer.text).toBe(200);
    const [first, second] = upstream.requests;
    expect(upstream.requests).toHaveLength(2);
    expect(first!.headers.authorization).toBeUndefined();
    const auth = String(second!.headers.authorization);
    const field = (name: string): string | undefined => new RegExp(`${name}="?([^",]*)"?`).exec(auth)?.[1];
    expect(field('username')).toBe('ada');
    expect(field('realm')).toBe('docs@vault');
    expect(field('uri')).toBe('/vault/documents/42');
    expect(field('opaque')).toBe('op4que');
    expect(field('nc')).toBe('00000001');
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const ha1 = sha('ada:docs@vault:pa"ss');
    const ha2 = sha('GET:/vault/documents/42');
    expect(field('response')).toBe(sha(`${ha1}:n0nce:00000001:${field('cnonce')}:auth:${ha2}`));
    // The next call answers the known challenge at once, counting the nonce.
    upstream.reset();
    upstream.reply(authAnswers);
    expect((await request(server.restUrl(), 'GET', '/documents/43')).status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    expect(String(upstream.last().headers.authorization)).toContain('nc=00000002');
  });

  it('fetches an OAuth 2 token with the client credentials once, reuses it, and renews it after a 401', async () => {
    upstream.reset();
    upstream.reply(authAnswers);
    expect((await request(server.restUrl(), 'GET', '/entries')).status).toBe(200);
    expect((await request(server.restUrl(), 'GET', '/entries')).status).toBe(200);
    const tokenRequests = upstream.requests.filter((r) => r.path === '/auth/token');
    expect(tokenRequests).toHaveLength(1);
    const t = tokenRequests[0]!;
    expect(t.method).toBe('POST');
    expect(t.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(t.headers.authorization).toBe(`Basic ${Buffer.from('ledger+app:s3cr%26t').toString('base64')}`);
    expect(t.body).toBe('grant_type=client_credentials&scope=ledger.read+ledger.write&resource=http%3A%2F%2Fledger.invalid');
    const calls = upstream.requests.filter((r) => r.path === '/ledger/entries');
    expect(calls.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    // The API revokes the token: one new token, one retry, and the caller sees only the success.
    upstream.reset();
    upstream.reply(authAnswers);
    revokeNext = true;
    const answer = await request(server.restUrl(), 'GET', '/entries');
    expect(answer.status).toBe(200);
    expect(upstream.requests.map((r) => `${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
      '/ledger/entries Bearer tok-1',
      `/auth/token Basic ${Buffer.from('ledger+app:s3cr%26t').toString('base64')}`,
      '/ledger/entries Bearer tok-2',
    ]);
    expect(server.stderr()).not.toContain('s3cr');
    expect(server.stderr()).not.toContain('tok-');
  });
});

describe('request bodies', () => {
  it('fills a JSON template: string values escaped inside their quotes, an array as JSON, a secret from a .env file', async () => {
    const sent = await post('/voyages', { name: 'Ann "the" \\ Bold', crew: ['c1', 'c2'] });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toBe('{"name": "Ann \\"the\\" \\\\ Bold", "crew": ["c1","c2"], "token": "env-store-token"}\n');
    expect(JSON.parse(sent.body)).toEqual({ name: 'Ann "the" \\ Bold', crew: ['c1', 'c2'], token: 'env-store-token' });
  });

  it('writes a missing value outside quotes as null, so the body stays JSON', async () => {
    const sent = await post('/voyages', { name: 'Solo' });
    expect(sent.body).toBe('{"name": "Solo", "crew": null, "token": "env-store-token"}\n');
  });

  it('serialises json data with templates in its strings, and a lone {{x}} as the value itself', async () => {
    const sent = await post('/bodies/any', { name: 'Bo"', crew: [1, 2] });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toBe('{"title":"Hello Bo\\"","crew":[1,2],"count":3}');
  });

  it('sends text as text/plain, with a secret from a JSON binds file', async () => {
    const sent = await post('/text', { name: 'Cy' });
    expect(sent.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(sent.body).toBe('Note for Cy (json-note)');
  });

  it('escapes values in an XML body', async () => {
    const sent = await post('/xml', { name: '<b>&"' });
    expect(sent.headers['content-type']).toBe('application/xml');
    expect(sent.body).toBe('<ship><name>&lt;b&gt;&amp;&quot;</name></ship>');
  });

  it('escapes values in a SPARQL string literal', async () => {
    const sent = await post('/sparql', { name: 'x" } DROP ALL' });
    expect(sent.headers['content-type']).toBe('application/sparql-query');
    expect(sent.body).toBe('SELECT ?s WHERE { ?s <urn:name> "x\\" } DROP ALL" }');
  });

  it('encodes form fields, so a value cannot add a field', async () => {
    const sent = await post('/form', { name: 'a&b=c d' });
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.body).toBe('name=a%26b%3Dc+d&kind=cargo');
  });

  it('form-encodes the values of an encoded form string', async () => {
    const sent = await post('/form-string', { name: 'a&kind=evil' });
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.body).toBe('name=a%26kind%3Devil&kind=cargo');
  });

  it('sends multipart/form-data with a file part, its name and media type', async () => {
    const sent = await post('/upload', { name: 'Manifest', content: 'line 1\r\nline 2' });
    const m = /^multipart\/form-data; boundary=(\S+)$/.exec(String(sent.headers['content-type']));
    expect(m).not.toBeNull();
    const b = m![1]!;
    expect(sent.body).toBe(
      `--${b}\r\ncontent-disposition: form-data; name="title"\r\n\r\nManifest\r\n` +
        `--${b}\r\ncontent-disposition: form-data; name="manifest"; filename="manifest %22v1%22.txt"\r\ncontent-type: text/plain\r\n\r\nline 1\r\nline 2\r\n` +
        `--${b}--\r\n`,
    );
  });

  it('sends a raw string that is not JSON as written, as text', async () => {
    const sent = await post('/raw', { name: 'R' });
    expect(sent.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(sent.body).toBe('plain R');
  });

  it('fills a consumed value template from a body input read at $.user.id', async () => {
    const sent = await post('/search', { user: { id: '999' } });
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('/api/search?q=999');
  });
});

describe('response formats', () => {
  const cases: Array<[string, unknown]> = [
    ['xml', [{ name: 'Aurora', flag: 'PA' }, { name: 'Borealis', flag: 'LR' }]],
    ['yaml', [{ name: 'Aurora', tonnage: 5200 }]],
    ['csv', [{ name: 'Aurora', flag: 'PA' }, { name: 'Borealis, II', flag: 'LR' }]],
    ['tsv', [{ name: 'Aurora', flag: 'PA' }]],
    ['psv', [{ name: 'Aurora', flag: 'PA' }]],
    ['html', [[{ name: 'Aurora', flag: 'PA' }]]],
    ['markdown', { sections: [{ heading: 'Fleet', level: 1, text: 'Ships we run.' }], tables: [[{ name: 'Aurora', flag: 'PA' }]] }],
  ];
  it.each(cases)('converts %s to JSON before the mapping', async (format, expected) => {
    upstream.reset();
    upstream.reply((r: RecordedRequest) => ANSWERS[r.path]);
    const answer = await request(server.restUrl(), 'GET', `/fleet/${format}`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json()).toEqual(expected);
  });

  it('answers 502 when the upstream sends something that is not the declared format', async () => {
    upstream.reset();
    upstream.reply({ body: '<fleet><ship>', contentType: 'application/xml' });
    const answer = await request(server.restUrl(), 'GET', '/fleet/xml');
    expect(answer.status).toBe(502);
    expect(answer.json()).toEqual({ error: 'upstream_format', message: 'The upstream answer is not valid xml.' });
  });
});

describe('imports: findings', () => {
  let dir: string;
  const BROKEN_SHARED = 'naftiko: "1.0.0-alpha2"\nconsumes:\n  - namespace: inv\n    type: http\n    baseUri: "http://x.invalid"\n    resources:\n      - name: r\n        path: "/r/{id"\n        operations:\n          - name: get\n            method: GET\n';
  beforeAll(() => {
    mkdirSync(TEST_OUTPUT, { recursive: true });
    dir = mkdtempSync(join(TEST_OUTPUT, 'imports-'));
    mkdirSync(join(dir, 'caps/shared'), { recursive: true });
    writeFileSync(join(dir, 'caps/shared/broken.yaml'), BROKEN_SHARED);
    writeFileSync(join(dir, 'outside.yaml'), 'naftiko: "1.0.0-alpha2"\nconsumes: []\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const capability = (location: string, name: string): string =>
    `naftiko: "1.0.0-alpha2"\ninfo:\n  label: I\n  description: Imports.\ncapability:\n  consumes:\n    - import: ${name}\n      location: "${location}"\n  exposes:\n    - type: mcp\n      namespace: m\n      port: 3001\n      tools:\n        - name: t\n          description: T.\n          call: ${name}.get\n`;

  it('points a finding inside the imported file at that file', () => {
    const file = join(dir, 'caps/cap.yaml');
    const r = validateText(file, capability('./shared/broken.yaml', 'inv'));
    const f = r.findings.find((x) => x.rule === 'path-placeholder-malformed');
    expect(f).toMatchObject({ file: join(dir, 'caps/shared/broken.yaml'), line: lineOf(BROKEN_SHARED, 'path: "/r/{id"'), severity: 'error' });
  });

  it('refuses a location outside the importing file\'s folder', () => {
    const r = validateText(join(dir, 'caps/cap.yaml'), capability('../outside.yaml', 'inv'));
    const text = capability('../outside.yaml', 'inv');
    expect(r.findings.map((f) => [f.rule, f.line])).toContainEqual(['import-outside-folder', lineOf(text, 'location:')]);
    expect(r.model).toBeUndefined();
  });

  it('names the namespaces a shared file declares when the import asks for another', () => {
    const r = validateText(join(dir, 'caps/cap.yaml'), capability('file:///./shared/broken.yaml', 'nope'));
    const f = r.findings.find((x) => x.rule === 'import-namespace-missing');
    expect(f?.message).toContain('`inv`');
    expect(f?.line).toBe(lineOf(capability('file:///./shared/broken.yaml', 'nope'), 'import: nope'));
  });
});

describe('consumed-side findings', () => {
  const doc = (consumes: string, binds = ''): string =>
    `naftiko: "1.0.0-alpha2"\ninfo:\n  label: F\n  description: Findings.\n${binds}capability:\n  consumes:\n${consumes}  exposes:\n    - type: mcp\n      namespace: m\n      port: 3001\n      tools:\n        - name: t\n          description: T.\n          call: api.get\n`;
  const api = (baseUri: string, extra = ''): string =>
    `    - namespace: api\n      type: http\n      baseUri: "${baseUri}"\n      resources:\n        - name: r\n          path: /r\n          operations:\n            - name: get\n              method: GET\n${extra}`;

  it('warns about a base URI ending in / and removes the slash', () => {
    const text = doc(api('https://api.example.com/v1/'));
    const r = validateText('f.yaml', text);
    expect(r.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['baseuri-trailing-slash', 'warning', lineOf(text, 'baseUri:')]]);
    expect(r.model?.consumes[0]?.baseUri).toBe('https://api.example.com/v1');
  });

  it('says that protobuf answers are not converted', () => {
    const text = doc(api('https://api.example.com', '              outputRawFormat: protobuf\n'));
    const r = validateText('f.yaml', text);
    expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['construct-unsupported', lineOf(text, 'outputRawFormat: protobuf')]]);
  });

  it('says that outputSchema is not used with a format that has no use for it', () => {
    const text = doc(api('https://api.example.com', '              outputRawFormat: csv\n              outputSchema: "table"\n'));
    const r = validateText('f.yaml', text);
    expect(r.findings.map((f) => [f.rule, f.line])).toEqual([['construct-unsupported', lineOf(text, 'outputSchema:')]]);
  });

  it('refuses a binds location that is not a file', () => {
    const text = doc(api('https://api.example.com'), 'binds:\n  - namespace: vault\n    location: "vault://kv/app"\n    keys:\n      TOKEN: token\n');
    const r = validateText('f.yaml', text);
    expect(r.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['binds-location-unsupported', 'error', lineOf(text, 'vault://')]]);
  });

  it('reads file:///./x as a path relative to the capability', () => {
    const r = validateText('f.yaml', doc(api('https://api.example.com'), 'binds:\n  - namespace: keys\n    location: "file:///./shared/keys.yaml"\n    keys:\n      TOKEN: token\n'));
    expect(r.model?.secrets).toEqual([{ namespace: 'keys', variable: 'TOKEN', source: 'token', location: './shared/keys.yaml' }]);
  });
});
