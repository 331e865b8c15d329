import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { scratch } from './helpers/output.js';
import { corpusFiles, describeWithShared, REPO } from './helpers/shared.js';
import { typecheckProjects } from './helpers/typecheck.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

it('the committed examples and the weather fixture type-check with zero errors', async () => {
  const out = scratch('typecheck-fixtures');
  dirs.push(out);
  expect((await runCli('build', join(REPO, 'test/fixtures/valid/weather.yaml'), '--out', join(out, 'weather'))).code).toBe(0);
  expect(typecheckProjects([join(REPO, 'examples/qovery/generated'), join(REPO, 'examples/harbour-crew/generated'), join(out, 'weather')])).toEqual([]);
});

describeWithShared('every Qovery capability builds into a project that type-checks', () => {
  it('builds all 94 in one call and type-checks them with zero errors', async () => {
    const out = scratch('typecheck-corpus');
    dirs.push(out);
    const r = await runCli('build', '--out', out, ...corpusFiles());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const projects = readdirSync(out).map((d) => join(out, d));
    expect(projects).toHaveLength(94);
    expect(typecheckProjects(projects)).toEqual([]);
  }, 300_000);
});
