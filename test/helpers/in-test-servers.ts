/**
 * For a test file whose tests each build their own servers (so that mutation testing measures the code that
 * runs when a server is built): stderr captured as the log, and the servers a test kept closed after it.
 */
import type http from 'node:http';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';

export function inTestServers(): { log: () => string; keep: (server: http.Server) => void } {
  let stderr = '';
  let open: http.Server[] = [];
  beforeAll(() => {
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  afterEach(async () => {
    for (const s of open) s.closeAllConnections();
    await Promise.all(open.map((s) => new Promise((resolve) => s.close(resolve))));
    open = [];
  });
  return { log: () => stderr, keep: (server) => void open.push(server) };
}
