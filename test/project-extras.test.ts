/**
 * The files around the generated code: openapi.json (validated by an OpenAPI 3.1 validator, every route
 * with its inputs), the container and cluster files (the Kubernetes objects validated against the
 * official API schemas by kubernetes-models; every command they run is a package.json script), the
 * environment listing, and ports derived from namespaces when the capability gives none.
 */
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { adapterPorts, derivedPort } from '../src/names/ports.js';
import { validateText } from '../src/validate/validate.js';
import { SEED } from './helpers/shared.js';

function project(file: string, text: string): Map<string, string> {
  const result = validateText(file, text);
  expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return emitProject(result.model!);
}

const seed = project(SEED, readFileSync(SEED, 'utf8'));
const scripts = (JSON.parse(seed.get('package.json')!) as { scripts: Record<string, string> }).scripts;

/** Two REST adapters (a whole body, a header and a cookie input) and an MCP adapter. */
const MANY = `naftiko: 1.0.0-alpha2
info: { label: Many, description: Adapters of every kind. }
binds:
  - namespace: env
    keys: { MANY_TOKEN: MANY_TOKEN }
capability:
  consumes:
    - type: http
      namespace: up
      baseUri: https://up.example.com
      authentication: { type: bearer, token: '{{env.MANY_TOKEN}}' }
      resources:
        - name: items
          path: /items/{id}
          operations:
            - { name: get-item, method: GET, inputParameters: [{ name: id, in: path }, { name: X-Trace, in: header }] }
            - { name: put-item, method: PUT, inputParameters: [{ name: id, in: path }, { name: payload, in: body }] }
  exposes:
    - type: rest
      namespace: many-rest
      port: 8181
      resources:
        - path: /items/{id}
          operations:
            - method: GET
              name: get-item
              inputParameters:
                - { name: id, in: path, type: string, description: The item. }
                - { name: trace, in: header, type: string, description: A trace id. }
                - { name: session, in: cookie, type: string, description: A session. }
              call: up.get-item
              with: { id: rest.id, X-Trace: rest.trace }
    - type: rest
      namespace: many-admin
      port: 8282
      resources:
        - path: /items/{id}
          operations:
            - method: PUT
              name: put-item
              inputParameters:
                - { name: id, in: path, type: string, description: The item. }
                - { name: payload, in: body, type: object, description: The new item. }
              call: up.put-item
              with: { id: rest.id, payload: rest.payload }
    - type: mcp
      namespace: many-mcp
      port: 8383
      tools:
        - name: get-item
          description: Reads an item.
          inputParameters: [{ name: id, type: string, description: The item. }]
          call: up.get-item
          with: { id: tools.id }
`;
const many = project('many.yaml', MANY);

