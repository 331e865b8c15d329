/**
 * A fake upstream HTTP API for end-to-end tests: node:http on 127.0.0.1, a random port. It records
 * every request exactly as received (method, raw `req.url`, headers, body text) and answers with a
 * programmable reply per request; by default a 200 JSON echo of what it received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received on the request line (`req.url`). */
  url: string;
  /** The path part of `url`, still percent-encoded. */
  path: string;
  /** The raw query string after `?` (without it), '' when none. */
  query: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes exactly as received (binary uploads). */
  bytes: Buffer;
  /** Set when the caller closed the connection before the answer was sent (a cancelled call). */
  aborted?: boolean;
}

export interface Reply {
  status?: number;
  /** A string or a Buffer is sent as is; anything else as JSON. Omitted: the JSON echo of the request. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to provoke timeouts). */
  delayMs?: number;
  /** With delayMs: send the status line, headers and half of the body at once, and the rest after the delay. */
  headersFirst?: boolean;
}

export type Responder = (req: RecordedRequest) => Reply | undefined;

export interface FakeUpstream {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Answers every following request with this reply (or the responder's result). */
  reply(reply: Reply | Responder): void;
  /** Answers only the next request with this reply, then goes back to the default. */
  replyOnce(reply: Reply | Responder): void;
  /** Forgets the recorded requests and every programmed reply. */
  reset(): void;
  /** The last recorded request; fails when there is none. */
  last(): RecordedRequest;
  stop(): Promise<void>;
}

export function echoOf(r: RecordedRequest): Record<string, unknown> {
  return { method: r.method, url: r.url, headers: r.headers, body: r.body };
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  let standing: Reply | Responder | undefined;
  const once: Array<Reply | Responder> = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      const q = url.indexOf('?');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url,
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        bytes: Buffer.concat(chunks),
      };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) recorded.aborted = true;
      });
      const programmed = once.shift() ?? standing;
      const reply: Reply = (typeof programmed === 'function' ? programmed(recorded) : programmed) ?? {};
      const status = reply.status ?? 200;
      const bodyValue = reply.body === undefined ? echoOf(recorded) : reply.body;
      const payload = Buffer.isBuffer(bodyValue) ? bodyValue : Buffer.from(typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue), 'utf8');
      const contentType = reply.contentType ?? (Buffer.isBuffer(bodyValue) ? 'application/octet-stream' : typeof bodyValue === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
      const head = (): void => {
        res.writeHead(status, { 'content-type': contentType, 'content-length': payload.length, ...reply.headers });
      };
      let sent = 0;
      if (reply.headersFirst) {
        head();
        sent = Math.floor(payload.length / 2);
        res.write(payload.subarray(0, sent));
      }
      const answer = (): void => {
        if (res.destroyed) return;
        if (!res.headersSent) head();
        res.end(payload.subarray(sent));
      };
      if (reply.delayMs && reply.delayMs > 0) {
        const t = setTimeout(() => {
          pendingTimers.delete(t);
          answer();
        }, reply.delayMs);
        pendingTimers.add(t);
      } else answer();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply(r) {
      standing = r;
    },
    replyOnce(r) {
      once.push(r);
    },
    reset() {
      requests.length = 0;
      standing = undefined;
      once.length = 0;
    },
    last() {
      const r = requests[requests.length - 1];
      if (!r) throw new Error('the fake upstream received no request');
      return r;
    },
    async stop() {
      for (const t of pendingTimers) clearTimeout(t);
      pendingTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, read, then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
