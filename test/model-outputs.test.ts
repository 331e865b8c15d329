/**
 * The output transform (src/model/transform-output.ts): each `mapping` is compiled once, in the model,
 * with its source text kept; the emitter prints those steps, and a mapping outside the supported
 * subset is noted where it is written, once, even when it is nested.
 */
import { describe, expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { lineOf, validate, weatherWith } from './helpers/fixtures.js';

const OUTPUTS =
  '          description: Read one station.\n          outputParameters:\n' +
  '            - type: object\n              properties:\n' +
  '                id:\n                  type: string\n                  mapping: $.station["id"]\n' +
  '                active:\n                  type: array\n                  mapping: $..stations[?(@.active)]\n' +
  '                  items:\n                    type: string\n                    mapping: $.name\n';

describe('output transform', () => {
  const text = weatherWith(['          description: Read one station.\n', OUTPUTS]);
  const result = validate(text);
  const tool = result.model!.mcp[0]!.tools.find((t) => t.name === 'get-station')!;
  const [top] = tool.output.parameters;

  it('keeps each mapping as written beside its compiled steps', () => {
    expect(top!.properties!.id!.mapping).toEqual({ source: '$.station["id"]', steps: ['station', 'id'] });
    expect(top!.properties!.active!.items!.mapping).toEqual({ source: '$.name', steps: ['name'] });
    // Outside the subset: the source is kept, and there are no steps.
    expect(top!.properties!.active!.mapping).toEqual({ source: '$..stations[?(@.active)]' });
  });

  it('notes the unsupported mapping once, at its line', () => {
    const notes = result.findings.filter((f) => f.rule === 'jsonpath-unsupported');
    expect(notes.map((f) => f.line)).toEqual([lineOf(text, '$..stations')]);
  });

  it('prints the compiled steps, and a never-matching path for the unsupported one', () => {
    const mcp = emitProject(result.model!).get('src/mcp/weather-mcp.ts')!;
    expect(mcp).toContain("mapping: ['station', 'id']");
    expect(mcp).toContain("mapping: ['\\u0000unsupported-jsonpath']");
  });
});
