import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExposedInput } from '../src/model/types.js';
import { validate } from './helpers/fixtures.js';
import { SEED } from './helpers/shared.js';

const model = validate(readFileSync(SEED, 'utf8')).model!;
const shape = (inputs: ExposedInput[]) => inputs.map((i) => `${i.name}:${i.type}:${i.required ? 'required' : 'optional'}:${i.location}`);
// MCP tools take every input as an argument: where a REST request would carry it does not matter there.
const args = (inputs: ExposedInput[]) => inputs.map((i) => `${i.name}:${i.type}:${i.required ? 'required' : 'optional'}`);

describe('inputs, declared or inferred (decisions doc, "Inputs")', () => {
  it('gives each MCP tool of the seed the inputs its call needs', () => {
    const tools = Object.fromEntries(model.mcp[0]!.tools.map((t) => [t.name, args(t.inputs)]));
    expect(tools['list-organization-api-tokens']).toEqual(['name:string:optional', 'creatorName:string:optional', 'organizationId:string:required']);
    expect(tools['create-organization-api-token']).toEqual(['body:object:optional', 'organizationId:string:required']);
    expect(tools['delete-organization-api-token']).toEqual(['apiTokenId:string:required', 'organizationId:string:required']);
    const del = model.mcp[0]!.tools[2]!;
    expect(del.inputs[0]!.description).toBe('Organization Api Token ID');
  });

  it('reads REST inputs from the exposed path, the query and the JSON body', () => {
    const ops = model.rest[0]!.operations.map((o) => shape(o.inputs));
    expect(ops[0]).toEqual(['organizationid:string:required:path', 'name:string:optional:query', 'creatorName:string:optional:query']);
    expect(ops[1]).toEqual(['organizationid:string:required:path', 'body:object:optional:body']);
    expect(ops[2]).toEqual(['organizationid:string:required:path', 'apitokenid:string:required:path']);
  });

  it('binds every consumed parameter to its source (D1, D4, D5)', () => {
    const del = model.rest[0]!.operations[2]!.call;
    const sources = Object.fromEntries(del.arguments.map((a) => [a.parameter.name, a.source]));
    expect(sources).toEqual({ apiTokenId: { kind: 'input', name: 'apitokenid' }, organizationId: { kind: 'input', name: 'organizationid' } });
    expect(del.operation.pathParts).toEqual([
      { kind: 'text', text: '/organization/' },
      { kind: 'param', name: 'organizationId' },
      { kind: 'text', text: '/apiToken/' },
      { kind: 'param', name: 'apiTokenId' },
    ]);
  });

  it('resolves the bearer token from binds (D6)', () => {
    expect(model.consumes[0]!.authentication).toEqual({ kind: 'bearer', token: [{ kind: 'secret', variable: 'QOVERY_API_KEY' }] });
    expect(model.secrets).toEqual([{ namespace: 'env', variable: 'QOVERY_API_KEY', source: 'QOVERY_API_KEY' }]);
  });
});
