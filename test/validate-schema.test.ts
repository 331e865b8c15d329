import { describe, expect, it } from 'vitest';
import { lineOf, only, validate, WEATHER, weatherWith } from './helpers/fixtures.js';

describe('the schema, with findings a person can act on', () => {
  it('accepts the weather fixture without any finding', () => {
    const r = validate(WEATHER);
    expect(r.findings).toEqual([]);
    expect(r.model).toBeDefined();
  });

  it('accepts 1.0.0-alpha3 through its own schema', () => {
    expect(validate(weatherWith(['naftiko: 1.0.0-alpha2', 'naftiko: 1.0.0-alpha3'])).findings).toEqual([]);
  });

  it('reports a missing version and an unsupported one, naming the supported versions', () => {
    const missing = only(validate(weatherWith(['naftiko: 1.0.0-alpha2\n', ''])));
    expect(missing).toMatchObject({ rule: 'version-missing', line: 1 });
    const wrong = only(validate(weatherWith(['naftiko: 1.0.0-alpha2', 'naftiko: 2.0'])));
    expect(wrong).toMatchObject({ rule: 'version-unsupported', line: 1, column: 10, pointer: '/naftiko' });
    expect(wrong.message).toContain('1.0.0-alpha2, 1.0.0-alpha3');
  });

  it('points a missing required property at the mapping that lacks it', () => {
    const text = weatherWith(['      port: 8081\n', '']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-required', line: lineOf(text, '- type: rest'), column: 7, pointer: '/capability/exposes/0' });
    expect(f.message).toContain('`port`');
  });

  it('points an unknown property at its key and suggests the closest one', () => {
    const text = weatherWith(['      port: 8081', '      prot: 8081\n      port: 8081']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-unknown-property', line: lineOf(text, 'prot:'), column: 7 });
    expect(f.message).toContain('Did you mean `port`?');
    expect(f.hint).toContain('namespace');
  });

  it('reports a wrong type at the value', () => {
    const text = weatherWith(['      port: 9091', '      port: nine']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-type', line: lineOf(text, 'port: nine'), column: 13 });
    expect(f.message).toContain('must be an integer');
  });

  it('reports a wrong enum value once, with the allowed values and a suggestion', () => {
    const text = weatherWith(['              method: GET\n              inputParameters', '              method: GETT\n              inputParameters']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-enum', line: lineOf(text, 'GETT'), column: 23 });
    expect(f.message).toContain('GET, POST, PUT, PATCH, DELETE');
    expect(f.message).toContain('Did you mean `GET`?');
  });

  it('reports an unknown transport once, not once per oneOf branch', () => {
    const text = weatherWith(['      namespace: weather-mcp', '      namespace: weather-mcp\n      transport: websocket']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-enum', line: lineOf(text, 'websocket') });
  });

  it('reports an unknown auth type once, with the known ones', () => {
    const text = weatherWith(['type: bearer', 'type: bearr']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-unknown-type', line: lineOf(text, 'bearr'), column: 15 });
    expect(f.message).toContain('basic, apikey, bearer, digest, oauth2');
    expect(f.message).toContain('Did you mean `bearer`?');
  });

  it('reports an unknown adapter type once', () => {
    const text = weatherWith(['    - type: rest', '    - type: rst']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-unknown-type', line: lineOf(text, 'type: rst') });
    expect(f.message).toContain('rest, mcp, skill, control');
  });

  it('explains a tool against the form the author meant', () => {
    const text = weatherWith(['          description: Read one station.\n', '']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-required', line: lineOf(text, '- name: get-station', lineOf(text, 'tools:')) });
    expect(f.message).toContain('`description`');
  });

  it('reports a pattern in plain words', () => {
    const text = weatherWith(['call: weather.list-stations\n          with', 'call: weather/list-stations\n          with']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-pattern', line: lineOf(text, 'weather/list-stations') });
    expect(f.message).toContain('<namespace>.<operation>');
  });

  it('reports an address that is neither a host name nor an IP address, in plain words', () => {
    const text = weatherWith(['port: 8081', 'port: 8081\n      address: "not a host!"']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-pattern', line: lineOf(text, 'not a host!') });
    expect(f.message).toContain('host name, an IPv4 address or an IPv6 address');
    expect(f.hint).toContain('0.0.0.0');
    // Each kind the schema accepts passes.
    for (const ok of ['localhost', 'api.example.com', '0.0.0.0', '::1']) {
      expect(validate(weatherWith(['port: 8081', `port: 8081\n      address: '${ok}'`])).findings.filter((n) => n.severity === 'error')).toEqual([]);
    }
  });

  it('reports a port out of range and an empty list', () => {
    expect(only(validate(weatherWith(['port: 8081', 'port: 80810']))).rule).toBe('schema-range');
    const empty = only(validate(weatherWith([/ {6}tools:\n[\s\S]*$/, '      tools: []\n'])));
    expect(empty.rule).toBe('schema-min-items');
  });

  it('reports a key that a form forbids (a port on a stdio MCP adapter)', () => {
    const text = weatherWith(['      port: 9091', '      port: 9091\n      transport: stdio']);
    const f = only(validate(text));
    expect(f).toMatchObject({ rule: 'schema-not-allowed', line: lineOf(text, 'port: 9091'), column: 7 });
  });

  it('reports two alternatives used together', () => {
    const text = weatherWith(['          description: Read one station.\n', '          description: Read one station.\n          outputParameters:\n            - type: string\n              mapping: $.name\n              value: fixed\n']);
    const f = only(validate(text));
    expect(f.rule).toBe('schema-ambiguous');
    expect(f.message).toContain('`mapping` and `value`');
  });

  it('needs exposes or consumes in a capability', () => {
    const f = only(validate('naftiko: 1.0.0-alpha2\ninfo:\n  label: a\n  description: b\ncapability: {}\n'));
    expect(f).toMatchObject({ rule: 'schema-required', line: 5 });
    expect(f.message).toContain('`exposes`, or `consumes`');
  });
});
