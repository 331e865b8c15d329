import { describe, expect, it } from 'vitest';
import { lineOf, only, validate, weatherWith } from './helpers/fixtures.js';

describe('cross-checks the schema cannot express', () => {
  it('call-target-missing: an unknown namespace or operation, with a suggestion', () => {
    const opText = weatherWith(['call: weather.get-station\n', 'call: weather.get-stations\n']);
    const op = only(validate(opText));
    expect(op).toMatchObject({ rule: 'call-target-missing', line: lineOf(opText, 'weather.get-stations'), column: 21 });
    expect(op.hint).toBe('Did you mean `weather.get-station`?');
    const nsText = weatherWith(['call: weather.list-stations\n          with', 'call: wether.list-stations\n          with']);
    const ns = only(validate(nsText));
    expect(ns).toMatchObject({ rule: 'call-target-missing', line: lineOf(nsText, 'wether.list-stations') });
    expect(ns.hint).toBe('Did you mean `weather.list-stations`?');
  });

  it('operation-duplicate: two consumed operations with one name make a call ambiguous; both are pointed at', () => {
    const text = weatherWith(['- name: update-station', '- name: get-station']);
    const found = validate(text).findings.filter((f) => f.rule === 'operation-duplicate');
    const first = lineOf(text, '- name: get-station');
    expect(found.map((f) => f.line)).toEqual([first, lineOf(text, '- name: get-station', first)]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
  });

  it('namespace-duplicate: across consumes, exposes and binds', () => {
    const text = weatherWith(['namespace: weather-mcp', 'namespace: weather']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'namespace-duplicate', line: lineOf(text, 'namespace: weather', lineOf(text, 'type: mcp')), column: 18 });
    expect(only(validate(weatherWith(['  - namespace: env', '  - namespace: weather']))).rule).toBe('namespace-duplicate');
  });

  it('tool-name-shortened and tool-name-duplicate', () => {
    const long = 'a'.repeat(65);
    const text = weatherWith(['- name: get-station\n          label', `- name: ${long}\n          label`]);
    const r = validate(text);
    const f = only(r, 'warning');
    expect(f).toMatchObject({ rule: 'tool-name-shortened', line: lineOf(text, long) });
    const exposed = r.model!.mcp[0]!.tools[1]!.name;
    expect(exposed).toHaveLength(64);
    expect(f.message).toContain(`exposed as \`${exposed}\``);
    const dup = weatherWith(['- name: get-station\n          label', '- name: list-stations\n          label']);
    expect(only(validate(dup))).toMatchObject({ rule: 'tool-name-duplicate', line: lineOf(dup, '- name: list-stations', lineOf(dup, 'tools:') + 3) });
  });

  it('environment-name-collision: two namespaces that would read the same environment variables', () => {
    const text = weatherWith(['namespace: weather-mcp', 'namespace: weather_rest']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'environment-name-collision', line: lineOf(text, 'weather_rest') });
    expect(f.message).toContain('WEATHER_REST_*');
  });

  it('port-conflict: two adapters on one port', () => {
    const text = weatherWith(['port: 9091', 'port: 8081']);
    expect(only(validate(text))).toMatchObject({ rule: 'port-conflict', line: lineOf(text, 'port: 8081', 40) });
  });

  it('route-duplicate: the same method twice, and paths that differ only in placeholder names', () => {
    const same = weatherWith(['            - method: PUT', '            - method: GET']);
    expect(only(validate(same)).rule).toBe('route-duplicate');
    const renamed = weatherWith([
      '    - type: mcp',
      '        - path: /stations/{id}\n          name: station-by-id\n          operations:\n            - method: GET\n              call: weather.get-station\n    - type: mcp',
    ]);
    const f = only(validate(renamed));
    expect(f.rule).toBe('route-duplicate');
    expect(f.message).toContain('differ only in placeholder names');
  });

  it('name-case-mismatch (D5): a unique match that ignores case is accepted with a warning', () => {
    const text = weatherWith(['- path: /stations/{stationId}', '- path: /stations/{stationid}']);
    const r = validate(text);
    expect(r.model).toBeDefined();
    const warnings = r.findings.filter((f) => f.severity === 'warning');
    expect(warnings.map((w) => w.rule)).toEqual(['name-case-mismatch', 'name-case-mismatch']);
    expect(warnings[0]!.message).toContain('`stationId` is filled from the input `stationid`');
    expect(warnings[0]!.line).toBe(lineOf(text, 'call: weather.get-station'));
  });

  it('relaxed-unbound-env (D14): `{{env.X}}` no binds entry declares is read from X, a warning; an error under --strict', () => {
    const text = weatherWith(["token: '{{env.WEATHER_TOKEN}}'", "token: '{{env.WEATHER_SECRET}}'"]);
    const r = validate(text);
    const f = only(r, 'warning');
    expect(f).toMatchObject({ rule: 'relaxed-unbound-env', line: lineOf(text, 'WEATHER_SECRET') });
    expect(f.message).toContain('WEATHER_SECRET');
    expect(r.model!.secrets.map((s) => s.variable)).toEqual(['WEATHER_TOKEN', 'WEATHER_SECRET']);
    expect(only(validate(text, true))).toMatchObject({ rule: 'relaxed-unbound-env', line: lineOf(text, 'WEATHER_SECRET') });
  });

  it('a bound secret that nothing uses is fine: no finding', () => {
    const r = validate(weatherWith(['      WEATHER_TOKEN: WEATHER_TOKEN', '      WEATHER_TOKEN: WEATHER_TOKEN\n      SPARE_KEY: SPARE_KEY']));
    expect(r.findings).toEqual([]);
    expect(r.model!.secrets.map((s) => s.variable)).toEqual(['WEATHER_TOKEN', 'SPARE_KEY']);
  });

  it('path-parameter-unused: a declared path parameter that is not in the path', () => {
    const text = weatherWith(['                - name: country\n                  in: query', '                - name: country\n                  in: path']);
    const f = only(validate(text), 'warning');
    expect(f).toMatchObject({ rule: 'path-parameter-unused', line: lineOf(text, '- name: country') });
  });

  it('path-placeholder-malformed: an unclosed placeholder', () => {
    const text = weatherWith(['path: /stations/{{stationId}}', 'path: /stations/{stationId']);
    expect(only(validate(text)).rule).toBe('path-placeholder-malformed');
  });

  it('identifier-collision: two names that become one identifier', () => {
    const text = weatherWith(['- name: update-station', '- name: getStation']);
    const f = only(validate(text), 'warning');
    expect(f).toMatchObject({ rule: 'identifier-collision', line: lineOf(text, 'getStation') });
  });

  it('expression-unsupported: `${input.x}` from another dialect is an error, not text sent upstream', () => {
    const text = weatherWith(['country: rest.country', 'country: ${input.country}']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'expression-unsupported', line: lineOf(text, '${input.country}') });
    expect(f.hint).toContain('{{country}}');
  });

  it('files of other dialects get findings, not crashes: free-form keys, an unknown consumes type', () => {
    const orchestration = validate(weatherWith(['capability:\n', 'orchestration:\n  steps: [a, b]\ncapability:\n']));
    expect(orchestration.findings.map((f) => f.rule)).toEqual(['schema-unknown-property']);
    const grpc = validate(weatherWith(['    - type: http\n', '    - type: grpc\n']));
    expect(grpc.model).toBeUndefined();
    expect(grpc.findings.some((f) => f.message.includes('grpc'))).toBe(true);
  });

  it('an empty baseUri is a relaxation (D13), an error under --strict; placeholders with spaces or + stay whole', () => {
    const text = weatherWith(['baseUri: https://api.weather.example', "baseUri: ''"]);
    expect(only(validate(text), 'warning')).toMatchObject({ rule: 'relaxed-empty-base-uri', line: lineOf(text, "baseUri: ''") });
    expect(only(validate(text, true))).toMatchObject({ rule: 'relaxed-empty-base-uri', line: lineOf(text, "baseUri: ''") });
    const bad = only(validate(weatherWith(['baseUri: https://api.weather.example', 'baseUri: ftp://x'])));
    expect(bad).toMatchObject({ rule: 'schema-pattern' });
    expect(bad.hint).toContain('https://api.example.com');
    const spaced = validate(weatherWith(['path: /stations/{{stationId}}', 'path: /stations/{station id}/{Key+}']));
    const op = spaced.model!.consumes[0]!.operations.find((o) => o.name === 'get-station')!;
    expect(op.pathParts.filter((p) => p.kind === 'param').map((p) => (p as { name: string }).name)).toEqual(['station id', 'Key+']);
  });

  it('jsonpath-unsupported: a mapping outside the supported JSONPath subset is pointed at', () => {
    const text = weatherWith([
      '          description: Read one station.\n',
      "          description: Read one station.\n          outputParameters:\n            - type: array\n              mapping: $..stations[?(@.active)]\n              items:\n                type: string\n                mapping: $.id\n",
    ]);
    const f = only(validate(text), 'warning');
    expect(f).toMatchObject({ rule: 'jsonpath-unsupported', line: lineOf(text, '$..stations') });
  });

  it('a valid mock tool is generated, with no finding (it used to be construct-unsupported)', () => {
    const text = weatherWith([
      '          description: Read one station.\n          call: weather.get-station\n',
      '          description: Read one station.\n          call: weather.get-station\n        - name: hello\n          description: Says hello.\n          outputParameters:\n            - name: greeting\n              type: string\n              value: hi\n',
    ]);
    const r = validate(text);
    expect(r.findings.filter((f) => f.rule === 'construct-unsupported')).toEqual([]);
    const hello = r.model!.mcp[0]!.tools.find((t) => t.name === 'hello');
    expect(hello?.handler).toEqual({ kind: 'mock', fields: [{ name: 'greeting', node: { kind: 'template', parts: [{ kind: 'text', text: 'hi' }] } }] });
  });
});
