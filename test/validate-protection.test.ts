/** Findings of inbound authentication and of the "nothing silent" rules, each at its line. */
import { describe, expect, it } from 'vitest';
import { lineOf, only, validate, weatherWith } from './helpers/fixtures.js';

const REST_AUTH = (auth: string) => weatherWith(['      port: 8081\n', `      port: 8081\n      authentication:\n${auth}`]);

describe('inbound authentication findings', () => {
  it('bearer, apikey and basic bound to secrets are in the model, with no finding', () => {
    const text = weatherWith(
      ['      WEATHER_TOKEN: WEATHER_TOKEN\n', '      WEATHER_TOKEN: WEATHER_TOKEN\n      GATE: GATE_SECRET\n'],
      ['      port: 8081\n', "      port: 8081\n      authentication:\n        type: apikey\n        key: X-Gate\n        value: 'k-{{env.GATE}}'\n"],
      ['      port: 9091\n', "      port: 9091\n      authentication:\n        type: basic\n        username: ops\n        password: '{{GATE}}'\n"],
    );
    const r = validate(text);
    expect(r.findings).toEqual([]);
    expect(r.model!.rest[0]!.auth).toEqual({ kind: 'apikey', key: 'X-Gate', placement: 'header', value: [{ kind: 'text', text: 'k-' }, { kind: 'secret', variable: 'GATE' }] });
    expect(r.model!.mcp[0]!.auth).toMatchObject({ kind: 'basic', username: [{ kind: 'text', text: 'ops' }] });
  });

  it('inbound-auth-unsupported: digest and oauth2 are errors, so the project is not built', () => {
    const digest = REST_AUTH('        type: digest\n        username: a\n        password: b\n');
    expect(only(validate(digest))).toMatchObject({ rule: 'inbound-auth-unsupported', line: lineOf(digest, 'type: digest') });
    const oauth = REST_AUTH('        type: oauth2\n        authorizationServerUri: https://id.example\n        resource: https://api.example\n');
    const f = only(validate(oauth));
    expect(f).toMatchObject({ rule: 'inbound-auth-unsupported', line: lineOf(oauth, 'type: oauth2') });
    expect(validate(oauth).model).toBeUndefined();
  });

  it('inbound-auth-incomplete: a credential with nothing to compare against is an error', () => {
    const text = REST_AUTH('        type: bearer\n');
    expect(only(validate(text))).toMatchObject({ rule: 'inbound-auth-incomplete', line: lineOf(text, 'authentication:', 30) + 1 });
    const empty = REST_AUTH("        type: apikey\n        key: X-K\n        value: ''\n");
    expect(only(validate(empty))).toMatchObject({ rule: 'inbound-auth-incomplete', line: lineOf(empty, "value: ''") });
  });

  it('template-variable-unbound: a credential bound to a variable no binds entry declares', () => {
    const text = REST_AUTH("        type: bearer\n        token: '{{GATE_TOKN}}'\n");
    expect(only(validate(text))).toMatchObject({ rule: 'template-variable-unbound', line: lineOf(text, 'GATE_TOKN') });
  });

  it('mcp-auth-stdio-conflict: a warning, and the stdio adapter carries no check', () => {
    const text = weatherWith(['      port: 9091\n', "      transport: stdio\n      authentication:\n        type: bearer\n        token: '{{WEATHER_TOKEN}}'\n"]);
    const r = validate(text);
    expect(only(r, 'warning')).toMatchObject({ rule: 'mcp-auth-stdio-conflict', line: lineOf(text, 'authentication:', 30) });
    expect(r.model!.mcp[0]!.auth).toBeUndefined();
  });
});

