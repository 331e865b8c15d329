/**
 * Inbound `authentication` of an exposed adapter: the credential its callers must present. The
 * expected value may only come from literal text and bound secrets (`{{VAR}}`, `{{env.VAR}}`): an
 * adapter never starts with a declared protection missing, so every form it cannot enforce is an error.
 */
import { classifyVariable, type SecretScope } from './bind-call.js';
import type { Note } from '../validate/finding.js';
import type { RawAuthentication } from './raw.js';
import { parseMustache } from './template.js';
import type { InboundAuthentication, ResolvedPart } from './types.js';

/** Text and secrets only: any other variable is reported (an input cannot authenticate its own request). */
function secretTemplate(source: string, secrets: SecretScope, at: (string | number)[], notes: Note[]): Array<ResolvedPart & { kind: 'text' | 'secret' }> {
  return parseMustache(source).map((p) => {
    if (p.kind === 'text') return p;
    const v = classifyVariable(p.name, secrets, []);
    const variable = v.kind === 'secret' ? v.variable : v.name;
    if (!secrets.variables.has(variable)) {
      notes.push({
        rule: 'template-variable-unbound',
        severity: 'error',
        path: at,
        message: `\`{{${p.name}}}\` refers to the variable \`${variable}\`, which no \`binds\` entry declares, so the adapter could not check callers' credentials.`,
        hint: `Declare \`${variable}\` under \`binds\` (for example \`keys: { ${variable}: ${variable} }\`), or fix the name.`,
      });
    }
    return { kind: 'secret', variable };
  });
}

/** The inbound authentication of an adapter at `base`, or undefined when it declares none or declares one that cannot be enforced (then an error note is added). */
export function transformInboundAuth(
  raw: RawAuthentication | undefined,
  base: (string | number)[],
  adapterKind: string,
  secrets: SecretScope,
  notes: Note[],
): InboundAuthentication | undefined {
  if (!raw) return undefined;
  const at = [...base, 'authentication'];
  const required = (value: string | undefined, key: string): Array<ResolvedPart & { kind: 'text' | 'secret' }> | undefined => {
    if (value === undefined || value === '') {
      notes.push({
        rule: 'inbound-auth-incomplete',
        severity: 'error',
        path: value === undefined ? at : [...at, key],
        message: `The ${adapterKind} adapter's \`${raw.type}\` authentication has no \`${key}\`, so no caller could be checked against it; the server is not generated without it.`,
        hint: `Give \`${key}\`, best as a bound secret: \`${key}: "{{MY_SECRET}}"\` with \`MY_SECRET\` declared under \`binds\`.`,
      });
      return undefined;
    }
    return secretTemplate(value, secrets, [...at, key], notes);
  };
  switch (raw.type) {
    case 'bearer': {
      const token = required(raw.token, 'token');
      return token && { kind: 'bearer', token };
    }
    case 'basic': {
      const username = required(raw.username, 'username');
      const password = required(raw.password, 'password');
      return username && password && { kind: 'basic', username, password };
    }
    case 'apikey': {
      // The key name is plain text (a header or query parameter name), checked like the value for presence.
      const key = required(raw.key, 'key') && raw.key!;
      const value = required(raw.value, 'value');
      if (key && (raw.placement ?? 'header') === 'header' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
        notes.push({
          rule: 'header-name-invalid',
          severity: 'error',
          path: [...at, 'key'],
          message: `\`${key}\` cannot be a header name: HTTP allows only letters, digits and !#$%&'*+.^_\`|~- there.`,
          hint: 'Use a plain header name such as `X-API-Key`.',
        });
        return undefined;
      }
      return key && value ? { kind: 'apikey', key, value, placement: raw.placement ?? 'header' } : undefined;
    }
    default:
      notes.push({
        rule: 'inbound-auth-unsupported',
        severity: 'error',
        path: [...at, 'type'],
        message: `\`${raw.type}\` authentication of callers is not generated for the ${adapterKind} adapter; a server without the protection it declares is never built.`,
        hint: 'Use `bearer`, `basic` or `apikey` (header or query), or put the adapter behind a gateway that checks this scheme and remove `authentication`.',
      });
      return undefined;
  }
}
