/**
 * MCP over stdin/stdout, one JSON-RPC message per line. Around the SDK's transport: a line longer
 * than the limit is answered with a JSON-RPC error and logged (the rest of the stream is served),
 * and at the end of the input the requests still in flight are answered before the server stops.
 */
import { Transform, Writable, type TransformCallback } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { refusedToolCalls, toolCallRefusal } from './mcp.js';

export interface StdioOptions {
  /** Longest message line, in bytes. */
  maxLineBytes?: number;
  /** Time that requests in flight get to finish after the input ends. */
  graceMs?: number;
  /** Called once the input has ended and the requests in flight are answered. */
  onEnd?: () => void;
}

/** The id of a message, as a key, when it is a request (`method`) or a response (`result`/`error`). */
function idOf(line: string, kind: 'request' | 'response'): string | undefined {
  try {
    const m = JSON.parse(line) as { id?: unknown; method?: unknown };
    if (m === null || typeof m !== 'object' || m.id === undefined || m.id === null) return undefined;
    const isRequest = typeof m.method === 'string';
    return isRequest === (kind === 'request') ? JSON.stringify(m.id) : undefined;
  } catch {
    return undefined;
  }
}

function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export function runMcpStdio(build: () => McpServer, options: StdioOptions = {}): void {
  const maxLine = options.maxLineBytes ?? 4 * 1024 * 1024;
  const graceMs = options.graceMs ?? 10_000;
  const refused = refusedToolCalls(build);
  const pending = new Set<string>();
  let waiting: (() => void) | undefined;

  // What the server writes: passed to stdout, and each response crosses its request off.
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        const id = line === '' ? undefined : idOf(line, 'response');
        if (id !== undefined) pending.delete(id);
      }
      if (pending.size === 0) waiting?.();
      process.stdout.write(chunk, callback);
    },
  });

  const refuse = (size: number): void => {
    process.stderr.write(`MCP stdio: refused a message of ${size} bytes or more (the limit is ${maxLine})\n`);
    const error = { jsonrpc: '2.0', id: null, error: { code: -32600, message: `The message is larger than ${maxLine} bytes.` } };
    output.write(JSON.stringify(error) + '\n');
  };

  // What the client sends: whole lines within the limit go on to the SDK.
  let partial: Buffer[] = [];
  let partialSize = 0;
  let skipping = false;
  const input = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        start = nl + 1;
        if (skipping) {
          skipping = false;
          continue;
        }
        if (partialSize + piece.length > maxLine) {
          refuse(partialSize + piece.length);
          partial = [];
          partialSize = 0;
          continue;
        }
        const line = Buffer.concat([...partial, piece]);
        partial = [];
        partialSize = 0;
        const refusal = refused ? toolCallRefusal(parsed(line.toString('utf8')), refused) : undefined;
        if (refusal !== undefined) {
          output.write(JSON.stringify(refusal) + '\n');
          continue;
        }
        const id = idOf(line.toString('utf8'), 'request');
        if (id !== undefined) pending.add(id);
        this.push(Buffer.concat([line, Buffer.from('\n')]));
      }
      const rest = chunk.subarray(start);
      if (!skipping && partialSize + rest.length > maxLine) {
        // Too long already: say so now, and drop everything up to the next line break.
        refuse(partialSize + rest.length);
        partial = [];
        partialSize = 0;
        skipping = true;
      } else if (!skipping && rest.length > 0) {
        partial.push(rest);
        partialSize += rest.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      // End of input: answer what is in flight (within the grace period), then end.
      const finish = (): void => {
        callback();
        setImmediate(() => options.onEnd?.());
      };
      if (pending.size === 0) return finish();
      const timer = setTimeout(finish, graceMs);
      waiting = () => {
        clearTimeout(timer);
        waiting = undefined;
        finish();
      };
    },
  });
  process.stdin.pipe(input);
  const transport = new StdioServerTransport(input, output, { maxBufferSize: maxLine + 1024 });
  serveStdio(build, { transport });
}
