import { mcpAdapters } from '../../model/raw.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * Names the MCP SDK refuses twice (it throws when the server is built, so every request would fail):
 * a tool name inherited through `ref` that another tool has, and two resources with one URI or name,
 * or two prompts with one name.
 */
export const mcpNames: CrossCheck = {
  rules: ['tool-name-duplicate', 'resource-duplicate', 'prompt-duplicate'],
  check(doc) {
    const out: Note[] = [];
    for (const { entry: mcp, path } of mcpAdapters(doc)) {
      const seen = new Map<string, number>();
      mcp.tools.forEach((tool, ti) => {
        // A ref without a name takes the function's: `ref: berth.welcome` is the tool `welcome`.
        const inherited = typeof tool.name !== 'string' && typeof tool.ref === 'string';
        const name = inherited ? tool.ref!.slice(tool.ref!.indexOf('.') + 1) : tool.name;
        if (typeof name !== 'string') return;
        const first = seen.get(name);
        // Two declared names are the tool-names rule's to report.
        const declaredBoth = !inherited && first !== undefined && typeof mcp.tools[first]!.name === 'string';
        if (first !== undefined && !declaredBoth) {
          out.push({
            rule: 'tool-name-duplicate',
            severity: 'error',
            path: [...path, 'tools', ti, inherited ? 'ref' : 'name'],
            message: `This tool is named \`${name}\`${inherited ? ' (taken from its ref)' : ''}, like tool #${first + 1} of this MCP adapter; clients could call only one of them.`,
            hint: 'Give the tool its own `name`.',
          });
        } else if (first === undefined) seen.set(name, ti);
      });
      const duplicates = (list: unknown[] | undefined, key: 'uri' | 'name', kind: 'resources' | 'prompts', rule: string): void => {
        const at = new Map<string, number>();
        (list as Array<Record<string, unknown>> | undefined)?.forEach((item, i) => {
          const value = item[key];
          if (typeof value !== 'string') return;
          const first = at.get(value);
          if (first === undefined) at.set(value, i);
          else {
            out.push({
              rule,
              severity: 'error',
              path: [...path, kind, i, key],
              message: `\`${value}\` is already the ${key} of ${kind === 'resources' ? 'resource' : 'prompt'} #${first + 1} of this MCP adapter; the MCP server cannot offer both.`,
              hint: `Give each of the adapter's ${kind} a distinct ${key}.`,
            });
          }
        });
      };
      duplicates(mcp.resources, 'uri', 'resources', 'resource-duplicate');
      duplicates(mcp.resources, 'name', 'resources', 'resource-duplicate');
      duplicates(mcp.prompts, 'name', 'prompts', 'prompt-duplicate');
    }
    return out;
  },
};