describe('openapi.json', () => {
  it('is a valid OpenAPI 3.1 document listing every REST route of the seed with its inputs', async () => {
    const doc = JSON.parse(seed.get('openapi.json')!) as any;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((await new Validator().validate({ ...doc, paths: { 'no-slash': {} } })).valid).toBe(false);
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(ops.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'DELETE /v1/organization/{organizationid}/apitoken/{apitokenid}',
      'GET /v1/organization/{organizationid}/apitoken',
      'POST /v1/organization/{organizationid}/apitoken',
    ]);
    const list = ops.find((o) => o.method === 'get')!.op;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}:${p.required}`)).toEqual(['path:organizationid:true', 'query:name:false', 'query:creatorName:false']);
    const create = ops.find((o) => o.method === 'post')!.op;
    expect(create.requestBody.content['application/json'].schema.type).toBe('object');
    expect(doc.servers[0].url).toBe('http://localhost:8080');
  });

  it('gives each REST adapter its own document, with header, cookie and body inputs', async () => {
    const rest = JSON.parse(many.get('openapi.many-rest.json')!) as any;
    const admin = JSON.parse(many.get('openapi.many-admin.json')!) as any;
    expect(many.has('openapi.json')).toBe(false);
    for (const doc of [rest, admin]) expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(rest.paths['/items/{id}'].get.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(['path:id', 'header:trace', 'cookie:session']);
    // The one body input that feeds the consumed body is the whole body, as the route reads it.
    expect(admin.paths['/items/{id}'].put.requestBody.content['application/json'].schema).toEqual({ type: 'object', description: 'The new item.' });
    // The server serves the same text, from a module compiled with it.
    expect(many.get('src/main.ts')).toContain("from './rest/many-admin.openapi.js'");
    const served = /= `([\s\S]*)`;/.exec(many.get('src/rest/many-admin.openapi.ts')!)![1]!;
    expect(JSON.parse(served)).toEqual(admin);
  });
});

describe('container and cluster files', () => {
  it('build in two stages on node:20-slim, run as a non-root user, check /health/live, and run only package.json scripts', () => {
    const docker = seed.get('Dockerfile')!;
    expect(docker.match(/^FROM .*$/gm)).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toMatch(/^HEALTHCHECK .*\n.*127\.0\.0\.1:8080\/health\/live/m);
    // Every `npm run X` is a script; the CMD is the `start` script's command, without npm.
    for (const [, name] of docker.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, name).toHaveProperty(name!);
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(docker)![1]!) as string[];
    expect(cmd.join(' ')).toBe(scripts.start);
    // Files the runtime stage copies exist in the project.
    const copied = /^COPY --chown=node:node (.*) \.\/$/m.exec(docker)![1]!.split(' ');
    for (const f of copied) expect(seed.has(f), f).toBe(true);
    expect(seed.get('.dockerignore')).toMatch(/^\.env$/m);
    expect(seed.get('.gitignore')).toMatch(/^node_modules\/$/m);
    expect(seed.get('.gitignore')).toMatch(/^\.env$/m);
  });

  it('compose.yaml builds the image, requires the secret and publishes both ports on loopback', () => {
    const compose = parseAllDocuments(seed.get('compose.yaml')!)[0]!.toJS() as any;
    const service = Object.values(compose.services)[0] as any;
    expect(service.build).toBe('.');
    expect(service.environment.QOVERY_API_KEY).toMatch(/^\$\{QOVERY_API_KEY:\?/);
    expect(service.ports).toEqual(['127.0.0.1:8080:8080', '127.0.0.1:9090:9090']);
  });

  it('kubernetes.yaml holds a valid Deployment and Service: replicas, probes, the secret from a Secret', () => {
    const docs = parseAllDocuments(seed.get('kubernetes.yaml')!).map((d) => d.toJS() as any);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service']);
    const deployment = new Deployment(docs[0]);
    const service = new Service(docs[1]);
    // validate() throws with the schema errors when an object does not fit the Kubernetes API.
    expect(() => deployment.validate()).not.toThrow();
    expect(() => service.validate()).not.toThrow();
    expect(() => new Deployment({ ...docs[0], spec: { ...docs[0].spec, replicas: 'two' } }).validate()).toThrow();
    expect(deployment.spec!.replicas).toBeGreaterThan(1);
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container.livenessProbe!.httpGet).toEqual({ path: '/health/live', port: 8080 });
    expect(container.readinessProbe!.httpGet).toEqual({ path: '/health/ready', port: 8080 });
    expect(container.env!.find((e) => e.name === 'QOVERY_API_KEY')!.valueFrom!.secretKeyRef!.key).toBe('QOVERY_API_KEY');
    expect(service.spec!.ports!.map((p) => p.port)).toEqual([8080, 9090]);
    expect(deployment.spec!.template.spec!.securityContext!.runAsNonRoot).toBe(true);
  });

  it('.env.example lists exactly the variables of the README, secrets to fill in, defaults commented', () => {
    const readmeVars = [...seed.get('README.md')!.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    const env = seed.get('.env.example')!;
    const envVars = [...env.matchAll(/^#? ?([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(envVars).toEqual(readmeVars);
    expect(env).toMatch(/^QOVERY_API_KEY=$/m);
    expect(env).toMatch(/^# QOVERY_ORGANIZATION_API_TOKEN_REST_PORT=8080$/m);
  });

  it('the start script compiles only where needed, and start:stdio is node alone', () => {
    expect(scripts.prestart).toBe('node scripts/prestart.mjs');
    expect(scripts.start).toBe('node dist/main.js');
    expect(scripts['start:stdio']).toBe('node dist/stdio.js');
  });
});

describe("the generated README's client snippets", () => {
  it('are valid JSON in the shape each client reads, with the names, port and secret of the project', () => {
    const blocks = [...seed.get('README.md')!.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as any);
    const [claude, vscode, cursor] = blocks;
    const entry = claude.mcpServers['qovery-organization-api-token-mcp'];
    expect(entry).toEqual({ command: 'node', args: ['/absolute/path/to/qovery-organization-api-token/dist/stdio.js'], env: { QOVERY_API_KEY: '<your QOVERY_API_KEY>' } });
    expect(Object.values(vscode.servers).map((s: any) => s.type).sort()).toEqual(['http', 'stdio']);
    expect((Object.values(vscode.servers) as any[]).find((s) => s.type === 'http').url).toBe('http://127.0.0.1:9090/mcp');
    expect(vscode.inputs[0].password).toBe(true);
    expect(cursor.mcpServers['qovery-organization-api-token-mcp-http']).toEqual({ url: 'http://127.0.0.1:9090/mcp' });
    expect(seed.get('README.md')).toContain('npx @modelcontextprotocol/inspector --cli http://127.0.0.1:9090/mcp --transport http --method tools/list');
  });
});

describe('default ports', () => {
  it('derives a port in 20000-29999 from the namespace when the capability gives none, the same on every build', () => {
    const port = derivedPort('many-mcp');
    expect(port).toBeGreaterThanOrEqual(20000);
    expect(port).toBeLessThan(30000);
    expect(derivedPort('many-mcp')).toBe(port);
    expect(derivedPort('other-mcp')).not.toBe(port);
    // Naftiko 1.0.0-alpha2 and alpha3 require the port of an HTTP adapter; newer versions do not.
    const result = validateText('many.yaml', MANY);
    const model = result.model!;
    model.mcp[0]!.port = undefined;
    const files = emitProject(model);
    expect(files.get('src/config.ts')).toContain(`adapterFrom(env, 'MANY_MCP', ${port},`);
    expect(files.get('README.md')).toContain(`| \`MANY_MCP_PORT\` | \`${port}\` |`);
    expect(files.get('kubernetes.yaml')).toContain(`containerPort: ${port}`);
    // Two adapters whose namespaces meet on one port, or a declared port, push the derived one on.
    const [a, b, c] = adapterPorts([{ namespace: 'x', port: derivedPort('y') }, { namespace: 'y' }, { namespace: 'y' }]);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
