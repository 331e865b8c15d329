/**
 * The runtime's request side, in process: body templates and uploads (templates/runtime/body.ts), the
 * upstream client (upstream.ts: request targets, headers, cookies, bodies, credentials, limits), Digest
 * authentication (auth-digest.ts) and `forward` resources (forward.ts). One loopback server records
 * each request's raw target, headers and body bytes; the e2e tests run the same code in generated
 * projects, these import it, so that mutation testing can see which test covers which line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DigestAuth } from '../templates/runtime/auth-digest.js';
import { fileBody, renderBody } from '../templates/runtime/body.js';
import { forwardTo } from '../templates/runtime/forward.js';
import { runWith } from '../templates/runtime/ops.js';
import { ApiClient, encodePathSegment, RequestInputError, text, UpstreamError, type OperationDescriptor } from '../templates/runtime/upstream.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Answer = (req: Received, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
let received: Received[] = [];
let answer: Answer;
const clients: ApiClient[] = [];

const okJson: Answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const c of clients) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  answer = okJson;
});

function client(options: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}): ApiClient {
  const c = new ApiClient({ namespace: 'api', baseUri: `${base}/v1/`, timeoutMs: 5000, ...options });
  clients.push(c);
  return c;
}

function op(parts: Partial<OperationDescriptor> = {}): OperationDescriptor {
  return { name: 'op', method: 'GET', path: ['/items'], query: [], headers: [], cookies: [], ...parts };
}

describe('body templates', () => {
  const args = { s: 'a "quoted"\nline & <tag> \'x\' \\ \t\r', n: 3, o: { k: [1] } };

  it('escapes each value for where it lands', () => {
    const r = (how: string) => renderBody({ kind: 'template', contentType: 't', pieces: [{ arg: 's', escape: how }] as never }, args).payload;
    expect(JSON.parse(`"${r('json-string')}"`)).toBe(args.s);
    expect(r('json')).toBe(JSON.stringify(args.s));
    expect(r('xml')).toBe('a &quot;quoted&quot;\nline &amp; &lt;tag&gt; &apos;x&apos; \\ \t\r');
    expect(r('sparql')).toBe('a \\"quoted\\"\\nline & <tag> \\\'x\\\' \\\\ \\t\\r');
    expect(r('form')).toBe('a+%22quoted%22%0Aline+%26+%3Ctag%3E+%27x%27+%5C+%09%0D');
    expect(r('none')).toBe(args.s);
  });

  it('writes literals as they are, numbers and objects as text, missing values as empty or null', () => {
    const body = renderBody(
      {
        kind: 'template',
        contentType: 'application/json',
        pieces: ['{"n":', { arg: 'n', escape: 'json' }, ',"o":"', { arg: 'o', escape: 'json-string' }, '","m":', { arg: 'm', escape: 'json' }, ',"e":"', { arg: 'm', escape: 'json-string' }, '","k":"', { secret: 'KEY', escape: 'json-string' }, '"}'],
      },
      { ...args, z: null },
      { KEY: 'sec"ret' },
    );
    expect(body.contentType).toBe('application/json');
    expect(JSON.parse(body.payload)).toEqual({ n: 3, o: '{"k":[1]}', m: null, e: '', k: 'sec"ret' });
    expect(renderBody({ kind: 'template', contentType: 't', pieces: [{ arg: 'z', escape: 'none' }, { arg: 'n', escape: 'xml' }, { arg: 'o', escape: 'none' }] }, { ...args, z: null }).payload).toBe('3{"k":[1]}');
    expect(renderBody({ kind: 'template', contentType: 't', pieces: [{ secret: 'NONE', escape: 'none' }] }, {}).payload).toBe('');
  });

  it('form fields: each value is one field, whatever it holds', () => {
    const body = renderBody({ kind: 'form-fields', fields: [{ name: 'q', pieces: ['x=', { arg: 's', escape: 'none' }] }, { name: 'n&m', pieces: [{ arg: 'n', escape: 'none' }] }] }, { s: 'a&b=c', n: 1 });
    expect(body.contentType).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(body.payload)]).toEqual([
      ['q', 'x=a&b=c'],
      ['n&m', '1'],
    ]);
  });

  it('multipart parts: names and file names cannot break out of their header, values never hold the boundary', () => {
    const body = renderBody(
      {
        kind: 'multipart',
        parts: [
          { name: 'a"b\r\nc', pieces: [{ arg: 'v', escape: 'none' }] },
          { name: 'f', pieces: ['data'], filename: 'x"\ny.txt' },
          { name: 'g', pieces: ['{}'], contentType: 'application/json\r\nx: y' },
        ],
      },
      { v: 'value' },
    );
    const boundary = /^multipart\/form-data; boundary=(naftiko-[0-9a-f]{24})$/.exec(body.contentType)![1]!;
    expect(body.payload).toBe(
      `--${boundary}\r\ncontent-disposition: form-data; name="a%22b%0D%0Ac"\r\n\r\nvalue\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="f"; filename="x%22%0Ay.txt"\r\ncontent-type: application/octet-stream\r\n\r\ndata\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="g"\r\ncontent-type: application/jsonx: y\r\n\r\n{}\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it('uploads: a file alone is the whole body, beside fields one part of a multipart body', () => {
    expect(fileBody({ kind: 'binary', arg: 'f' }, { f: Buffer.from('hi\x00').toString('base64') })).toEqual({ contentType: 'application/octet-stream', payload: Buffer.from('hi\x00') });
    expect(fileBody({ kind: 'binary', arg: 'f' }, {})).toBeUndefined();
    expect(fileBody({ kind: 'binary', arg: 'f' }, { f: null })).toBeUndefined();
    expect(fileBody({ kind: 'binary', arg: 'f' }, { f: 5 })!.payload.length).toBe(0);
    const multi = fileBody(
      { kind: 'multipart-args', fields: [{ name: 'doc"', arg: 'f', file: true }, { name: 'note', arg: 'n' }, { name: 'obj', arg: 'o' }, { name: 'skip', arg: 'none' }] },
      { f: Buffer.from([0xff, 0x00]).toString('base64'), n: 'hello', o: { a: 1 } },
    )!;
    const boundary = /^multipart\/form-data; boundary=(naftiko-[0-9a-f]{24})$/.exec(multi.contentType)![1]!;
    expect(multi.payload).toEqual(
      Buffer.concat([
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="doc%22"; filename="doc%22"\r\ncontent-type: application/octet-stream\r\n\r\n`),
        Buffer.from([0xff, 0x00]),
        Buffer.from(`\r\n--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\nhello\r\n`),
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="obj"\r\n\r\n{"a":1}\r\n--${boundary}--\r\n`),
      ]),
    );
    expect(fileBody({ kind: 'multipart-args', fields: [{ name: 'x', arg: 'x' }] }, { x: null })).toBeUndefined();
  });
});

describe('request targets', () => {
  it('encodes a path value as one segment that cannot climb out', () => {
    expect(encodePathSegment('a/b?c#d%e f')).toBe('a%2Fb%3Fc%23d%25e%20f');
    expect(encodePathSegment('.')).toBe('%2E');
    expect(encodePathSegment('..')).toBe('%2E%2E');
    expect(encodePathSegment('...')).toBe('...');
    expect(encodePathSegment(['a/b', 2, true])).toBe('a%2Fb,2,true');
    expect(encodePathSegment({ k: 'v' })).toBe(encodeURIComponent('{"k":"v"}'));
    expect(encodePathSegment(10n)).toBe('10');
  });

  it('fixed query first, then parameters (arrays repeated), then query credentials; RFC 3986 query characters kept', () => {
    const c = client({ baseUri: `${base}/v1?tenant=t1` });
    const target = c.target(
      op({
        path: ['/items/', { arg: 'id' }, '/sub'],
        fixedQuery: [
          ['acl', ''],
          ['mode', 'a b'],
        ],
        query: [
          { name: '$select', arg: 'sel' },
          { name: 'q', arg: 'q' },
          { name: 'tag', arg: 'tags' },
          { name: 'none', arg: 'missing' },
          { name: 'nil', arg: 'nil' },
        ],
      }),
      { id: 'x/y', sel: 'id,name', q: "a+b&c=d#e é:@/?!'()*;", tags: ['t1', 2], nil: null },
      { query: [['api key', 'k&v']] },
    );
    expect(target).toBe("/v1/items/x%2Fy/sub?tenant=t1&acl&mode=a%20b&$select=id,name&q=a%2Bb%26c%3Dd%23e%20%C3%A9:@/?!'()*;&tag=t1&tag=2&api%20key=k%26v");
  });

  it('a base URI without a path, a path without a leading slash, and no query at all', () => {
    const c = client({ baseUri: base });
    expect(c.target(op({ path: ['items'] }), {}, undefined)).toBe('/items');
    expect(c.target(op({ path: [] }), {}, undefined)).toBe('/');
  });

  it('a missing, null or empty path value is refused, naming the argument', () => {
    const c = client();
    for (const id of [undefined, null, '']) {
      expect(() => c.target(op({ path: ['/items/', { arg: 'id' }] }), { id }, undefined)).toThrow(new RequestInputError('id', '`id` is required to build the request path.'));
    }
    expect(c.target(op({ path: ['/items/', { arg: 'id' }] }), { id: 0 }, undefined)).toBe('/v1/items/0');
  });

  it('text() writes template values as the engine does', () => {
    expect(text(undefined)).toBe('');
    expect(text(null)).toBe('');
    expect(text('s')).toBe('s');
    expect(text(1.5)).toBe('1.5');
    expect(text(false)).toBe('false');
    expect(text([1, 'a'])).toBe('[1,"a"]');
  });
});

describe('ApiClient.send', () => {
  it('sends headers, cookies and the JSON body, and reads the answer', async () => {
    answer = (_req, res) => res.writeHead(201, { 'content-type': 'application/json', location: '/v1/items/9' }).end('{"id":9}');
    const c = client({ credentials: () => ({ headers: { authorization: 'Bearer t' } }) });
    const r = await c.send(
      op({
        method: 'POST',
        headers: [
          { name: 'x-list', arg: 'list' },
          { name: 'x-none', arg: 'none' },
          { name: 'x-nil', arg: 'nil' },
        ],
        cookies: [
          { name: 'session', arg: 'sid' },
          { name: 'pref', arg: 'pref' },
          { name: 'gone', arg: 'nil' },
        ],
        fixedHeaders: [['X-Amz-Target', 'Svc.Op']],
        body: { kind: 'whole', arg: 'payload' },
      }),
      { list: ['a', 'b'], nil: null, sid: 'a b;c', pref: ['x', 'y z'], payload: { name: 'n' } },
    );
    expect(r).toMatchObject({ status: 201, contentType: 'application/json', text: '{"id":9}', location: '/v1/items/9' });
    expect(r.bytes).toEqual(Buffer.from('{"id":9}'));
    expect(r.wwwAuthenticate).toBeUndefined();
    const got = received[0]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/v1/items');
    expect(got.headers['x-list']).toBe('a,b');
    expect(got.headers).not.toHaveProperty('x-none');
    expect(got.headers).not.toHaveProperty('x-nil');
    expect(got.headers.cookie).toBe('session=a%20b%3Bc; pref=x,y%20z');
    expect(got.headers['x-amz-target']).toBe('Svc.Op');
    expect(got.headers.authorization).toBe('Bearer t');
    expect(got.headers.accept).toBe('application/json, */*;q=0.5');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['content-length']).toBe(String(got.body.length));
    expect(JSON.parse(got.body.toString())).toEqual({ name: 'n' });
  });

  it('fields bodies keep the given fields only; none given means no body, and POST says length 0', async () => {
    const c = client();
    const fields = op({ method: 'PUT', body: { kind: 'fields', fields: [{ name: 'a', arg: 'x' }, { name: 'b', arg: 'y' }] } });
    await c.send(fields, { x: 1, y: undefined });
    await c.send(fields, {});
    await c.send(op({ method: 'PATCH' }), {});
    await c.send(op({ method: 'POST' }), {});
    await c.send(op({ method: 'DELETE' }), {});
    expect(JSON.parse(received[0]!.body.toString())).toEqual({ a: 1 });
    expect(received.slice(1).map((r) => [r.method, r.headers['content-length'], r.headers['content-type'], r.body.length])).toEqual([
      ['PUT', '0', undefined, 0],
      ['PATCH', '0', undefined, 0],
      ['POST', '0', undefined, 0],
      ['DELETE', undefined, undefined, 0],
    ]);
  });

  it('form bodies are urlencoded (arrays repeated); an empty form sends no body', async () => {
    const c = client();
    const form = op({ method: 'POST', body: { kind: 'form', fields: [{ name: 'a', arg: 'a' }, { name: 'b', arg: 'b' }, { name: 'c', arg: 'c' }] } });
    await c.send(form, { a: 'x&y', b: [1, true], c: null });
    await c.send(form, {});
    expect(received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[0]!.body.toString()).toBe('a=x%26y&b=1&b=true');
    expect(received[1]!.headers['content-type']).toBeUndefined();
    expect(received[1]!.body.length).toBe(0);
  });

  it('templates and uploads are sent as rendered, with their content type', async () => {
    const c = client({ secrets: { KEY: 'k1' } });
    await c.send(op({ method: 'POST', body: { kind: 'template', contentType: 'application/xml', pieces: ['<a k="', { secret: 'KEY', escape: 'xml' }, '">', { arg: 'v', escape: 'xml' }, '</a>'] } }), { v: '<b>' });
    await c.send(op({ method: 'PUT', body: { kind: 'binary', arg: 'f' } }), { f: Buffer.from([1, 2, 3]).toString('base64') });
    await c.send(op({ method: 'PUT', body: { kind: 'binary', arg: 'f' } }), {});
    expect(received[0]!.headers['content-type']).toBe('application/xml');
    expect(received[0]!.body.toString()).toBe('<a k="k1">&lt;b&gt;</a>');
    expect(received[1]!.headers['content-type']).toBe('application/octet-stream');
    expect([...received[1]!.body]).toEqual([1, 2, 3]);
    expect(received[2]!.headers['content-length']).toBe('0');
  });

  it('a header value with a line break or a control character is refused before anything is sent, naming the caller’s field', async () => {
    const c = client();
    const withHeader = op({ headers: [{ name: 'x-h', arg: 'h' }] });
    await expect(c.send(withHeader, { h: 'a\r\nb' }, { h: 'trace' })).rejects.toThrow(new RequestInputError('trace', '`trace` contains a line break, which cannot be sent in an HTTP header.'));
    await expect(c.send(withHeader, { h: 'a\u0001b' })).rejects.toThrow('`h` contains the character U+0001, which cannot be sent in an HTTP header.');
    await expect(c.send(op({ cookies: [{ name: 'c', arg: 'h' }] }), { h: 'é' })).resolves.toMatchObject({ status: 200 });
    await expect(c.send(withHeader, { h: 'tab\tand é' })).resolves.toMatchObject({ status: 200 });
    const rejected = await c.send(op({ path: ['/', { arg: 'id' }] }), {}, { other: 'x' }).catch((e: unknown) => e);
    expect(rejected).toEqual(new RequestInputError('id', '`id` is required to build the request path.'));
    expect(received.length).toBe(2);
    expect(received[1]!.headers['x-h']).toBe('tab\tand é');
  });

  it('credentials computed from no arguments are computed once; from arguments, per call', async () => {
    let fixed = 0;
    let perCall = 0;
    const once = client({ credentials: () => {
        fixed += 1;
        return { headers: { 'x-key': 'k' } };
      } });
    await once.send(op(), {});
    await once.send(op(), {});
    const each = client({ credentials: (args) => {
        perCall += 1;
        return { query: [['k', String(args.who)]] };
      } });
    await each.send(op(), { who: 'a' });
    await each.send(op(), { who: 'b' });
    expect(fixed).toBe(1);
    expect(perCall).toBe(2);
    expect(received.map((r) => [r.url, r.headers['x-key']])).toEqual([
      ['/v1/items', 'k'],
      ['/v1/items', 'k'],
      ['/v1/items?k=a', undefined],
      ['/v1/items?k=b', undefined],
    ]);
    const bad = client({ credentials: () => ({ headers: { authorization: 'x\ny' } }) });
    await expect(bad.send(op(), {})).rejects.toThrow('`credentials` contains a line break');
  });

  it('hooks see the call and may change the headers and the answer', async () => {
    const seen: string[] = [];
    const c = client({
      hooks: {
        beforeUpstream(call) {
          seen.push(`${call.api} ${call.operation} ${call.method} ${call.target}`);
          call.headers['x-trace'] = 't1';
        },
        afterUpstream(response) {
          expect(response.bytes).toBeUndefined();
          return { ...response, text: '{"changed":true}' };
        },
      },
    });
    const r = await c.send(op({ name: 'list' }), {});
    expect(seen).toEqual(['api list GET /v1/items']);
    expect(received[0]!.headers['x-trace']).toBe('t1');
    expect(r.text).toBe('{"changed":true}');
    const badHook = client({ hooks: { beforeUpstream: (call) => void (call.headers['x-bad'] = 'a\nb') } });
    await expect(badHook.send(op(), {})).rejects.toThrow('`x-bad` contains a line break');
    const afterOnly = client({ hooks: { afterUpstream: () => undefined } });
    expect((await afterOnly.send(op(), {})).text).toBe('{"ok":true}');
    const beforeOnly = client({ hooks: { beforeUpstream: () => undefined } });
    expect((await beforeOnly.send(op(), {})).bytes).toEqual(Buffer.from('{"ok":true}'));
    const noHooks = client({ hooks: {} });
    expect((await noHooks.send(op(), {})).bytes).toEqual(Buffer.from('{"ok":true}'));
  });

  it('converts answers in another format, and passes binary answers through within their cap', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('a\n1\n');
    const c = client();
    const csv = await c.send(op({ format: { name: 'csv', convert: () => [{ a: '1' }] } }), {});
    expect(csv).toEqual({ status: 200, contentType: 'application/json', text: '[{"a":"1"}]' });
    const bin = await c.send(op({ binary: { mediaType: 'image/png', maxBytes: 4 } }), {});
    expect(bin).toMatchObject({ status: 200, binary: true, contentType: 'image/png', bytes: Buffer.from('a\n1\n') });
    expect((await c.send(op({ binary: {} }), {})).contentType).toBe('text/csv');
    await expect(c.send(op({ binary: { maxBytes: 3 } }), {})).rejects.toThrow(new UpstreamError('too-large', 'the binary answer is more than the 3 bytes maxBinarySize allows'));
    answer = (_req, res) => res.writeHead(200).end('xy');
    expect((await c.send(op({ binary: {} }), {})).contentType).toBe('application/octet-stream');
    answer = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('missing');
    const notFound = await c.send(op({ binary: { mediaType: 'image/png' } }), {});
    expect(notFound.binary).toBeUndefined();
    expect(notFound.contentType).toBe('text/plain');
  });

  it('a non-2xx binary answer at each edge is passed on as it is', async () => {
    const c = client();
    for (const status of [204, 299, 300]) {
      answer = (_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end();
      const r = await c.send(op({ binary: { mediaType: 'image/png' } }), {});
      expect([status, r.binary, r.contentType]).toEqual(status < 300 ? [status, true, 'image/png'] : [status, undefined, 'text/plain']);
    }
  });

  it('limits: an answer over maxResponseBytes, a slow upstream, an unreachable one, a client gone', async () => {
    answer = (_req, res) => res.writeHead(200).end('x'.repeat(100));
    await expect(client({ maxResponseBytes: 99 }).send(op(), {})).rejects.toThrow(new UpstreamError('too-large', 'the upstream response is larger than 99 bytes'));
    expect((await client({ maxResponseBytes: 100 }).send(op(), {})).text.length).toBe(100);
    answer = () => undefined;
    const slow = await client({ timeoutMs: 50 })
      .send(op(), {})
      .catch((e: unknown) => e);
    expect(slow).toEqual(new UpstreamError('timeout', 'the upstream did not answer within 50 ms'));
    expect((slow as UpstreamError).kind).toBe('timeout');
    const closed = await new Promise<string>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
    const down = await client({ baseUri: closed })
      .send(op(), {})
      .catch((e: unknown) => e);
    expect(down).toEqual(new UpstreamError('network', 'the upstream could not be reached (ECONNREFUSED)'));
    expect((down as UpstreamError).kind).toBe('network');
    answer = okJson;
    const gone = await runWith({ gone: true }, () => client().send(op(), {})).catch((e: unknown) => e);
    expect(gone).toEqual(new UpstreamError('cancelled', 'the client went away'));
    const ctx: { gone: boolean; cancels?: Set<() => void>; upstream?: number } = { gone: false };
    answer = () => {
      for (const cancel of ctx.cancels ?? []) cancel();
    };
    const cancelled = await runWith(ctx, () => client().send(op(), {})).catch((e: unknown) => e);
    expect(cancelled).toEqual(new UpstreamError('cancelled', 'the client went away'));
    expect(ctx.cancels?.size).toBe(0);
    answer = (_req, res) => res.writeHead(202).end();
    const ok = { gone: false } as { gone: boolean; cancels?: Set<() => void>; upstream?: number };
    await runWith(ok, () => client().send(op(), {}));
    expect(ok.upstream).toBe(202);
    expect(ok.cancels?.size).toBe(0);
  });

  it('upstream auth: headers before, one retry after a 401 with its challenge', async () => {
    const calls: unknown[] = [];
    let n = 0;
    answer = (req, res) => {
      n += 1;
      if (req.headers.authorization === 'second') res.writeHead(200).end('ok');
      else res.writeHead(401, { 'www-authenticate': 'Test realm="r"' }).end('no');
    };
    const c = client({
      auth: {
        before: (method, target) => {
          calls.push(['before', method, target]);
          return { authorization: 'first' };
        },
        retry: (method, target, challenge) => {
          calls.push(['retry', method, target, challenge]);
          return { authorization: 'second' };
        },
      },
    });
    const r = await c.send(op({ method: 'DELETE' }), {});
    expect(r.text).toBe('ok');
    expect(n).toBe(2);
    expect(calls).toEqual([
      ['before', 'DELETE', '/v1/items'],
      ['retry', 'DELETE', '/v1/items', 'Test realm="r"'],
    ]);
    const giveUp = client({ auth: { before: () => ({}), retry: () => undefined } });
    const refused = await giveUp.send(op(), {});
    expect(refused).toMatchObject({ status: 401, text: 'no', wwwAuthenticate: 'Test realm="r"' });
    const noRetry = client({ auth: { before: () => ({ authorization: 'first' }) } });
    expect((await noRetry.send(op(), {})).status).toBe(401);
    answer = (_req, res) => res.writeHead(403, { 'www-authenticate': 'x' }).end();
    let retried = false;
    const forbidden = await client({ auth: { before: () => ({}), retry: () => {
      retried = true;
      return {};
    } } }).send(op(), {});
    expect([forbidden.status, forbidden.wwwAuthenticate, retried]).toEqual([403, undefined, false]);
    await expect(client({ auth: { before: () => ({ authorization: 'a\rb' }) } }).send(op(), {})).rejects.toThrow('`credentials` contains a line break');
    answer = (_req, res) => res.writeHead(401).end();
    await expect(client({ auth: { before: () => ({}), retry: () => ({ authorization: 'a\nb' }) } }).send(op(), {})).rejects.toThrow('`credentials` contains a line break');
  });
});

