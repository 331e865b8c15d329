/** Views of the skill catalog adapters: the embedded skills module, and their entries in config.ts and main.ts. */
import { lineComment, tsLiteral, tsString } from '../../names/escape.js';
import { tsHeader } from './header.js';
import { inboundAuthExpression } from './inbound-auth-view.js';
import type { AdapterNames, ProjectNames } from './naming.js';
import type { SkillAdapter } from '../../model/types.js';

export function skillModuleView(skill: AdapterNames<SkillAdapter>, sourceName: string) {
  return {
    header: tsHeader(sourceName),
    namespace: lineComment(skill.adapter.namespace),
    factory: skill.factory,
    skills: skill.adapter.skills.map((s) => tsLiteral({ name: s.name, description: s.description, frontmatter: s.frontmatter, tools: s.tools, files: s.files })),
  };
}

export function skillConfigView(names: ProjectNames) {
  return names.skill.map((s) => ({
    key: s.key,
    envPort: tsString(s.envPort),
    envHost: tsString(s.envHost),
    port: s.adapter.port,
    host: tsString(s.adapter.address === undefined || s.adapter.address === 'localhost' ? '127.0.0.1' : s.adapter.address),
    hasInboundAuth: s.adapter.auth !== undefined,
  }));
}

export function skillMainView(names: ProjectNames) {
  return names.skill.map((s) => ({
    key: s.key,
    factory: s.factory,
    label: tsString(`Skill adapter ${s.adapter.namespace} (catalog at /skills)`),
    auth: inboundAuthExpression(s.adapter.namespace, s.adapter.auth),
  }));
}