describe('nothing silent: inputs and with keys', () => {
  it('input-unused: a declared input that no consumed parameter takes', () => {
    const text = weatherWith(['\n          call: weather.get-station', '\n          inputParameters:\n            - name: verbose\n              type: boolean\n              description: More detail.\n          call: weather.get-station']);
    const f = only(validate(text), 'warning');
    expect(f).toMatchObject({ rule: 'input-unused', line: lineOf(text, '- name: verbose') });
    expect(f.message).toContain('`verbose`');
  });

  it('input-near-miss: an inferred input one typo away from a declared one, reported once at the with entry', () => {
    const text = weatherWith([
      '          call: weather.list-stations\n          with:\n            country: tools.country',
      '          inputParameters:\n            - name: country\n              type: string\n              description: ISO code.\n          call: weather.list-stations\n          with:\n            country: tools.countri',
    ]);
    const f = only(validate(text), 'warning');
    expect(f).toMatchObject({ rule: 'input-near-miss', line: lineOf(text, 'country: tools.countri') });
    expect(f.message).toContain('Did you mean `country`?');
  });

  it('with-key-unmatched: a key that feeds nothing of the called operation, with a suggestion', () => {
    const text = weatherWith(['            country: tools.country', '            contry: tools.country']);
    const found = validate(text).findings.filter((x) => x.rule === 'with-key-unmatched');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: lineOf(text, 'contry:'), column: 13 });
    expect(found[0]!.message).toContain('Did you mean `country`?');
  });

  it('with keys that feed a path placeholder, a parameter in another case, or a template are not reported', () => {
    const text = weatherWith(['            country: tools.country', '            Country: tools.country'], ['\n          call: weather.get-station', '\n          call: weather.get-station\n          with:\n            stationId: tools.id']);
    expect(validate(text).findings.filter((x) => x.rule === 'with-key-unmatched')).toEqual([]);
  });
});

describe('control adapter findings', () => {
  const CONTROL = '    - type: control\n      port: 9300\n';
  it('what the control port cannot serve is named; a second control adapter is an error', () => {
    const text = `${weatherWith()}${CONTROL}      management:\n        reload: true\n        logs:\n          stream: true\n      observability:\n        traces:\n          sampling: 0.5\n`;
    const r = validate(text);
    const warnings = r.findings.filter((f) => f.rule === 'construct-unsupported');
    expect(warnings.map((f) => f.line)).toEqual([lineOf(text, 'reload:'), lineOf(text, 'logs:'), lineOf(text, 'traces:')]);
    expect(warnings[0]!.message).toContain('`management.reload`');
    expect(r.model!.control).toEqual({ port: 9300, health: true, status: false, metrics: true });
    const twice = `${weatherWith()}${CONTROL}${CONTROL.replace('9300', '9301')}`;
    expect(only(validate(twice))).toMatchObject({ rule: 'control-adapter-duplicate', line: lineOf(twice, 'type: control', lineOf(twice, 'type: control')) });
  });
});

describe('skill adapter findings', () => {
  const SKILL = (tools: string, extra = '') =>
    `${weatherWith()}    - type: skill\n      namespace: weather-skills\n      port: 9400\n      skills:\n        - name: forecasting\n          description: Read the weather.\n${extra}          tools:\n${tools}`;
  it('skill-tool-source-missing: a tool taken from an adapter or action that does not exist, with a suggestion', () => {
    const ns = SKILL('            - name: t\n              description: d\n              from:\n                sourceNamespace: weather-mpc\n                action: get-station\n');
    const f = only(validate(ns));
    expect(f).toMatchObject({ rule: 'skill-tool-source-missing', line: lineOf(ns, 'weather-mpc') });
    expect(f.hint).toBe('Did you mean `weather-mcp`?');
    const action = SKILL('            - name: t\n              description: d\n              from:\n                sourceNamespace: weather-mcp\n                action: get-stations\n');
    expect(only(validate(action))).toMatchObject({ rule: 'skill-tool-source-missing', line: lineOf(action, 'action: get-stations') });
    const ok = SKILL('            - name: t\n              description: d\n              from:\n                sourceNamespace: weather-rest\n                action: update-station\n');
    expect(validate(ok).findings).toEqual([]);
  });

  it('skill-file-missing and skill-location-unreadable: instruction files come from the skill folder', () => {
    const noFolder = SKILL('            - name: t\n              description: d\n              instruction: how.md\n');
    expect(only(validate(noFolder))).toMatchObject({ rule: 'skill-file-missing', line: lineOf(noFolder, 'instruction: how.md') });
    const missing = SKILL('            - name: t\n              description: d\n              instruction: how.md\n', '          location: file:///./no-such-skill-folder\n');
    expect(only(validate(missing))).toMatchObject({ rule: 'skill-location-unreadable', line: lineOf(missing, 'location:') });
  });
});
