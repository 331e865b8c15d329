/**
 * Inputs of exposed items that answer without a plain `call` (src/model/transform-handler.ts,
 * `declaredInputs`): a REST input declared `in: path` is required even when the exposed path has no
 * placeholder of that name, as it is for operations that call (bind-call.ts); other places default to
 * optional. Given and wanted.
 */
import { describe, expect, it } from 'vitest';
import { API_HEAD, cap, modelOf } from './helpers/model-build.js';

const yaml = cap(
  [
    ...API_HEAD,
    '      - name: ships',
    '        path: /ships',
    '        operations:',
    '          - { name: list, method: GET }',
    'exposes:',
    '  - type: rest',
    '    namespace: r',
    '    port: 1',
    '    resources:',
    '      - path: /fleet',
    '        operations:',
    '          - method: GET',
    '            inputParameters:',
    '              - { name: p, in: path, type: string, description: P }',
    '              - { name: h, in: header, type: string, description: H }',
    '              - { name: q, in: query, type: string, description: Q }',
    '              - { name: o, in: path, type: string, description: O, required: false }',
    '            steps: [{ type: call, name: s, call: api.list }]',
    '            outputParameters: [{ type: string, mapping: $.s.name }]',
  ].join('\n'),
);

describe('declared inputs of a REST operation with steps', () => {
  it('an input in the path is required unless it says otherwise, even when the path lacks its placeholder', () => {
    const o = modelOf(yaml).model.rest[0]!.operations[0]!;
    expect(o.handler.kind).toBe('steps');
    expect(o.inputs.map((i) => `${i.name}:${i.location}:${i.required}:${i.origin}`)).toEqual(['p:path:true:declared', 'h:header:false:declared', 'q:query:false:declared', 'o:path:false:declared']);
  });
});
