/**
 * Paths and URIs from the wild (issue 5): a fixed query or a fragment in a consumed path, a path
 * that repeats the base URI's path or has no leading slash, `:` and `//` in paths, and a base URI with
 * a placeholder filled from configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, runToExit, startServer, stopAll, type GeneratedProject } from './helpers/generated-project.js';

const CAPABILITY = `naftiko: 1.0.0-alpha2
info:
  label: Paths from the wild
  description: Consumed paths as published converters write them.
capability:
  consumes:
    - type: http
      namespace: wild
      baseUri: https://{host}.example.com/v2
      resources:
        - name: bucket-acl
          path: /{Bucket}?acl
          operations:
            - name: get-bucket-acl
              method: GET
        - name: dynamo
          path: /#X-Amz-Target=DynamoDB_20120810.GetItem
          operations:
            - name: get-item
              method: POST
              inputParameters:
                - name: body
                  in: body
        - name: repeated
          path: /v2/items/{id}
          operations:
            - name: get-repeated
              method: GET
        - name: relative
          path: things/{id}/purge:all
          operations:
            - name: purge
              method: POST
        - name: urn
          path: /people/urn:li:person:{id}//profile
          operations:
            - name: get-person
              method: GET
  exposes:
    - type: mcp
      namespace: wild-mcp
      port: 9090
      tools:
        - name: get-bucket-acl
          description: Read a bucket's ACL.
          call: wild.get-bucket-acl
        - name: get-item
          description: Read an item.
          call: wild.get-item
        - name: get-repeated
          description: Read an item under a repeated base path.
          call: wild.get-repeated
        - name: purge
          description: Purge a thing.
          call: wild.purge
        - name: get-person
          description: Read a person by URN.
          call: wild.get-person
`;

let upstream: FakeUpstream;
let project: GeneratedProject;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  project = await buildProject('wild-paths', { yaml: CAPABILITY });
});

afterAll(async () => {
  await stopAll();
  await upstream?.stop();
  project?.remove();
});

describe('paths and URIs from the wild', () => {
  it('says what it does with each of them, as warnings', () => {
    const rules = validateText('wild.yaml', CAPABILITY).findings.map((f) => `${f.severity} ${f.rule}`);
    expect(rules).toEqual(['warning path-query', 'warning path-fragment', 'warning path-repeats-base']);
  });

  it('sends exactly the intended requests', async () => {
    const port = new URL(upstream.url).port;
    const server = await startServer(project, cleanEnv({ WILD_BASE_URI: `http://{host}:${port}/v2`, WILD_HOST: '127.0.0.1', WILD_MCP_PORT: '0' }), 1);
    const client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
    await client.callTool({ name: 'get-bucket-acl', arguments: { Bucket: 'my bucket' } });
    expect(upstream.last().url).toBe('/v2/my%20bucket?acl');
    await client.callTool({ name: 'get-item', arguments: { body: { Key: { id: { S: '1' } } } } });
    expect(upstream.last()).toMatchObject({ method: 'POST', url: '/v2/', body: '{"Key":{"id":{"S":"1"}}}' });
    expect(upstream.last().headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    await client.callTool({ name: 'get-repeated', arguments: { id: '7' } });
    expect(upstream.last().url).toBe('/v2/items/7');
    await client.callTool({ name: 'purge', arguments: { id: 'a:b' } });
    expect(upstream.last().url).toBe('/v2/things/a%3Ab/purge:all');
    await client.callTool({ name: 'get-person', arguments: { id: '123' } });
    expect(upstream.last().url).toBe('/v2/people/urn:li:person:123//profile');
    await client.close();
  });

  it('refuses to start while a base URI placeholder is not configured, naming its variable', async () => {
    const run = await runToExit(project, 'dist/main.js', cleanEnv({ WILD_MCP_PORT: '0' }));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('WILD_HOST');
  });
});
