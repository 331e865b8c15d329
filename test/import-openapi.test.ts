import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, runCli, type CliResult } from './helpers/cli.js';
import { startFakeUpstream } from './helpers/fake-upstream.js';
import { buildProject, cleanEnv, connectMcpHttp, request, startServer, stopAll } from './helpers/generated-project.js';
import { readTree, scratch } from './helpers/output.js';
import { CORPUS_DIR, corpusFiles, describeWithShared, REPO, SHARED } from './helpers/shared.js';
import { typecheckProjects } from './helpers/typecheck.js';

const FIXTURES = `${REPO}test/fixtures/openapi/`;
const QOVERY_OPENAPI = `${SHARED}reference/qovery-openapi.yaml`;

const dirs: string[] = [];
const tmp = (name: string): string => {
  const d = scratch(name);
  dirs.push(d);
  return d;
};
afterAll(async () => {
  await stopAll();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** The documents that import; each goes to its own folder. */
const IMPORTABLE = [
  'petstore-30.yaml',
  'inventory-31.json',
  'auth-apikey-header.yaml',
  'auth-apikey-query.yaml',
  'auth-apikey-cookie.yaml',
  'auth-oauth2.yaml',
  'auth-openidconnect.yaml',
  'auth-digest.yaml',
] as const;

type Doc = any; // parsed capability YAML, read field by field in assertions

function load(file: string): Doc {
  return parse(readFileSync(file, 'utf8'));
}

function consumedOps(cap: Doc): Doc[] {
  return cap.capability.consumes[0].resources.flatMap((r: Doc) => r.operations.map((o: Doc) => ({ ...o, path: r.path })));
}

function tools(cap: Doc): Doc[] {
  return cap.capability.exposes.find((e: Doc) => e.type === 'mcp').tools;
}

function restOps(cap: Doc): Doc[] {
  return cap.capability.exposes.find((e: Doc) => e.type === 'rest').resources.flatMap((r: Doc) => r.operations.map((o: Doc) => ({ ...o, path: r.path })));
}

function noStackTrace(r: CliResult): void {
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toContain('internal error');
}

describe('naftiko-gen import openapi', () => {
  const root = tmp('import-openapi');
  const outOf = (fixture: string): string => join(root, fixture.replace(/\.(ya?ml|json)$/, ''));
  const runs = new Map<string, CliResult>();

  beforeAll(async () => {
    // Written as alpha2 (the shape these assertions read); the default, the newest version, is tested in test/versions.test.ts.
    for (const fixture of IMPORTABLE) runs.set(fixture, await runCli('import', 'openapi', FIXTURES + fixture, '--out', outOf(fixture), '--spec-version', 'naftiko:1.0.0-alpha2'));
  });

  it('imports every fixture (exit 0), one line per file written and a summary', () => {
    for (const fixture of IMPORTABLE) {
      const r = runs.get(fixture)!;
      expect(r.code, `${fixture}: ${r.stderr}`).toBe(0);
      noStackTrace(r);
      const files = readdirSync(outOf(fixture)).sort();
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(files.length + 1);
      for (const f of files) expect(r.stdout).toContain(join(outOf(fixture), f));
      expect(lines.at(-1)).toMatch(/^\d+ capabilit(y|ies) written to /);
    }
  });

  it('3.0 YAML: one capability per tag (an operation with several tags goes to its first), the untagged ones named after the document', () => {
    const dir = outOf('petstore-30.yaml');
    expect(readdirSync(dir).sort()).toEqual(['petstore-pets.yaml', 'petstore-store.yaml', 'petstore.yaml']);
    const store = load(join(dir, 'petstore-store.yaml'));
    // `/store/orders/{id}` is the route of `/store/orders/{orderId}`: the second is skipped, with a warning.
    expect(consumedOps(store).map((o) => `${o.method} ${o.path}`)).toEqual(['GET /store/inventory', 'GET /store/inventory/by-region', 'GET /store/orders/{orderId}']);
    const untagged = load(join(dir, 'petstore.yaml'));
    expect(untagged.info.tags).toEqual(['Petstore API']);
    expect(consumedOps(untagged).map((o) => o.name)).toEqual(['health']);
    expect(untagged.capability.consumes[0].namespace).toBe('petstore');
    const pets = load(join(dir, 'petstore-pets.yaml'));
    expect(pets.naftiko).toBe('1.0.0-alpha2');
    expect(pets.info).toMatchObject({ label: 'Petstore API — pets', tags: ['Petstore API', 'pets'] });
    expect(pets.info.description).toContain('Everything about your pets.');
    // Server variables' defaults substituted, trailing slash dropped.
    expect(pets.capability.consumes[0].baseUri).toBe('https://eu.petstore.example.com/v2');
    expect(pets.capability.consumes[0].authentication).toEqual({ type: 'bearer', token: '{{env.PETSTORE_TOKEN}}' });
    expect(pets.binds).toEqual([{ namespace: 'env', description: expect.any(String), keys: { PETSTORE_TOKEN: 'PETSTORE_TOKEN' } }]);
    expect(pets.capability.exposes.map((e: Doc) => [e.type, e.namespace, e.port])).toEqual([
      ['rest', 'petstore-pets-rest', 8080],
      ['mcp', 'petstore-pets-mcp', 9090],
    ]);
    expect(pets.capability.exposes[1].transport).toBe('http');
    // Resources grouped by path, kebab-case names; HEAD skipped.
    expect(pets.capability.consumes[0].resources.map((r: Doc) => [r.name, r.path])).toEqual([
      ['pets', '/pets'],
      ['pets-archived', '/pets/archived'],
      ['pets-bulk', '/pets/bulk'],
      ['pets-pet-id', '/pets/{petId}'],
    ]);
    // listPets and list_pets collide once kebab-cased; an operation without operationId is named after method and path.
    expect(consumedOps(pets).map((o) => o.name)).toEqual([
      'list-pets',
      'create-pet',
      'list-pets-2',
      'create-pets-in-bulk',
      'get-pet-by-id',
      'update-pet',
      'delete-pet',
      'patch-pets-pet-id',
    ]);
    const byName = new Map(consumedOps(pets).map((o) => [o.name, o]));
    // Path-level parameters ($ref to components.parameters) merged; the properties of the object body ($ref to
    // components.requestBodies) are `in: body`, one field each.
    expect(byName.get('list-pets').inputParameters).toEqual([
      { name: 'traceId', in: 'query' },
      { name: 'limit', in: 'query' },
      { name: 'status', in: 'query' },
      { name: 'tags', in: 'query' },
      // Names outside the official pattern are kept as the API spells them (relaxed-name-pattern; skipped under --strict).
      { name: 'filter[status]', in: 'query' },
      { name: '$select', in: 'query' },
      { name: 'page.size', in: 'query' },
    ]);
    expect(byName.get('create-pet').inputParameters).toEqual([
      { name: 'traceId', in: 'query' },
      { name: 'id', in: 'body' },
      { name: 'name', in: 'body' },
      { name: 'parent', in: 'body' },
    ]);
    // A path parameter declared as `petid` takes the path's spelling; the second `verbose` (a header) is skipped.
    expect(byName.get('get-pet-by-id').inputParameters).toEqual([
      { name: 'petId', in: 'path' },
      { name: 'X-Request-Id', in: 'header' },
      { name: 'session_hint', in: 'cookie' },
      { name: 'page-size', in: 'query' },
      { name: 'page_size', in: 'query' },
      { name: 'verbose', in: 'query' },
    ]);
    // An operation whose body is binary is skipped (with a warning), never a tool that cannot send it.
    expect(byName.has('upload-pet-photo')).toBe(false);
  });

  it('3.0 YAML: REST operations and MCP tools with typed, described inputs, `with` from rest./tools., and hints from the method', () => {
    const pets = load(join(outOf('petstore-30.yaml'), 'petstore-pets.yaml'));
    const rest = new Map(restOps(pets).map((o) => [o.name, o]));
    const list = rest.get('list-pets');
    expect(list).toMatchObject({ method: 'GET', path: '/pets', call: 'petstore-pets.list-pets' });
    expect(list.with).toEqual({
      traceId: 'rest.traceId',
      limit: 'rest.limit',
      status: 'rest.status',
      tags: 'rest.tags',
      'filter[status]': 'rest.filter[status]',
      $select: 'rest.$select',
      'page.size': 'rest.page.size',
    });
    expect(list.inputParameters.map((p: Doc) => [p.name, p.in, p.type])).toEqual([
      ['traceId', 'query', 'string'],
      ['limit', 'query', 'integer'],
      ['status', 'query', 'string'],
      ['tags', 'query', 'array'],
      ['filter[status]', 'query', 'string'],
      ['$select', 'query', 'string'],
      ['page.size', 'query', 'integer'],
    ]);
    expect(list.inputParameters[1]).toMatchObject({ description: 'How many pets to return at most.', maximum: 100 });
    // Enum, default and array items are carried as keywords (relaxation relaxed-input-constraints), not as prose.
    expect(list.inputParameters[2]).toMatchObject({ description: 'The status query parameter.', enum: ['available', 'pending', 'sold'], default: 'available' });
    expect(list.inputParameters[3]).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(list.description).toContain('List all pets\n\nReturns the pets');
    // Path inputs have the same type on REST (the segment is converted) as on MCP.
    expect(rest.get('get-pet-by-id').inputParameters.map((p: Doc) => [p.name, p.in, p.type])).toEqual([
      ['petId', 'path', 'integer'],
      ['X-Request-Id', 'header', 'string'],
      ['session_hint', 'cookie', 'string'],
      ['page-size', 'query', 'integer'],
      ['page_size', 'query', 'number'],
      ['verbose', 'query', 'boolean'],
    ]);
    // An object body's properties are declared `in: body` (fields of the REST request body); a body kept whole (an
    // array here) is not declared, so that it is the whole request body (a declared one would be a field of it).
    expect(rest.get('create-pet').inputParameters.map((p: Doc) => [p.name, p.in, p.type, p.required])).toEqual([
      ['traceId', 'query', 'string', undefined],
      ['id', 'body', 'integer', undefined],
      ['name', 'body', 'string', true],
      ['parent', 'body', 'object', undefined],
    ]);
    expect(rest.get('create-pet').with).toEqual({ traceId: 'rest.traceId', id: 'rest.id', name: 'rest.name', parent: 'rest.parent' });
    expect(rest.get('create-pets-in-bulk').inputParameters).toBeUndefined();
    expect(rest.get('create-pets-in-bulk').with).toEqual({ body: 'rest.body' });
    // Hostile text is kept as written (the generator escapes it); YAML stays valid.
    expect(rest.get('update-pet').description).toContain('Deprecated. Replaces a pet. Hostile text for the generator: */ `backticks` ${injected} {{env.SECRET}}');

    const byTool = new Map(tools(pets).map((t: Doc) => [t.name, t]));
    expect(byTool.get('list-pets')).toMatchObject({ hints: { readOnly: true, destructive: false, idempotent: true }, call: 'petstore-pets.list-pets', label: 'List all pets' });
    expect(byTool.get('update-pet').hints).toEqual({ readOnly: false, destructive: false, idempotent: true });
    expect(byTool.get('delete-pet').hints).toEqual({ readOnly: false, destructive: true, idempotent: true });
    expect(byTool.get('create-pet').hints).toEqual({ readOnly: false, destructive: false, idempotent: false });
    expect(byTool.get('patch-pets-pet-id').hints).toEqual({ readOnly: false, destructive: false, idempotent: false });
    expect(byTool.get('create-pet').inputParameters).toEqual([
      { name: 'traceId', type: 'string', description: 'The traceId query parameter.', required: false },
      { name: 'id', type: 'integer', description: 'The id field of the request body.', required: false },
      { name: 'name', type: 'string', description: 'The name field of the request body.', required: true },
      { name: 'parent', type: 'object', description: 'The parent field of the request body.', required: false },
    ]);
    expect(byTool.get('create-pet').with).toEqual({ traceId: 'tools.traceId', id: 'tools.id', name: 'tools.name', parent: 'tools.parent' });
    expect(byTool.get('delete-pet').inputParameters).toEqual([
      { name: 'petId', type: 'integer', description: expect.stringContaining("The pet's id"), required: true, format: 'int64' },
    ]);
    expect(byTool.get('list-pets-2').inputParameters).toBeUndefined();
    expect(byTool.get('create-pets-in-bulk').inputParameters).toEqual([{ name: 'body', type: 'array', description: 'The JSON request body.', required: true }]);
    for (const t of tools(pets)) expect(t.description.trim(), t.name).not.toBe('');
  });

  it('shortens tool names over 64 characters deterministically (readable prefix + hash), unique, [a-zA-Z0-9-] only', () => {
    const store = load(join(outOf('petstore-30.yaml'), 'petstore-store.yaml'));
    const names = tools(store)
      .map((t: Doc) => t.name as string)
      .filter((n: string) => n.startsWith('get-inventory'));
    expect(names).toHaveLength(2);
    for (const n of names) {
      expect(n.length, n).toBeLessThanOrEqual(64);
      expect(n).toMatch(/^[a-zA-Z0-9-]+$/);
      expect(n).toMatch(/^get-inventory-returning-the-quantities-of-every-pet-[a-z-]*-[0-9a-f]{7}$/);
    }
    expect(new Set(names).size).toBe(2);
    // Consumed operation names have more room (80) and stay readable.
    expect(consumedOps(store).map((o) => o.name)).toEqual([
      expect.stringMatching(/^get-inventory-returning-the-quantities-of-every-pet-status-in-every-stor[a-z-]*-[0-9a-f]{7}$/),
      expect.stringMatching(/^get-inventory-returning-the-quantities-of-every-pet-status-in-every-stor[a-z-]*-[0-9a-f]{7}$/),
      'get-order',
    ]);
    for (const o of consumedOps(store)) expect(o.name.length).toBeLessThanOrEqual(80);
  });

  it('warns, naming the operation and the parameter, for everything it skips', () => {
    const err = runs.get('petstore-30.yaml')!.stderr;
    expect(err).toContain('warning: HEAD /pets (headPets): HEAD operations cannot be described');
    expect(err).toContain('warning: GET /pets/{petId} (getPetById): parameter `verbose` skipped: another parameter of the operation has the same name');
    expect(err).toContain('warning: PUT /pets/{petId}/photo (uploadPetPhoto): skipped: its request body (image/png) is neither JSON nor text');
    expect(err).toContain('warning: GET /store/orders/{id} (getOrderAgain): skipped: it answers the same requests as GET /store/orders/{orderId} (getOrder)');
    expect(runs.get('petstore-30.yaml')!.stdout).toContain('skipped 3 operations and 1 parameter (see the warnings); 4 warnings.');
    const pets = readFileSync(join(outOf('petstore-30.yaml'), 'petstore-pets.yaml'), 'utf8');
    for (const skipped of ['headPets', 'head-pets']) expect(pets).not.toContain(skipped);
  });

  it('3.1 JSON: type arrays, local $refs (chains, description siblings, schemas), basic auth, an untagged operation without operationId', () => {
    const dir = outOf('inventory-31.json');
    expect(readdirSync(dir).sort()).toEqual(['inventory-items-stock.yaml', 'inventory.yaml']);
    const items = load(join(dir, 'inventory-items-stock.yaml'));
    expect(items.capability.consumes[0].baseUri).toBe('https://inventory.example.com/api');
    expect(items.capability.consumes[0].authentication).toEqual({ type: 'basic', username: '{{env.INVENTORY_USERNAME}}', password: '{{env.INVENTORY_PASSWORD}}' });
    expect(items.binds[0].keys).toEqual({ INVENTORY_USERNAME: 'INVENTORY_USERNAME', INVENTORY_PASSWORD: 'INVENTORY_PASSWORD' });
    const list = tools(items).find((t: Doc) => t.name === 'list-items');
    expect(list.inputParameters.map((p: Doc) => [p.name, p.type])).toEqual([
      ['minQuantity', 'integer'],
      ['sku', 'string'],
      ['price', 'number'],
      ['anything', 'string'],
      ['warehouse', 'string'],
    ]);
    expect(list.inputParameters[4]).toMatchObject({ description: 'The warehouse, as this operation describes it.', enum: ['north', 'south'] });
    const del = tools(items).find((t: Doc) => t.name === 'delete-item');
    expect(del.description).toBe('Deletes one item. No summary here, only a description.');
    expect(del.inputParameters).toEqual([{ name: 'itemId', type: 'string', description: 'The {itemId} segment of the path.', required: true, format: 'uuid' }]);
    expect(tools(items).find((t: Doc) => t.name === 'create-item').inputParameters.map((p: Doc) => p.name)).toEqual(['sku', 'tags']);
    const ping = load(join(dir, 'inventory.yaml'));
    expect(consumedOps(ping).map((o) => [o.name, o.method, o.path])).toEqual([['get-ping', 'GET', '/ping']]);
    expect(tools(ping)[0].description).toBe('GET /ping');
  });

  it('maps each security scheme kind to authentication and bound secrets', () => {
    const cap = (fixture: string): Doc => {
      const dir = outOf(fixture);
      return load(join(dir, readdirSync(dir)[0]!));
    };
    const header = cap('auth-apikey-header.yaml');
    expect(header.capability.consumes[0].authentication).toEqual({ type: 'apikey', key: 'X-API-Key', value: '{{env.AUTH_APIKEY_HEADER_API_KEY}}', placement: 'header' });
    expect(header.binds[0].keys).toEqual({ AUTH_APIKEY_HEADER_API_KEY: 'AUTH_APIKEY_HEADER_API_KEY' });
    expect(cap('auth-apikey-query.yaml').capability.consumes[0].authentication).toEqual({
      type: 'apikey',
      key: 'api_key',
      value: '{{env.AUTH_APIKEY_QUERY_API_KEY}}',
      placement: 'query',
    });
    for (const [fixture, variable] of [
      ['auth-oauth2.yaml', 'AUTH_OAUTH2_TOKEN'],
      ['auth-openidconnect.yaml', 'AUTH_OPENID_CONNECT_TOKEN'],
    ] as const) {
      const c = cap(fixture);
      expect(c.capability.consumes[0].authentication).toEqual({ type: 'bearer', token: `{{env.${variable}}}` });
      expect(c.binds[0].keys).toEqual({ [variable]: variable });
      expect(runs.get(fixture)!.stderr).toContain(`becomes a bearer token read from ${variable}`);
    }
    // A cookie key (that `apikey` cannot place) is a consumes-level cookie parameter; a second scheme required with it is the authentication.
    const cookie = cap('auth-apikey-cookie.yaml');
    expect(cookie.capability.consumes[0].inputParameters).toEqual([{ name: 'SESSION', in: 'cookie', value: '{{env.AUTH_APIKEY_COOKIE_SESSION}}' }]);
    expect(cookie.capability.consumes[0].authentication).toEqual({ type: 'apikey', key: 'X-App-Id', value: '{{env.AUTH_APIKEY_COOKIE_API_KEY}}', placement: 'header' });
    expect(cookie.binds[0].keys).toEqual({ AUTH_APIKEY_COOKIE_SESSION: 'AUTH_APIKEY_COOKIE_SESSION', AUTH_APIKEY_COOKIE_API_KEY: 'AUTH_APIKEY_COOKIE_API_KEY' });
    expect(runs.get('auth-apikey-cookie.yaml')!.stderr).toContain('is a cookie, which `apikey` authentication cannot send; it is sent as the cookie `SESSION`');
    expect(runs.get('auth-apikey-cookie.yaml')!.stderr).toContain('the alternative apiKey is not');
    // No strict counterpart: no authentication, no binds, a warning.
    const digest = cap('auth-digest.yaml');
    expect(digest.capability.consumes[0].authentication).toBeUndefined();
    expect(digest.binds).toBeUndefined();
    expect(runs.get('auth-digest.yaml')!.stderr).toContain('warning: security: the http digest scheme `digest` has no counterpart');
  });

  it('every capability imported with --strict validates under --strict with zero findings; without, only the input constraints and names as the API spells them relax the schema; all build and type-check (one ts-morph pass)', async () => {
    const strictRoot = join(root, 'strict');
    for (const fixture of IMPORTABLE) {
      const r = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', '--strict', FIXTURES + fixture, '--out', join(strictRoot, fixture));
      expect(r.code, r.stderr).toBe(0);
    }
    const strictSpecs = IMPORTABLE.map((f) => join(strictRoot, f));
    const strict = await runCli('validate', '--strict', ...strictSpecs);
    const files = strictSpecs.flatMap((d) => readdirSync(d)).length;
    expect(strict.stdout.trim().split('\n').at(-1)).toBe(`${files} files checked: ${files} valid, 0 invalid; 0 errors, 0 warnings.`);
    expect(strict.code).toBe(0);
    // Under --strict, enums and defaults are described in words instead, and names outside the official pattern are skipped.
    const strictRun = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', '--strict', FIXTURES + 'petstore-30.yaml', '--out', join(strictRoot, 'again'));
    for (const skipped of ['filter[status]', '$select', 'page.size']) {
      expect(strictRun.stderr).toContain(`naftiko-gen: warning: GET /pets (listPets): parameter \`${skipped}\` skipped: its name cannot be written in a capability under --strict`);
    }
    const strictPets = load(join(strictRoot, 'petstore-30.yaml', 'petstore-pets.yaml'));
    const status = restOps(strictPets).find((o) => o.name === 'list-pets').inputParameters[2];
    expect(status).toEqual({ name: 'status', in: 'query', type: 'string', description: 'The status query parameter. One of: available, pending, sold. Default: available.' });

    const specs = IMPORTABLE.map(outOf);
    const relaxed = await runCli('validate', ...specs);
    expect(relaxed.code, relaxed.stdout).toBe(0);
    const rules = new Set([...relaxed.stdout.matchAll(/: (?:warning|error|info) ([a-z-]+):/g)].map((m) => m[1]));
    expect([...rules].sort()).toEqual(['relaxed-input-constraints', 'relaxed-name-pattern']);
    expect(relaxed.stdout).toContain('inputs carry JSON Schema keywords');

    // The relaxed ones carry more (the constraints' zod code), so they are the ones built and type-checked.
    const projects = join(root, 'projects');
    const built = await runCli('build', ...specs, '--out', projects);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const dirsBuilt = readdirSync(projects).map((d) => join(projects, d));
    expect(dirsBuilt).toHaveLength(files);
    expect(typecheckProjects(dirsBuilt)).toEqual([]);
  }, 120_000);

  it('never fails as a whole: an operation that needs a reference outside the file is skipped, a reference nothing uses is never read', async () => {
    const dir = tmp('import-openapi-remote');
    const r = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'remote-ref.yaml', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: GET /things (listThings): skipped: the reference `common.yaml#/components/parameters/Limit`');
    expect(r.stderr).toContain('is outside this file');
    expect(r.stderr).not.toContain('policies.yaml');
    const cap = load(join(dir, 'remote-ref.yaml'));
    expect(consumedOps(cap).map((o) => o.name)).toEqual(['get-thing']);
    expect(tools(cap)[0].inputParameters).toEqual([{ name: 'thingId', type: 'integer', description: 'The {thingId} segment of the path.', required: true }]);
  });

  it('--group none makes one capability for the whole API, --group path one per first path segment; the default --out is capabilities/', async () => {
    const dir = tmp('import-openapi-groups');
    const none = runBin(['import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--group', 'none'], dir);
    expect(none.code, none.stderr).toBe(0);
    expect(readdirSync(join(dir, 'capabilities'))).toEqual(['petstore.yaml']);
    const whole = load(join(dir, 'capabilities', 'petstore.yaml'));
    // 15 operations: HEAD, a binary body and a route clash skipped.
    expect(tools(whole)).toHaveLength(12);
    expect(whole.info.tags).toEqual(['Petstore API']);
    expect(none.stdout).toContain('capabilities/petstore.yaml: all its operations, 12 operations');
    const byPath = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--group', 'path', '--out', join(dir, 'by-path'));
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(readdirSync(join(dir, 'by-path')).sort()).toEqual(['petstore-health.yaml', 'petstore-pets.yaml', 'petstore-store.yaml']);
    expect(load(join(dir, 'by-path', 'petstore-store.yaml')).info.description).toContain('(the operations under /store)');
    const bad = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--group', 'tags', '--out', join(dir, 'x'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--group');
    const tagged = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--group', 'none', '--tag', 'pets', '--out', join(dir, 'y'));
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toContain('--tag selects capabilities made per tag');
  });

  it('validate and build given an OpenAPI or Swagger document say so and point at import openapi, instead of asking for a version', async () => {
    const v = await runCli('validate', FIXTURES + 'petstore-30.yaml');
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('error openapi-document: This is an OpenAPI 3.0.3 document, not a Naftiko capability.');
    expect(v.stdout).toContain(`hint: This is an OpenAPI document: run \`naftiko-gen import openapi ${FIXTURES}petstore-30.yaml\``);
    expect(v.stdout).not.toContain('naftiko: 1.0.0');
    const dir = tmp('import-openapi-build-openapi');
    const b = await runCli('build', FIXTURES + 'swagger-2.yaml', '--out', dir);
    expect(b.code).not.toBe(0);
    expect(b.stdout + b.stderr).toContain('This is a Swagger 2.0 (OpenAPI 2) document, not a Naftiko capability.');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives servers that call the API as its OpenAPI document says (REST and MCP, against a fake upstream)', async () => {
    const upstream = await startFakeUpstream();
    const project = await buildProject('import-openapi-e2e', { spec: join(outOf('petstore-30.yaml'), 'petstore-pets.yaml') });
    try {
      const server = await startServer(
        project,
        cleanEnv({
          PETSTORE_TOKEN: 'tok',
          PETSTORE_PETS_BASE_URI: `${upstream.url}/v2`,
          PETSTORE_PETS_REST_PORT: '0',
          PETSTORE_PETS_REST_HOST: '127.0.0.1',
          PETSTORE_PETS_MCP_PORT: '0',
        }),
        2,
      );
      const got = await request(server.restUrl(), 'GET', '/pets/12?verbose=true&page-size=3', { headers: { 'x-request-id': 'r1' } });
      expect(got.status, got.text).toBe(200);
      expect(upstream.last()).toMatchObject({ method: 'GET', path: '/v2/pets/12', query: 'page-size=3&verbose=true' });
      expect(upstream.last().headers).toMatchObject({ authorization: 'Bearer tok', 'x-request-id': 'r1' });
      // The REST body is the whole JSON body, as in the API.
      const created = await request(server.restUrl(), 'POST', '/pets?traceId=t', { headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}' });
      expect(created.status, created.text).toBe(200);
      expect(upstream.last()).toMatchObject({ method: 'POST', url: '/v2/pets?traceId=t', body: '{"name":"rex"}' });
      const client = await connectMcpHttp(`${server.mcpUrl()}/mcp`);
      try {
        const listed = await client.listTools();
        expect(listed.tools.find((t) => t.name === 'delete-pet')?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
        const r = await client.callTool({ name: 'get-pet-by-id', arguments: { petId: 7, session_hint: 'abc', 'X-Request-Id': 'r2' } });
        expect(r.isError, JSON.stringify(r)).toBeFalsy();
        expect(upstream.last()).toMatchObject({ method: 'GET', path: '/v2/pets/7' });
        expect(upstream.last().headers).toMatchObject({ cookie: 'session_hint=abc', 'x-request-id': 'r2' });
        const bulk = await client.callTool({ name: 'create-pets-in-bulk', arguments: { body: [{ name: 'a' }, { name: 'b' }] } });
        expect(bulk.isError, JSON.stringify(bulk)).toBeFalsy();
        expect(upstream.last()).toMatchObject({ method: 'POST', path: '/v2/pets/bulk', body: '[{"name":"a"},{"name":"b"}]' });
      } finally {
        await client.close();
      }
      await server.stop();
    } finally {
      await upstream.stop();
      project.remove();
    }
  }, 120_000);

  it('is deterministic: the same document gives the same bytes', async () => {
    const again = tmp('import-openapi-again');
    for (const fixture of ['petstore-30.yaml', 'inventory-31.json']) {
      expect((await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + fixture, '--out', join(again, fixture))).code).toBe(0);
      expect(readTree(join(again, fixture))).toEqual(readTree(outOf(fixture)));
    }
  });

  it('--tag selects tags by name or slug (repeatable); an unknown tag exits 2 listing the known ones', async () => {
    const dir = tmp('import-openapi-tags');
    const one = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', join(dir, 'one'), '--tag', 'store');
    expect(one.code, one.stderr).toBe(0);
    expect(readdirSync(join(dir, 'one'))).toEqual(['petstore-store.yaml']);
    // Warnings about the tags that were not imported are not printed.
    expect(one.stderr).not.toContain('listPets');
    const two = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'inventory-31.json', '--out', join(dir, 'two'), '--tag', 'items-stock');
    expect(two.code, two.stderr).toBe(0);
    expect(readdirSync(join(dir, 'two'))).toEqual(['inventory-items-stock.yaml']);
    const both = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', join(dir, 'both'), '--tag', 'pets', '--tag', 'store');
    expect(readdirSync(join(dir, 'both')).sort()).toEqual(['petstore-pets.yaml', 'petstore-store.yaml']);
    expect(both.code).toBe(0);
    const unknown = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', join(dir, 'unknown'), '--tag', 'dogs');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no tag `dogs`; the tags with operations are: pets, store');
    expect(existsSync(join(dir, 'unknown'))).toBe(false);
    const empty = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', join(dir, 'empty'), '--tag', 'declared-but-empty');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the tag `declared-but-empty` has no operations of its own');
  });

  it('refuses to overwrite existing files unless --force, and then writes nothing at all', async () => {
    const dir = tmp('import-openapi-force');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'petstore-store.yaml'), 'mine\n');
    const refused = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`1 file already exists: ${join(dir, 'petstore-store.yaml')}`);
    expect(refused.stderr).toContain('--force');
    expect(refused.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['petstore-store.yaml']);
    expect(readFileSync(join(dir, 'petstore-store.yaml'), 'utf8')).toBe('mine\n');
    const forced = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'petstore-30.yaml', '--out', dir, '--force');
    expect(forced.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['petstore-pets.yaml', 'petstore-store.yaml', 'petstore.yaml']);
    expect(readFileSync(join(dir, 'petstore-store.yaml'), 'utf8')).toBe(readFileSync(join(outOf('petstore-30.yaml'), 'petstore-store.yaml'), 'utf8'));
  });

  it('refuses what it cannot import with exit 2 and one clear message, never a stack trace', async () => {
    const dir = tmp('import-openapi-refusals');
    const cases: Array<[args: string[], message: string]> = [
      [[FIXTURES + 'swagger-2.yaml'], 'is a Swagger 2.0 document; naftiko-gen imports OpenAPI 3.0 and 3.1 only'],
      [[FIXTURES + 'relative-server.yaml'], 'the server URL `/api/v1` is relative, so the API\'s host is unknown; pass --base-uri'],
      [[FIXTURES + 'ref-cycle.yaml'], 'is part of a cycle: #/components/parameters/A → #/components/parameters/B → #/components/parameters/A'],
      [[FIXTURES + 'broken.yaml'], 'broken.yaml:3:8 is not valid YAML'],
      [[FIXTURES + 'missing.yaml'], 'cannot read'],
      [[FIXTURES], 'it is a folder'],
      [[FIXTURES + 'relative-server.yaml', '--base-uri', 'ftp://files.example.com'], '--base-uri `ftp://files.example.com` is not an http:// or https:// URL'],
      [[FIXTURES + 'relative-server.yaml', '--base-uri', 'https://api.example.com/{version}'], 'cannot be a base URI'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', ...args, '--out', dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr.split('\n'), args.join(' ')).toHaveLength(1);
      noStackTrace(r);
    }
    expect(readdirSync(dir)).toEqual([]);
    // With --base-uri, the relative server is no obstacle (a trailing slash is dropped).
    const based = await runCli('import', 'openapi', '--spec-version', 'naftiko:1.0.0-alpha2', FIXTURES + 'relative-server.yaml', '--out', dir, '--base-uri', 'https://api.example.com/v1/');
    expect(based.code, based.stderr).toBe(0);
    expect(load(join(dir, 'relative-server-things.yaml')).capability.consumes[0].baseUri).toBe('https://api.example.com/v1');
    // The real process exits 2 as well.
    const bin = runBin(['import', 'openapi', FIXTURES + 'swagger-2.yaml', '--out', dir]);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toContain('Swagger 2.0');
  });
});

