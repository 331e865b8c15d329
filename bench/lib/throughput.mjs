// Throughput helpers: starting the servers (each in its own process) and running the load generator
// (its own process too), all on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { start, stop, waitForListening } from './procs.mjs';

const BENCH = fileURLToPath(new URL('../', import.meta.url));

export async function startUpstream() {
  const entry = start(process.execPath, [`${BENCH}upstream.mjs`, '0']);
  const [port] = await waitForListening(entry, [/upstream listening on http:\/\/127\.0\.0\.1:(\d+)/]);
  return { entry, origin: `http://127.0.0.1:${port}` };
}

export async function startBaseline(upstreamOrigin, { nodeFlags = [] } = {}) {
  const entry = start(process.execPath, [...nodeFlags, `${BENCH}baseline-proxy.mjs`, upstreamOrigin, '0']);
  const [port] = await waitForListening(entry, [/baseline proxy listening on http:\/\/127\.0\.0\.1:(\d+)/]);
  return { entry, origin: `http://127.0.0.1:${port}` };
}

/** The compiled generated seed project: REST and MCP adapters in one process. */
export async function startGenerated(projectDir, upstreamOrigin, { nodeFlags = [] } = {}) {
  const env = {
    ...process.env,
    QOVERY_API_KEY: 'bench-secret-key',
    QOVERY_ORGANIZATION_API_TOKEN_BASE_URI: upstreamOrigin,
    QOVERY_ORGANIZATION_API_TOKEN_REST_PORT: '0',
    QOVERY_ORGANIZATION_API_TOKEN_REST_HOST: '127.0.0.1',
    QOVERY_ORGANIZATION_API_TOKEN_MCP_PORT: '0',
    QOVERY_ORGANIZATION_API_TOKEN_MCP_HOST: '127.0.0.1',
  };
  const entry = start(process.execPath, [...nodeFlags, `${projectDir}/dist/main.js`], { env, cwd: projectDir });
  const [rest, mcp] = await waitForListening(entry, [/REST adapter \S+ listening on http:\/\/\S+:(\d+)/, /MCP adapter .* listening on http:\/\/\S+:(\d+)/]);
  return { entry, rest: `http://127.0.0.1:${rest}`, mcp: `http://127.0.0.1:${mcp}` };
}

export { stop };

let clockTicks;
function ticks() {
  if (clockTicks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(r.stdout?.trim()) || 100;
  }
  return clockTicks;
}

/** One load-generator process against one target; resolves with its JSON report. */
export async function load(config) {
  const entry = start(process.execPath, [`${BENCH}loadgen.mjs`, JSON.stringify({ clockTicks: ticks(), ...config })]);
  const limit = config.warmupMs + config.durationMs + 30_000;
  const timer = setTimeout(() => stop(entry, 1000), limit);
  await entry.done;
  clearTimeout(timer);
  if (entry.code !== 0) throw new Error(`load generator failed (exit ${entry.code ?? entry.signal}):\n${entry.stderr}`);
  return JSON.parse(entry.stdout.trim().split('\n').pop());
}

/** One stdio load-generator process (it spawns the server itself); resolves with its JSON report. */
export async function loadStdio(config) {
  const entry = start(process.execPath, [`${BENCH}stdio-load.mjs`, JSON.stringify({ clockTicks: ticks(), ...config })]);
  const limit = config.warmupMs + config.durationMs + 60_000;
  const timer = setTimeout(() => stop(entry, 1000), limit);
  await entry.done;
  clearTimeout(timer);
  if (entry.code !== 0) throw new Error(`stdio load generator failed (exit ${entry.code ?? entry.signal}):\n${entry.stderr}`);
  return JSON.parse(entry.stdout.trim().split('\n').pop());
}

/** Reads the MCP reply: plain JSON or the first SSE event's data. */
export function parseMcpReply(text) {
  if (text.trimStart().startsWith('{')) return JSON.parse(text);
  const data = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    else if (line.trim() === '' && data.length > 0) break;
  }
  return JSON.parse(data.join('\n'));
}

/** The seed's requests both benches send: one REST operation and one MCP tools/call. */
export const REST_PATH = '/v1/organization/ORG/apitoken?name=x';
export const MCP_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'list-organization-api-tokens', arguments: { organizationId: 'ORG', name: 'x' } },
});
export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
