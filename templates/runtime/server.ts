/** Starting and stopping the generated servers. Logs go to stderr: stdout belongs to MCP over stdio. */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  label: string;
  server: http.Server;
  close?: () => Promise<void>;
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function listen(label: string, server: http.Server, port: number, host: string, close?: () => Promise<void>): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`${label} cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message}`)),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      log(`${label} listening on http://${shown}:${address.port}`);
      resolve({ label, server, ...(close ? { close } : {}) });
    });
  });
}

/** Stops every server on SIGINT or SIGTERM, then lets the process end. */
export function stopOnSignals(running: readonly Listening[], cleanup: () => void): void {
  const stop = (): void => {
    Promise.all(
      running.map(async (r) => {
        await r.close?.();
        r.server.closeAllConnections();
        await new Promise<void>((resolve) => r.server.close(() => resolve()));
      }),
    ).finally(() => {
      cleanup();
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