describeWithShared('naftiko-gen import openapi of the Qovery document (../shared/reference/qovery-openapi.yaml)', () => {
  it('with --strict, gives 94 capabilities that validate under --strict with zero findings, build and type-check, with the consumed (method, path) pairs of the 94 published conversions', async () => {
    const out = tmp('import-openapi-qovery');
    const imported = await runCli('import', 'openapi', '--strict', '--spec-version', 'naftiko:1.0.0-alpha2', QOVERY_OPENAPI, '--out', join(out, 'capabilities'));
    expect(imported.code, imported.stderr).toBe(0);
    const files = readdirSync(join(out, 'capabilities')).sort();
    expect(files).toHaveLength(94);
    expect(imported.stdout).toContain('94 capabilities written to');
    expect(imported.stdout).toContain('508 operations, base URI https://api.qovery.com, authentication from bearerAuth;');

    const strict = await runCli('validate', '--strict', join(out, 'capabilities'));
    expect(strict.stdout.trim()).toBe('94 files checked: 94 valid, 0 invalid; 0 errors, 0 warnings.');
    const built = await runCli('build', '--strict', join(out, 'capabilities'), '--out', join(out, 'projects'));
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const projects = readdirSync(join(out, 'projects')).map((d) => join(out, 'projects', d));
    expect(projects).toHaveLength(94);
    expect(typecheckProjects(projects)).toEqual([]);

    // The published conversions are named qovery-<tag slug>.yaml, and the untagged operations are in qovery-general.yaml;
    // each names its tag as the second of info.tags. Ours: the same names, except qovery.yaml for the untagged ones.
    const pairs = (cap: Doc): string[] =>
      cap.capability.consumes
        .flatMap((c: Doc) => c.resources.flatMap((r: Doc) => r.operations.map((o: Doc) => `${o.method ?? 'GET'} ${r.path}`)))
        .sort();
    const ours = new Map(files.map((f) => [f, load(join(out, 'capabilities', f))]));
    const published = corpusFiles();
    expect(published).toHaveLength(94);
    const differences: string[] = [];
    for (const file of published) {
      const theirs = load(file);
      const name = file.slice(CORPUS_DIR.length);
      const mine = ours.get(name === 'qovery-general.yaml' ? 'qovery.yaml' : name);
      if (!mine) {
        differences.push(`${name}: no imported capability of that name`);
        continue;
      }
      expect(mine.info.tags[1], name).toBe(theirs.info.tags[1]);
      const a = pairs(theirs);
      const b = pairs(mine);
      const missing = a.filter((p) => !b.includes(p));
      const extra = b.filter((p) => !a.includes(p));
      if (missing.length > 0 || extra.length > 0) differences.push(`${name}: missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`);
    }
    expect(differences).toEqual([]);
  }, 180_000);
});
