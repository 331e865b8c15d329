/**
 * Details of three cross-checks that mutation testing found unchecked at unit level: reserved routes
 * (checked before only through a generated server), ports shared by addresses, and the route-duplicate
 * message. Positions are computed from the edited text.
 */
import { describe, expect, it } from 'vitest';
import { lineOf, validate, weatherWith } from './helpers/fixtures.js';

const findings = (text: string, rule: string) => validate(text).findings.filter((f) => f.rule === rule);

describe('route-reserved', () => {
  it.each([['/health/live'], ['/health/ready/'], ['/metrics'], ['/health/{probe}']])('warns at the path of a REST resource %s that a health or metrics answer would hide', (path) => {
    const text = weatherWith(['        - path: /stations\n', `        - path: ${path}\n`]);
    const found = findings(text, 'route-reserved');
    expect(found.map((f) => [f.severity, f.line, f.pointer])).toEqual([['warning', lineOf(text, `- path: ${path}`), '/capability/exposes/0/resources/0/path']]);
    expect(found[0]!.message).toContain(`\`${path}\` clashes with`);
  });

  it.each([['/healthz'], ['/health'], ['/health/live/more'], ['/metric']])('leaves %s alone', (path) => {
    expect(findings(weatherWith(['        - path: /stations\n', `        - path: ${path}\n`]), 'route-reserved')).toEqual([]);
  });
});

describe('port-conflict', () => {
  it('is about one address: two adapters on one port and different addresses do not meet; with one address unset they do', () => {
    const apart = weatherWith(['port: 9091', 'port: 8081\n      address: 127.0.0.2'], ['port: 8081\n', 'port: 8081\n      address: 127.0.0.1\n']);
    expect(findings(apart, 'port-conflict')).toEqual([]);
    const oneUnset = weatherWith(['port: 9091', 'port: 8081\n      address: 127.0.0.2']);
    const f = findings(oneUnset, 'port-conflict');
    expect(f.map((x) => x.line)).toEqual([lineOf(oneUnset, 'port: 8081', lineOf(oneUnset, 'type: mcp'))]);
    expect(f[0]!.message).toBe('Port 8081 is already used by the adapter `weather-rest`; both cannot listen on it.');
    expect(f[0]!.hint).toBe('Choose another port, e.g. 8082.');
  });
});

describe('route-duplicate', () => {
  it('points at the second method and names the resource that has the route first', () => {
    const text = weatherWith(['            - method: PUT', '            - method: GET']);
    const [f] = findings(text, 'route-duplicate');
    expect(f!.pointer).toBe('/capability/exposes/0/resources/1/operations/1/method');
    expect(f!.message).toBe('`GET /stations/{stationId}` is already served by another operation (resource #2); only one can answer.');
  });
});
