/**
 * `import openapi --group none` on large public documents (../shared/reference): each gives one
 * capability whose server builds and type-checks. All are built in one `build` call and type-checked
 * in one ts-morph program, to keep the cost of these big projects down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, SyntaxKind } from 'ts-morph';
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { parse } from 'yaml';
import { runCli, type CliResult } from './helpers/cli.js';
import { useScratch } from './helpers/output.js';
import { describeWithShared, SHARED } from './helpers/shared.js';
import { typecheckProjects } from './helpers/typecheck.js';
import { NEWEST_VERSION } from '../src/validate/versions.js';

const DOCUMENTS = {
  notion: { file: 'openapi/notion.yaml', capability: 'notion', operations: 19 },
  zoom: { file: 'openapi/zoom.yaml', capability: 'zoom-rest', operations: 93 },
  pagerduty: { file: 'openapi/pagerduty.yaml', capability: 'pagerduty', operations: 337 },
  spotify: { file: 'openapi/spotify.yaml', capability: 'spotify-web', operations: 95 },
  qovery: { file: 'qovery-openapi.yaml', capability: 'qovery', operations: 508 },
} as const;
type Name = keyof typeof DOCUMENTS;

/** The JSON Schema of a generated tool's input, as the MCP SDK lists it: its zod object, evaluated with our zod. */
function toolInputSchema(mcpFile: string, tool: string): Record<string, any> {
  const source = new Project({ useInMemoryFileSystem: true }).createSourceFile('mcp.ts', readFileSync(mcpFile, 'utf8'));
  const call = source
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .find((c) => c.getExpression().getText().endsWith('registerTool') && c.getArguments()[0]?.getText() === `'${tool}'`);
  if (!call) throw new Error(`no registerTool('${tool}') in ${mcpFile}`);
  const options = call.getArguments()[1]!.asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  const inputName = options.getPropertyOrThrow('inputSchema').asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow().getText();
  const zodCode = source.getVariableDeclarationOrThrow(inputName).getInitializerOrThrow().getText();
  const schema = new Function('z', `return (${zodCode});`)(z) as z.ZodType;
  return z.toJSONSchema(schema, { io: 'input' }) as Record<string, any>;
}

describeWithShared('naftiko-gen import openapi --group none of large public documents (../shared/reference)', () => {
  const scratch = useScratch();
  let root = '';
  const imports = new Map<Name, CliResult>();
  let built: CliResult;
  let diagnostics: string[] = [];

  beforeAll(async () => {
    root = scratch('import-openapi-large');
    for (const [name, d] of Object.entries(DOCUMENTS) as Array<[Name, (typeof DOCUMENTS)[Name]]>) {
      imports.set(name, await runCli('import', 'openapi', join(SHARED, 'reference', d.file), '--group', 'none', '--out', join(root, 'capabilities', name)));
    }
    const specs = (Object.keys(DOCUMENTS) as Name[]).map((n) => join(root, 'capabilities', n, `${DOCUMENTS[n].capability}.yaml`));
    built = await runCli('build', ...specs, '--out', join(root, 'projects'));
    if (built.code === 0) diagnostics = typecheckProjects(readdirSync(join(root, 'projects')).map((p) => join(root, 'projects', p)));
  }, 400_000);

  const importsBuildsAndTypeChecks = (name: Name): void => {
    const d = DOCUMENTS[name];
    const r = imports.get(name)!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('internal error');
    expect(readdirSync(join(root, 'capabilities', name))).toEqual([`${d.capability}.yaml`]);
    expect(r.stdout).toContain(`1 capability written to ${join(root, 'capabilities', name)} from `);
    expect(r.stdout).toContain(`: ${d.operations} operations,`);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(built.stdout).toContain(`${join(root, 'projects', d.capability)}: built from`);
    expect(diagnostics.filter((x) => x.includes(`/projects/${d.capability}/`))).toEqual([]);
  };

  it('Notion (OpenAPI 3.1) imports into one capability that builds and type-checks', () => {
    importsBuildsAndTypeChecks('notion');
  });

  it('Zoom (OpenAPI 3.0.1, form bodies) imports into one capability that builds and type-checks', () => {
    importsBuildsAndTypeChecks('zoom');
    // Its form bodies become `in: formData` fields (relaxation relaxed-form-data), typed inputs on the tool.
    const cap = parse(readFileSync(join(root, 'capabilities', 'zoom', 'zoom-rest.yaml'), 'utf8'));
    // Written in the newest version: resources, operations and inputs are maps keyed by name.
    expect(cap.ikanos).toBe(NEWEST_VERSION.version);
    const resources: any[] = Object.values(cap.capability.consumes[0].resources);
    const params = resources.flatMap((r) => Object.values(r.operations).flatMap((o: any) => Object.values(o.inputParameters ?? {})));
    expect(params.some((p: any) => p.in === 'formData')).toBe(true);
  });

  it('PagerDuty (OpenAPI 3.0.2, 1.5 MB) imports into one capability that builds and type-checks', () => {
    importsBuildsAndTypeChecks('pagerduty');
  });

  it('Spotify (OpenAPI 3.0.3, a $ref to another file that no operation uses) imports into one capability that builds and type-checks', () => {
    importsBuildsAndTypeChecks('spotify');
    expect(imports.get('spotify')!.stderr).not.toContain('x-spotify-policy');
  });

  it('Qovery imports into ONE capability whose 508 tools build, type-check, and carry the request bodies\' required fields and enums', () => {
    importsBuildsAndTypeChecks('qovery');
    const cap = parse(readFileSync(join(root, 'capabilities', 'qovery', 'qovery.yaml'), 'utf8'));
    expect(Object.keys(cap.capability.exposes.find((e: any) => e.type === 'mcp').tools)).toHaveLength(508);
    const schema = toolInputSchema(join(root, 'projects', 'qovery', 'src', 'mcp', 'qovery-mcp.ts'), 'create-cluster');
    expect(schema.required).toEqual(['organizationId', 'name', 'region', 'cloud_provider']);
    expect(schema.properties.cloud_provider).toMatchObject({ type: 'string', enum: expect.arrayContaining(['AWS', 'GCP', 'SCW']) });
    expect(schema.properties.kubernetes).toMatchObject({ enum: ['MANAGED', 'SELF_MANAGED', 'PARTIALLY_MANAGED'], default: 'MANAGED' });
    expect(schema.properties.disk_iops).toMatchObject({ type: 'integer', minimum: 3000, maximum: 16000 });
    expect(schema.properties.ssh_keys).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.properties.organizationId).toMatchObject({ type: 'string', format: 'uuid' });
  });
});
