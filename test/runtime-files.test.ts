/** The runtime modules a project gets are found from the imports its generated files print (src/emit/runtime-files.ts). */
import { describe, expect, it } from 'vitest';
import { emitProject } from '../src/emit/emit-project.js';
import { runtimeModules } from '../src/emit/runtime-files.js';
import { validate, WEATHER } from './helpers/fixtures.js';

describe('runtime modules', () => {
  it('follows the imports of the generated files, then those of the runtime modules', () => {
    const modules = runtimeModules(["import { forwardTo } from '../runtime/forward.js';"]);
    // forward.ts imports upstream.ts and rest.ts (types), which import the request plumbing in turn.
    expect(modules).toEqual(expect.arrayContaining(['forward', 'upstream', 'rest', 'ops', 'hooks', 'formats', 'body']));
    expect(modules).not.toContain('mcp');
    expect(modules).not.toContain('shapes');
    expect(runtimeModules(['const x = 1;'])).toEqual([]);
  });

  it('copies into a project exactly the modules its files import, and theirs', () => {
    const files = emitProject(validate(WEATHER).model!);
    const copied = [...files.keys()].flatMap((p) => /^src\/runtime\/([a-z0-9-]+)\.ts$/.exec(p)?.slice(1) ?? []).sort();
    const generated = [...files].filter(([p]) => !p.startsWith('src/runtime/')).map(([, text]) => text);
    expect(copied).toEqual(runtimeModules(generated).sort());
    // The weather capability has no mocks, steps or forwards: their modules stay out.
    expect(copied).not.toContain('steps');
    expect(copied).not.toContain('forward');
    expect(copied).toEqual(expect.arrayContaining(['rest', 'mcp', 'upstream']));
  });
});
