import { mcpAdapters } from '../../model/raw.js';
import { MAX_TOOL_NAME, wireToolNames } from '../../names/tool-names.js';
import type { Note } from '../finding.js';
import type { CrossCheck } from './rule.js';

/**
 * Tool names: exact duplicates are an error (a client could call only one); names MCP clients would
 * refuse (over 64 characters, or characters outside `[A-Za-z0-9_-]`) are shortened, with a warning
 * that gives the name clients will see.
 */
export const toolNames: CrossCheck = {
  rules: ['tool-name-shortened', 'tool-name-duplicate'],
  check(doc) {
    const out: Note[] = [];
    for (const { entry, path } of mcpAdapters(doc)) {
      const tools = entry.tools.filter((t) => typeof t.name === 'string');
      const wire = wireToolNames(tools.map((t) => t.name));
      const seen = new Map<string, number>();
      entry.tools.forEach((tool, ti) => {
        if (typeof tool.name !== 'string') return;
        const at = [...path, 'tools', ti, 'name'];
        const exposed = wire[tools.indexOf(tool)]!;
        if (exposed !== tool.name) {
          out.push({
            rule: 'tool-name-shortened',
            severity: 'warning',
            path: at,
            message: `MCP clients accept tool names of at most ${MAX_TOOL_NAME} characters from letters, digits, \`_\` and \`-\`; this tool is exposed as \`${exposed}\`.`,
            hint: 'Give the tool a shorter name to choose the exposed name yourself.',
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
