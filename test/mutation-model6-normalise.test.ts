/**
 * Output parameters of an ikanos document read into the raw shape (src/model/normalise/normalise.ts):
 * a mapped array's one item schema stays one output (only an orchestrated array's map of named fields
 * becomes a list), and findings about outputs in a list, their items and their properties point where
 * they are written. The document is read inside each test (Stryker switches a mutant on only there).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normaliseDocument } from '../src/model/normalise/normalise.js';
import { findSpecVersion } from '../src/validate/versions.js';

const BETA5 = findSpecVersion('1.0.0-beta5', 'ikanos')!;

const DOC = `
ikanos: 1.0.0-beta5
capability:
  consumes:
    - type: http
      namespace: fleet
      baseUri: https://fleet.test
      resources:
        boats: { path: /boats, operations: { list: { method: GET } } }
  exposes:
    - type: mcp
      namespace: m
      tools:
        boats:
          description: Boats.
          call: fleet.list
          outputParameters:
            - { type: array, mapping: $.boats, items: { type: string, mapping: $.name } }
            - { type: array, mapping: $.crew, items: { who: { type: string, value: $.who } } }
            - { type: object, properties: { port: { type: string, mapping: $.port } } }
`;

type Any = Record<string, any>;
const read = () => normaliseDocument(BETA5, parse(DOC));
const OUT = ['capability', 'exposes', 0, 'tools', 0, 'outputParameters'];
const SRC = ['capability', 'exposes', 0, 'tools', 'boats', 'outputParameters'];

describe('outputs of an ikanos tool (read in each test)', () => {
  it('a mapped array keeps its one item schema; an orchestrated array lists its named fields', () => {
    const outs = (read().raw as unknown as Any).capability.exposes[0].tools[0].outputParameters;
    expect(outs[0]).toEqual({ type: 'array', mapping: '$.boats', items: { type: 'string', mapping: '$.name' } });
    expect(outs[1].items).toEqual([{ name: 'who', type: 'string', value: '$.who' }]);
  });

  // [raw path below the tool's outputs, where it is written below them in the source]
  const places: Array<[Array<string | number>, Array<string | number>]> = [
    [[0, 'items', 'mapping'], [0, 'items', 'mapping']],
    [[1, 'items', 0, 'value'], [1, 'items', 'who', 'value']],
    [[2, 'properties', 'port', 'mapping'], [2, 'properties', 'port', 'mapping']],
  ];
  it.each(places)('raw outputs %j are written at %j', (rawPath, want) => {
    expect(read().sourcePath([...OUT, ...rawPath])).toEqual({ path: [...SRC, ...want], atKey: false });
  });
});
