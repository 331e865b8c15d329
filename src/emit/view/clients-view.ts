/**
 * How MCP clients start or reach the generated server: the exact configuration of Claude Desktop,
 * VS Code, Cursor and the MCP inspector's CLI, with this project's names, ports and secrets. The JSON
 * snippets are serialised, so JSON's escaping applies to every name from the capability.
 */
import type { CapabilityModel } from '../../model/types.js';
import type { ProjectNames } from './naming.js';

/** Where the snippets say the project lives; users replace it with the absolute path. */
export const PROJECT_PATH = '/absolute/path/to';

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Shell-quotes a word when it needs it, for copy-paste commands. */
function sh(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function clientsView(model: CapabilityModel, names: ProjectNames) {
  const secrets = [...new Set(model.secrets.filter((s) => !s.location).map((s) => s.source))];
  const first = names.mcp[0];
  const http = names.mcp.find((m) => m.adapter.transport === 'http');
  const server = first?.adapter.namespace ?? names.packageName;
  const stdioJs = `${PROJECT_PATH}/${names.packageName}/dist/stdio.js`;
  const stdioArgs = [stdioJs, ...(names.mcp.length > 1 ? [server] : [])];
  const env = Object.fromEntries(secrets.map((s) => [s, `<your ${s}>`]));
  const url = http ? `http://127.0.0.1:${http.port}/mcp` : undefined;
  const inputId = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    exportSecrets: secrets.map((s) => `export ${sh(s)}=...`),
    hasHttpMcp: url !== undefined,
    mcpUrl: url ?? '',
    claudeDesktop: json({ mcpServers: { [server]: { command: 'node', args: stdioArgs, env } } }),
    vscode: json({
      ...(secrets.length ? { inputs: secrets.map((s) => ({ type: 'promptString', id: inputId(s), description: s, password: true })) } : {}),
      servers: {
        ...(url ? { [`${server}-http`]: { type: 'http', url } } : {}),
        [server]: {
          type: 'stdio',
          command: 'node',
          args: [`\${workspaceFolder}/dist/stdio.js`, ...stdioArgs.slice(1)],
          env: Object.fromEntries(secrets.map((s) => [s, `\${input:${inputId(s)}}`])),
        },
      },
    }),
    cursor: json({ mcpServers: { ...(url ? { [`${server}-http`]: { url } } : {}), [server]: { command: 'node', args: stdioArgs, env } } }),
    inspectorStdio: ['npx', '@modelcontextprotocol/inspector', '--cli', ...secrets.flatMap((s) => ['-e', `${s}=$${s}`]), 'node', 'dist/stdio.js', ...stdioArgs.slice(1), '--method', 'tools/list']
      .map((w) => (w.includes('$') ? `"${w}"` : sh(w)))
      .join(' '),
    inspectorHttp: url ? `npx @modelcontextprotocol/inspector --cli ${url} --transport http --method tools/list` : '',
  };
}
