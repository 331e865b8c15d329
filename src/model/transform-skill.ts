/**
 * The skill adapter (`type: skill`): a read-only catalog of skills (Agent Skills frontmatter and the
 * tools they group). Skill files are read at build time from the skill's `location` (a folder, resolved
 * relative to the capability file: `file:///./skills/x` is `./skills/x`) and embedded in the generated
 * server, so what it serves is fixed by the build and the same on every machine.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { closest } from '../validate/rules/suggest.js';
import type { SecretScope } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import type { RawAuthentication, RawExposes } from './raw.js';
import { transformInboundAuth } from './transform-inbound-auth.js';
import type { Skill, SkillAdapter, SkillToolEntry } from './types.js';

interface RawSkillTool {
  name: string;
  description: string;
  from?: { sourceNamespace: string; action: string };
  instruction?: string;
}

interface RawSkill {
  name: string;
  description: string;
  location?: string;
  tools?: RawSkillTool[];
  [frontmatter: string]: unknown;
}

export interface RawExposesSkill {
  type: 'skill';
  namespace: string;
  port: number;
  address?: string;
  description?: string;
  authentication?: RawAuthentication;
  skills: RawSkill[];
}

const FRONTMATTER = ['license', 'compatibility', 'metadata', 'allowed-tools', 'argument-hint', 'user-invocable', 'disable-model-invocation'] as const;
const MAX_FILES = 200;
const MAX_FILE_BYTES = 1024 * 1024;

/** `file:///./x` and `file:///x` as a folder: relative ones against the capability's folder. */
export function locationPath(location: string, baseDir: string): string {
  const rest = location.slice('file:///'.length);
  if (rest.startsWith('./') || rest.startsWith('../')) return resolve(baseDir, rest);
  return fileURLToPath(location);
}

