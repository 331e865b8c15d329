/**
 * End-to-end helpers: generate a project from a capability into a fresh folder under
 * `.test-output/` (inside the repository, so that its imports resolve against our node_modules),
 * type-check and compile it with tsc, and start or stop its servers as child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { runCli } from './cli.js';
import { REPO } from './shared.js';

export const TEST_OUTPUT = join(REPO, '.test-output');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

export interface GeneratedProject {
  readonly dir: string;
  /** What `naftiko-gen build` printed. */
  readonly buildOutput: string;
  /** Removes the folder (kept when NAFTIKO_KEEP_TEST_OUTPUT is set, to look at it). */
  remove(): void;
}

function uniqueDir(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9-]+/g, '-');
  return join(TEST_OUTPUT, `${safe}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
}

/**
 * Generates the project for a capability file (`spec`) or YAML text (`yaml`) with the CLI's
 * in-process entry, then compiles it with tsc. Fails with the diagnostics when tsc prints any.
 */
export async function buildProject(name: string, source: { spec: string } | { yaml: string }): Promise<GeneratedProject> {
  const dir = uniqueDir(name);
  mkdirSync(TEST_OUTPUT, { recursive: true });
  mkdirSync(dir, { recursive: true });
  let spec: string;
  if ('spec' in source) spec = source.spec;
  else {
    spec = join(dir, `${name}.yaml`);
    writeFileSync(spec, source.yaml, 'utf8');
  }
  const out = join(dir, 'project');
  const remove = (): void => {
    if (!process.env.NAFTIKO_KEEP_TEST_OUTPUT) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const built = await runCli('build', spec, '--out', out);
    if (built.code !== 0) throw new Error(`naftiko-gen build failed (exit ${built.code}):\n${built.stdout}\n${built.stderr}`);
    const tsc = await run(process.execPath, [TSC, '-p', out], REPO, 120_000);
    const diagnostics = (tsc.stdout + tsc.stderr).trim();
    if (tsc.code !== 0 || diagnostics !== '') throw new Error(`tsc reported on the generated project ${out} (exit ${tsc.code}):\n${diagnostics}`);
    return { dir: out, buildOutput: built.stdout, remove };
  } catch (err) {
    process.stderr.write(`[e2e] the failed build is kept in ${dir} for inspection\n`);
    throw err;
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      live.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Every child started here and not yet ended: `stopAll` ends them (for afterAll). */
const live = new Set<ChildProcess>();

/** An environment with nothing from ours but PATH, so that no variable leaks into the server. */
export function cleanEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

/** The seed's environment: its secret, its consumed API at `baseUri`, both adapters on 127.0.0.1 at random ports. */
export function seedEnv(baseUri: string | undefined, apiKey: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    QOVERY_API_KEY: apiKey,
    QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: baseUri,
    QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
    QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
    QOVERY_ORGANIZATION_API_TOKEN_REST_HOST: '127.0.0.1',
    QOVERY_ORGANIZATION_API_TOKEN_MCP_HOST: '127.0.0.1',
    ...extra,
  });
}

/** `<NAMESPACE>` of the documented environment variables: upper case, every non-alphanumeric as `_`. */
export function envPrefix(namespace: string): string {
  return namespace.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export interface Adapter {
  /** The label printed before " listening on". */
  label: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
}

export interface RunningServer {
  readonly child: ChildProcess;
  readonly adapters: Adapter[];
  /** Base URL of the first REST adapter. */
  restUrl(): string;
  /** Base URL of the first MCP adapter (without `/mcp`). */
  mcpUrl(): string;
  stderr(): string;
  stop(): Promise<void>;
}

const LISTENING = /^(.*) listening on (http:\/\/\S+?):(\d+)\s*$/;

/**
 * Starts `node <dir>/dist/main.js` with exactly `env`, and resolves once `expected` adapters printed
 * their "listening on" line. Rejects (with stderr) when the process ends first or takes too long.
 */
export function startServer(project: GeneratedProject, env: NodeJS.ProcessEnv, expected: number, timeoutMs = 20_000): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(project.dir, 'dist/main.js')], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  let stdout = '';
  const adapters: Adapter[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exit;
    clearTimeout(t);
  };
  const server: RunningServer = {
    child,
    adapters,
    restUrl: () => pick('REST'),
    mcpUrl: () => pick('MCP'),
    stderr: () => stderr,
    stop,
  };
  function pick(kind: string): string {
    const a = adapters.find((x) => x.label.startsWith(`${kind} adapter`));
    if (!a) throw new Error(`no ${kind} adapter is listening; stderr:\n${stderr}`);
    return a.url;
  }
  return new Promise<RunningServer>((resolve, reject) => {
    let pending = '';
    let done = false;
    const fail = (why: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`the server did not print ${expected} "listening on" lines within ${timeoutMs} ms`), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      pending += d;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = LISTENING.exec(line);
        if (m) adapters.push({ label: m[1]!, url: `${m[2]!}:${m[3]!}` });
      }
      if (!done && adapters.length >= expected) {
        done = true;
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.on('exit', (code, signal) => fail(`the server exited (code ${code}, signal ${signal}) before listening`));
    child.on('error', (err) => fail(`the server could not be started: ${err.message}`));
  });
}

/** Runs `node <dir>/<script>` with `env` until it ends on its own (for start-up failures). */
export function runToExit(project: GeneratedProject, script: string, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<RunResult> {
  return run(process.execPath, [join(project.dir, script)], project.dir, timeoutMs, env);
}

/** Ends every child process these helpers started and that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  live.clear();
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (fails the test when it is not JSON). */
  json(): any;
}

/**
 * One HTTP request with node:http, the path sent exactly as given (no URL normalisation, so `..`
 * and percent-encodings reach the server as written), on a fresh connection.
 */
export function request(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => {
            try {
              return JSON.parse(text) as unknown;
            } catch {
              throw new Error(`expected a JSON body, got (${res.headers['content-type']}): ${text}`);
            }
          },
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends raw bytes on a TCP connection and returns what came back until the server closed it (or `waitMs`). */
export function rawExchange(base: string, bytes: string, waitMs = 2_000): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => socket.write(bytes, 'latin1'));
    const t = setTimeout(() => socket.destroy(), waitMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (out += d));
    socket.on('close', () => {
      clearTimeout(t);
      resolve(out);
    });
    socket.on('error', (err) => {
      clearTimeout(t);
      if (out) resolve(out);
      else reject(err);
    });
  });
}

/** An MCP client connected over Streamable HTTP to `url` (e.g. `<mcp base>/mcp`). */
export async function connectMcpHttp(url: string): Promise<Client> {
  const client = new Client({ name: 'naftiko-gen-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** An MCP client over stdio, running `node <dir>/dist/stdio.js` with exactly `env`; stderr is collected. */
export async function connectMcpStdio(project: GeneratedProject, env: NodeJS.ProcessEnv): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(project.dir, 'dist/stdio.js')],
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    cwd: project.dir,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'naftiko-gen-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
