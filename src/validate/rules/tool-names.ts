import { allExposes, type RawExposesMcp } from '../../model/raw.js';
import type { CrossCheck, RuleFinding } from './rule.js';

/** MCP clients accept tool names of at most 64 characters from `[A-Za-z0-9_-]`, unique per server. */
export const MAX_TOOL_NAME = 64;

export const toolNames: CrossCheck = {
  rules: ['tool-name-too-long', 'tool-name-duplicate'],
  check(doc) {
    const out: RuleFinding[] = [];
    for (const { entry, path } of allExposes(doc)) {
      if (entry.type !== 'mcp') continue;
      const seen = new Map<string, number>();
      (entry as RawExposesMcp).tools.forEach((tool, ti) => {
        if (typeof tool.name !== 'string') return;
        const at = [...path, 'tools', ti, 'name'];
        if (tool.name.length > MAX_TOOL_NAME) {
          out.push({
            rule: 'tool-name-too-long',
            severity: 'error',
            path: at,
            message: `The tool name \`${tool.name}\` has ${tool.name.length} characters; MCP clients accept at most ${MAX_TOOL_NAME}.`,
            hint: `Shorten it, e.g. to \`${tool.name.slice(0, MAX_TOOL_NAME)}\`.`,
          });
        }
        const first = seen.get(tool.name);
        if (first !== undefined) {
          out.push({
            rule: 'tool-name-duplicate',
            severity: 'error',
            path: at,
            message: `The tool name \`${tool.name}\` is already used by tool #${first + 1} of this MCP adapter; clients could call only one of them.`,
            hint: 'Give each tool a distinct name.',
          });
        } else seen.set(tool.name, ti);
      });
    }
    return out;
  },
};
