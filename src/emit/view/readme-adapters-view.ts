/** README lines of the generated project about inbound authentication, the skill catalogs and the control port. */
import type { CapabilityModel, InboundAuthentication } from '../../model/types.js';
import { markdownText } from '../../names/escape.js';
import { CONTROL_ENV_HOST, CONTROL_ENV_PORT } from './control-view.js';
import type { ProjectNames } from './naming.js';

function cell(text: string): string {
  return markdownText(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** `; callers must send ...` after an adapter's line, or '' when it is open. */
export function authNote(auth: InboundAuthentication | undefined): string {
  if (!auth) return '';
  const what =
    auth.kind === 'bearer'
      ? 'an `Authorization: Bearer` token'
      : auth.kind === 'basic'
        ? 'HTTP Basic credentials'
        : `the API key \`${cell(auth.key)}\` in the ${auth.placement === 'query' ? 'query string' : 'headers'}`;
  return `; callers must send ${what} (401 otherwise)`;
}

export function extraAdapterLines(model: CapabilityModel, names: ProjectNames): string[] {
  const lines = names.skill.map((s) => `the skill catalog \`${cell(s.adapter.namespace)}\` at \`/skills\` on port ${s.adapter.port} (\`${s.envPort}\`)${authNote(s.adapter.auth)}`);
  const c = model.control;
  if (c) {
    const endpoints = [...(c.health ? ['`/health/live`', '`/health/ready`'] : []), ...(c.status ? ['`/status`'] : []), ...(c.metrics ? ['`/metrics`'] : [])];
    lines.push(`the control adapter on port ${c.port} (\`${CONTROL_ENV_PORT}\`): ${endpoints.join(', ') || 'no endpoint'}${authNote(c.auth)}`);
  }
  return lines;
}

export function extraAdapterSettings(model: CapabilityModel, names: ProjectNames): Array<{ name: string; fallback: string; meaning: string }> {
  const out: Array<{ name: string; fallback: string; meaning: string }> = [];
  for (const s of names.skill) {
    out.push({ name: s.envPort, fallback: `\`${s.adapter.port}\``, meaning: `Port of the skill catalog ${cell(s.adapter.namespace)}.` });
    out.push({ name: s.envHost, fallback: `\`${cell(s.adapter.address ?? '127.0.0.1')}\``, meaning: 'Address it listens on.' });
  }
  if (model.control) {
    out.push({ name: CONTROL_ENV_PORT, fallback: `\`${model.control.port}\``, meaning: 'Port of the control adapter.' });
    out.push({ name: CONTROL_ENV_HOST, fallback: `\`${cell(model.control.address ?? '127.0.0.1')}\``, meaning: 'Address it listens on.' });
  }
  return out;
}