describe('Digest authentication', () => {
  const md5 = async (text: string) => (await import('node:crypto')).createHash('md5').update(text).digest('hex');

  function fields(header: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of header.replace(/^Digest /, '').matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) out[m[1]!] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    return out;
  }

  it('answers a qop=auth challenge as RFC 7616 says, counting nonces', async () => {
    const auth = new DigestAuth(() => ({ username: 'Mu"fasa', password: 'Circle Of Life' }));
    expect(auth.before('GET', '/dir')).toEqual({});
    const first = auth.retry('GET', '/dir', 'Basic realm="x", Digest realm="test\\"realm", qop="auth-int, auth", nonce="n1", opaque="op"')!;
    const f = fields(first.authorization!);
    expect(first.authorization!.startsWith('Digest ')).toBe(true);
    expect(f).toMatchObject({ username: 'Mu"fasa', realm: 'test"realm', nonce: 'n1', uri: '/dir', algorithm: 'MD5', opaque: 'op', qop: 'auth', nc: '00000001' });
    const ha1 = await md5('Mu"fasa:test"realm:Circle Of Life');
    const ha2 = await md5('GET:/dir');
    expect(f.response).toBe(await md5(`${ha1}:n1:00000001:${f.cnonce}:auth:${ha2}`));
    const second = fields(auth.before('POST', '/x').authorization!);
    expect(second.nc).toBe('00000002');
    expect(second.cnonce).not.toBe(f.cnonce);
    expect(second.response).toBe(await md5(`${ha1}:n1:00000002:${second.cnonce}:auth:${await md5('POST:/x')}`));
  });

  it('without qop, and with SHA-256 and -sess variants', async () => {
    const { createHash } = await import('node:crypto');
    const h = (alg: string, t: string) => createHash(alg).update(t).digest('hex');
    const auth = new DigestAuth(() => ({ username: 'u', password: 'p' }));
    const plain = fields(auth.retry('GET', '/a', 'digest realm=r, nonce=n')!.authorization!);
    expect(plain).not.toHaveProperty('qop');
    expect(plain).not.toHaveProperty('nc');
    expect(plain).not.toHaveProperty('opaque');
    expect(plain.response).toBe(h('md5', `${h('md5', 'u:r:p')}:n:${h('md5', 'GET:/a')}`));
    const sha = fields(auth.retry('GET', '/a', 'Digest realm="r", nonce="n", algorithm=sha-256-sess, qop=auth')!.authorization!);
    expect(sha.algorithm).toBe('SHA-256-SESS');
    const ha1 = h('sha256', `${h('sha256', 'u:r:p')}:n:${sha.cnonce}`);
    expect(sha.response).toBe(h('sha256', `${ha1}:n:${sha.nc}:${sha.cnonce}:auth:${h('sha256', 'GET:/a')}`));
    expect(fields(auth.retry('GET', '/a', 'Digest realm="r", nonce="n", algorithm=SHA-512-256')!.authorization!).algorithm).toBe('SHA-512-256');
  });

  it('gives up on a challenge it cannot answer', () => {
    const auth = new DigestAuth(() => ({ username: 'u', password: 'p' }));
    expect(auth.retry('GET', '/', undefined)).toBeUndefined();
    expect(auth.retry('GET', '/', 'Basic realm="r"')).toBeUndefined();
    expect(auth.retry('GET', '/', 'Digest realm="r"')).toBeUndefined();
    expect(auth.retry('GET', '/', 'Digest nonce="n"')).toBeUndefined();
    expect(auth.retry('GET', '/', 'Digest realm="r", nonce="n", algorithm=SHA-1')).toBeUndefined();
    expect(auth.retry('GET', '/', 'XDigest realm="r", nonce="n"')).toBeUndefined();
    expect(auth.before('GET', '/')).toEqual({});
  });
});

