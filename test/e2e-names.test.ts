/**
 * Names that are not identifiers (issue 5): every wire name is sent exactly as written, every
 * identifier in the generated code is derived safely, colliding names stay distinct; HEAD, form
 * fields and a body on GET are sent as the capability says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll, type GeneratedProject } from './helpers/generated-project.js';

const LONG = `a-very-long-operation-name-${'x'.repeat(150)}`;
const CAPABILITY = `naftiko: 1.0.0-alpha2
info:
  label: Names from the wild
  description: Names that are not identifiers.
capability:
  consumes:
    - type: http
      namespace: Weird API
      baseUri: https://weird.example.com
      resources:
        - name: search
          path: /search/{Key+}/{attr:qualifiedName}
          operations:
            - name: $select
              method: GET
              inputParameters:
                - name: $select
                  in: query
                - name: filter[status]
                  in: query
                - name: page[size]
                  in: query
                - name: issue_type~neq
                  in: query
                - name: action.type
                  in: query
                - name: X-Amz-Target
                  in: header
                - name: export
                  in: query
                - name: default
                  in: query
                - name: $filter
                  in: query
                - name: '@id'
                  in: query
                - name: from
                  in: query
                - name: type
                  in: query
                - name: delete
                  in: query
            - name: export
              method: HEAD
            - name: ${LONG}
              method: POST
              inputParameters:
                - name: creative ID
                  in: formData
                - name: 2fa
                  in: formData
        - name: with-body
          path: /with-body
          operations:
            - name: page-size
              method: GET
              inputParameters:
                - name: body
                  in: body
            - name: page_size
              method: DELETE
            - name: pageSize
              method: PUT
  exposes:
    - type: mcp
      namespace: weird-mcp
      port: 9090
      tools:
        - name: creative ID search
          description: Search with every odd name.
          call: Weird API.$select
          with:
            $select: tools.$select
            filter[status]: tools.filter[status]
            page[size]: tools.page.size
        - name: head-check
          description: Check that a key exists.
          call: Weird API.export
        - name: ${LONG}
          description: Send a form.
          call: Weird API.${LONG}
        - name: get-with-body
          description: GET with a JSON body.
          call: Weird API.page-size
        - name: delete-page-size
          description: DELETE.
          call: Weird API.page_size
        - name: put-page-size
          description: PUT.
          call: Weird API.pageSize
    - type: rest
      namespace: weird-rest
      port: 8080
      resources:
        - path: /s/{Key+}/{attr:qualifiedName}
          name: search
          operations:
            - method: GET
              name: $select
              call: Weird API.$select
            - method: HEAD
              name: export
              call: Weird API.export
`;

let upstream: FakeUpstream;
let project: GeneratedProject;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('wild-names', { yaml: CAPABILITY });
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('names that are not identifiers', () => {
  it('are relaxations: warnings, and errors under --strict', () => {
    const relaxed = validateText('names.yaml', CAPABILITY);
    expect(relaxed.model).toBeDefined();
    const rules = new Set(relaxed.findings.map((f) => `${f.severity} ${f.rule}`));
    expect([...rules].sort()).toEqual(['warning identifier-collision', 'warning relaxed-form-data', 'warning relaxed-head-method', 'warning relaxed-name-pattern', 'warning tool-name-shortened']);
    const strict = validateText('names.yaml', CAPABILITY, { strict: true });
    expect(strict.model).toBeUndefined();
    expect(strict.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toContain('relaxed-name-pattern');
  });

  it('are sent exactly as written, on MCP and REST', async () => {
    const server = await startServer(project, cleanEnv({ WEIRD_API_BASE_URI: upstream.url, WEIRD_MCP_PORT: '0', WEIRD_REST_PORT: '0', WEIRD_REST_HOST: '127.0.0.1' }), 2);
    const client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain('head-check');
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const search = tools.find((t) => t.name.startsWith('creative-ID-search-'))!;
    expect(Object.keys((search.inputSchema as { properties: object }).properties).sort()).toEqual(
      ['$select', '$filter', '@id', 'from', 'type', 'delete', 'Key+', 'X-Amz-Target', 'action.type', 'attr:qualifiedName', 'default', 'export', 'filter[status]', 'issue_type~neq', 'page.size'].sort(),
    );

    const r = await client.callTool({
      name: search.name,
      arguments: {
        'Key+': 'a/b',
        'attr:qualifiedName': 'q n',
        $select: 'id,name',
        $filter: "name eq 'x'",
        '@id': '1',
        from: 'f',
        type: 't',
        delete: 'no',
        'filter[status]': 'open',
        'page.size': '10',
        'issue_type~neq': 'bug',
        'action.type': 'x',
        'X-Amz-Target': 'T.Op',
        export: 'e',
        default: 'd',
      },
    });
    expect(r.isError).toBeFalsy();
    const got = upstream.last();
    expect(got.path).toBe('/search/a%2Fb/q%20n');
    expect(new URLSearchParams(got.query).getAll('$select')).toEqual(['id,name']);
    expect(Object.fromEntries(new URLSearchParams(got.query))).toEqual({
      $select: 'id,name',
      'filter[status]': 'open',
      'page[size]': '10',
      'issue_type~neq': 'bug',
      'action.type': 'x',
      export: 'e',
      default: 'd',
      $filter: "name eq 'x'",
      '@id': '1',
      from: 'f',
      type: 't',
      delete: 'no',
    });
    expect(got.headers['x-amz-target']).toBe('T.Op');

    await client.callTool({ name: 'head-check', arguments: { 'Key+': 'k', 'attr:qualifiedName': 'q' } });
    expect(upstream.last()).toMatchObject({ method: 'HEAD', path: '/search/k/q' });

    const form = tools.find((t) => t.name.startsWith('a-very-long-operation-name-'))!;
    expect(form.name.length).toBe(64);
    await client.callTool({ name: form.name, arguments: { 'Key+': 'k', 'attr:qualifiedName': 'q', 'creative ID': 'c d', '2fa': 'yes' } });
    expect(upstream.last()).toMatchObject({ method: 'POST', body: 'creative+ID=c+d&2fa=yes' });
    expect(upstream.last().headers['content-type']).toBe('application/x-www-form-urlencoded');

    await client.callTool({ name: 'get-with-body', arguments: { body: { q: 1 } } });
    expect(upstream.last()).toMatchObject({ method: 'GET', path: '/with-body', body: '{"q":1}' });
    await client.callTool({ name: 'delete-page-size', arguments: {} });
    expect(upstream.last().method).toBe('DELETE');
    await client.callTool({ name: 'put-page-size', arguments: {} });
    expect(upstream.last().method).toBe('PUT');

    const rest = await request(server.restUrl(), 'GET', '/s/a%2Fb/q?$select=id');
    expect(rest.status).toBe(200);
    expect(upstream.last().url).toBe('/search/a%2Fb/q?$select=id');
    const head = await request(server.restUrl(), 'HEAD', '/s/k/q');
    expect(head.status).toBe(200);
    expect(upstream.last().method).toBe('HEAD');
    await client.close();
  });
});