/** Every regular file under `dir`, sorted; symbolic links are not followed (nothing outside the folder). */
function listFiles(dir: string, out: string[] = [], root = dir): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const stat = lstatSync(full);
    if (stat.isDirectory()) listFiles(full, out, root);
    else if (stat.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

/** Actions each exposed adapter offers to a skill tool's `from`: REST operation names and MCP tool names. */
export function skillSources(exposes: readonly RawExposes[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of exposes) {
    if (e.type === 'mcp') out.set(e.namespace, e.tools.map((t) => t.name));
    else if (e.type === 'rest') out.set(e.namespace, (e.resources ?? []).flatMap((r) => (r.operations ?? []).flatMap((o) => (o.name ? [o.name] : []))));
  }
  return out;
}

function skillMarkdown(skill: RawSkill, tools: readonly SkillToolEntry[]): string {
  const front: Record<string, unknown> = { name: skill.name, description: skill.description };
  for (const key of FRONTMATTER) if (skill[key] !== undefined) front[key] = skill[key];
  const lines = [`---`, stringify(front).trimEnd(), `---`, '', `# ${skill.name}`, '', skill.description, ''];
  if (tools.length > 0) {
    lines.push('## Tools', '');
    for (const t of tools) lines.push(`- \`${t.name}\`: ${t.description}${'from' in t ? ` (${t.from.sourceNamespace} / ${t.from.action})` : ` (see ${t.instruction})`}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The files of the skill's folder; undefined without `location`, 'unreadable' (reported) when it cannot be read. */
function readSkillFiles(skill: RawSkill, at: (string | number)[], baseDir: string, notes: Note[]): Array<{ path: string; text: string }> | 'unreadable' | undefined {
  if (!skill.location) return undefined;
  const dir = locationPath(skill.location, baseDir);
  let paths: string[];
  try {
    paths = listFiles(dir);
  } catch {
    notes.push({ rule: 'skill-location-unreadable', severity: 'error', path: [...at, 'location'], message: `The skill folder ${dir} (from \`${skill.location}\`) cannot be read.`, hint: 'Point `location` at a folder that holds the skill, e.g. `file:///./skills/<name>` next to the capability.' });
    return 'unreadable';
  }
  const files: Array<{ path: string; text: string }> = [];
  for (const path of paths.slice(0, MAX_FILES)) {
    const bytes = readFileSync(join(dir, path));
    if (bytes.length > MAX_FILE_BYTES || bytes.includes(0)) {
      notes.push({ rule: 'construct-unsupported', severity: 'warning', path: [...at, 'location'], message: `The skill file ${path} is binary or larger than ${MAX_FILE_BYTES} bytes: it is left out of the catalog.`, hint: 'Keep skill files as text.' });
      continue;
    }
    files.push({ path, text: bytes.toString('utf8') });
  }
  if (paths.length > MAX_FILES) notes.push({ rule: 'construct-unsupported', severity: 'warning', path: [...at, 'location'], message: `The skill folder holds ${paths.length} files; only the first ${MAX_FILES} are in the catalog.` });
  return files;
}

export function transformSkill(raw: RawExposesSkill, base: (string | number)[], sources: ReadonlyMap<string, string[]>, baseDir: string, secrets: SecretScope, notes: Note[]): SkillAdapter {
  const skills: Skill[] = raw.skills.map((skill, si) => {
    const at = [...base, 'skills', si];
    const tools: SkillToolEntry[] = (skill.tools ?? []).map((t, ti) => {
      if (t.from) {
        const actions = sources.get(t.from.sourceNamespace);
        const known = actions === undefined ? [...sources.keys()] : actions;
        const wrong = actions === undefined ? t.from.sourceNamespace : actions.includes(t.from.action) ? undefined : t.from.action;
        if (wrong !== undefined) {
          const near = closest(wrong, known);
          notes.push({
            rule: 'skill-tool-source-missing',
            severity: 'error',
            path: [...at, 'tools', ti, 'from', actions === undefined ? 'sourceNamespace' : 'action'],
            message: actions === undefined ? `No REST or MCP adapter of this capability is named \`${wrong}\`.` : `The adapter \`${t.from.sourceNamespace}\` has no operation or tool named \`${wrong}\`.`,
            hint: near ? `Did you mean \`${near}\`?` : 'Name an adapter namespace and one of its tool or operation names.',
          });
        }
        return { name: t.name, description: t.description, from: { sourceNamespace: t.from.sourceNamespace, action: t.from.action } };
      }
      return { name: t.name, description: t.description, instruction: t.instruction ?? '' };
    });
    const read = readSkillFiles(skill, at, baseDir, notes);
    let files = read === 'unreadable' ? [] : read;
    (skill.tools ?? []).forEach((t, ti) => {
      if (t.instruction === undefined || read === 'unreadable') return;
      const inside = !isAbsolute(t.instruction) && !t.instruction.split(/[\\/]/).includes('..');
      if (!files || !inside || !files.some((f) => f.path === t.instruction!.replace(/^\.\//, ''))) {
        notes.push({
          rule: 'skill-file-missing',
          severity: 'error',
          path: [...at, 'tools', ti, 'instruction'],
          message: files ? `The instruction file \`${t.instruction}\` is not in the skill folder.` : `The tool's instruction \`${t.instruction}\` needs the skill's \`location\` folder, which is not given.`,
          hint: 'Give the skill a `location` (a folder next to the capability) that holds the instruction file.',
        });
      }
    });
    files ??= [];
    if (!files.some((f) => f.path === 'SKILL.md')) files = [{ path: 'SKILL.md', text: skillMarkdown(skill, tools) }, ...files];
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const frontmatter: Skill['frontmatter'] = {};
    for (const key of FRONTMATTER) if (skill[key] !== undefined) frontmatter[key] = skill[key] as Skill['frontmatter'][string];
    return { name: skill.name, description: skill.description, frontmatter, tools, files };
  });
  const auth = transformInboundAuth(raw.authentication, base, 'skill', secrets, notes);
  return {
    namespace: raw.namespace,
    port: raw.port,
    ...(raw.address ? { address: raw.address } : {}),
    ...(raw.description ? { description: raw.description } : {}),
    ...(auth ? { auth } : {}),
    skills,
  };
}