describe('forward resources', () => {
  it('passes the trusted headers, the API’s own, the body and the answer', async () => {
    answer = (_req, res) => res.writeHead(207, { 'content-type': 'text/plain' }).end('fwd');
    const c = client({ credentials: () => ({ headers: { authorization: 'Bearer up' }, query: [['key', 'v&1']] }) });
    const forward = forwardTo(c, ['X-Trace', 'X-Multi'], { 'X-Fixed': 'api' });
    const result = await forward({
      method: 'PATCH',
      segments: ['a b', '..', 'c/d'],
      headers: { 'x-trace': 't', 'x-multi': ['1', '2'], 'x-fixed': 'caller', cookie: 'secret', 'content-type': 'text/plain' },
      body: Buffer.from('payload'),
    } as never);
    expect(result).toEqual({ status: 207, raw: Buffer.from('fwd'), contentType: 'text/plain' });
    const got = received[0]!;
    expect(got.url).toBe('/v1/a%20b/%2E%2E/c%2Fd?key=v%261');
    expect(got.headers).toMatchObject({ 'x-trace': 't', 'x-multi': '1, 2', 'x-fixed': 'api', authorization: 'Bearer up', 'content-type': 'text/plain', 'content-length': '7' });
    expect(got.headers).not.toHaveProperty('cookie');
    expect(got.body.toString()).toBe('payload');
  });

  it('drops the content type of an empty body; an empty answer has only a status', async () => {
    answer = (_req, res) => res.writeHead(204).end();
    const forward = forwardTo(client(), []);
    expect(await forward({ method: 'GET', segments: [], headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(0) } as never)).toEqual({ status: 204 });
    expect(await forward({ method: 'GET', segments: ['x'], headers: { 'content-type': 'text/plain' } } as never)).toEqual({ status: 204 });
    expect(received.map((r) => [r.url, r.headers['content-type'], r.headers['content-length']])).toEqual([
      ['/v1/', undefined, undefined],
      ['/v1/x', undefined, undefined],
    ]);
    await expect(forward({ method: 'GET', segments: [], headers: { 'content-type': 'a\nb' }, body: Buffer.from('x') } as never)).rejects.toThrow('`content-type` contains a line break');
  });

  it('uses the API’s upstream auth', async () => {
    answer = (req, res) => res.writeHead(req.headers.authorization === 'two' ? 200 : 401).end(req.headers.authorization ?? '');
    const forward = forwardTo(client({ auth: { before: () => ({ authorization: 'one' }), retry: () => ({ authorization: 'two' }) } }), []);
    expect(await forward({ method: 'GET', segments: [], headers: {} } as never)).toEqual({ status: 200, raw: Buffer.from('two'), contentType: undefined });
  });
});
