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
    const del = model.rest[0]!.operations[2]!.call!;
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

describe('parameter names matched across sides (D5, generalised)', () => {
  const consumed = (path: string, params: Array<{ name: string; in: 'path' | 'query' }>) => {
    const text = `naftiko: 1.0.0-alpha2
info: { label: m, description: m }
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: https://api.example.com
      resources:
        - name: r
          path: ${path}
          operations:
            - name: op
              method: GET
${params.length ? `              inputParameters:\n${params.map((p) => `                - { name: ${p.name}, in: ${p.in} }`).join('\n')}\n` : ''}`;
    return text;
  };

  it('fills {account_id} from the exposed {account-id}, and {roleDefinitionId} from {roledefinitionid}', () => {
    const text =
      consumed('/accounts/{account_id}/roles/{roleDefinitionId}', []) +
      `  exposes:
    - type: rest
      namespace: rest
      port: 8080
      resources:
        - path: /accounts/{account-id}/roles/{roledefinitionid}
          operations:
            - method: GET
              call: api.op
`;
    const r = validate(text);
    expect(r.model).toBeDefined();
    const args = Object.fromEntries(r.model!.rest[0]!.operations[0]!.call!.arguments.map((a) => [a.parameter.name, a.source]));
    expect(args).toEqual({ account_id: { kind: 'input', name: 'account-id' }, roleDefinitionId: { kind: 'input', name: 'roledefinitionid' } });
    expect(r.model!.rest[0]!.operations[0]!.inputs.map((i) => i.name)).toEqual(['account-id', 'roledefinitionid']);
    expect(r.findings.filter((f) => f.rule === 'name-case-mismatch')).toHaveLength(2);
  });

  it('takes everything after the first dot of rest.X, and matches `with` references loosely', () => {
    const text =
      consumed('/accounts/{accountId}', [{ name: 'page.size', in: 'query' }]) +
      `  exposes:
    - type: rest
      namespace: rest
      port: 8080
      resources:
        - path: /accounts/{accountid}
          operations:
            - method: GET
              call: api.op
              with:
                accountId: rest.accountId
                page.size: rest.page.size
`;
    const r = validate(text);
    const op = r.model!.rest[0]!.operations[0]!;
    expect(op.inputs.map((i) => `${i.name}@${i.location}`)).toEqual(['accountid@path', 'page.size@query']);
    expect(Object.fromEntries(op.call!.arguments.map((a) => [a.parameter.name, a.source]))).toEqual({
      'page.size': { kind: 'input', name: 'page.size' },
      accountId: { kind: 'input', name: 'accountid' },
    });
  });

  it('accepts repeated resource names (they never become identifiers)', () => {
    const text = `naftiko: 1.0.0-alpha2
info: { label: m, description: m }
capability:
  consumes:
    - type: http
      namespace: api
      baseUri: https://api.example.com
      resources:
        - { name: same, path: /a, operations: [{ name: op-a, method: GET }] }
        - { name: same, path: /b, operations: [{ name: op-b, method: GET }] }
`;
    const r = validate(text);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.model!.consumes[0]!.operations.map((o) => `${o.resourceName} ${o.path}`)).toEqual(['same /a', 'same /b']);
  });
});
