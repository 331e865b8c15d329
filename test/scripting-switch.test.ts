/**
 * The control adapter's `management.scripting`: its switch and allow-list decide whether a script step is
 * generated (the engine refuses the step otherwise), and its limits, which a compiled script cannot honour,
 * are reported rather than dropped (when a script step is generated that they would apply to; the published
 * script-step example, whose scripts cannot be generated, is covered by conformance-alpha2.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { REPO } from './helpers/shared.js';

const FIXTURE = join(REPO, 'test/fixtures/valid/harbour-orchestrated.yaml');

/** The fixture with a control adapter whose `management.scripting` is `scripting`; the findings of its build. */
function findingsWith(scripting: Record<string, unknown> | undefined): Array<{ rule: string; pointer: string; message: string }> {
  const doc = parseDocument(readFileSync(FIXTURE, 'utf8'));
  if (scripting) doc.addIn(['capability', 'exposes'], { type: 'control', port: 9090, management: { scripting } });
  const { findings } = validateText(FIXTURE, doc.toString());
  return findings.filter((f) => f.rule === 'construct-unsupported').map((f) => ({ rule: f.rule, pointer: f.pointer, message: f.message }));
}

describe('management.scripting', () => {
  it('without a control adapter, the JavaScript script step is generated', () => {
    expect(findingsWith(undefined)).toEqual([]);
  });

  it('enabled: false leaves the script step out, saying why', () => {
    const found = findingsWith({ enabled: false });
    expect(found).toHaveLength(1);
    expect(found[0]!.pointer).toMatch(/\/steps\/1\/type$/);
    expect(found[0]!.message).toContain('switched off');
  });

  it('an allow-list without javascript leaves it out; one with it keeps it', () => {
    const found = findingsWith({ allowedLanguages: ['python'] });
    expect(found).toHaveLength(1);
    expect(found[0]!.pointer).toMatch(/\/steps\/1\/language$/);
    expect(findingsWith({ allowedLanguages: ['javascript'], enabled: true })).toEqual([]);
  });

  it('timeout and statementLimit are reported as not applied, once, when a script step is generated', () => {
    const pointers = findingsWith({ timeout: 1000, statementLimit: 500 }).map((f) => f.pointer);
    expect(pointers).toEqual([expect.stringMatching(/\/management\/scripting\/timeout$/), expect.stringMatching(/\/management\/scripting\/statementLimit$/)]);
  });
});
