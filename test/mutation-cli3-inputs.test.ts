/**
 * Spec arguments and the configuration file, third pass (src/cli/expand-inputs.ts, config-file.ts):
 * the glob details a Stryker run of part `cli` found untested. A class holding `]` after another `]`,
 * a backslash or a `!`; `.`/`..` segments; a trailing slash; a segment before the last one matches
 * folders only; a folder's files in JavaScript's sort order; a folder that cannot be listed; a JSON
 * configuration read as JSON, and its parser's message in full. StrykerJS runs this file for the
 * `cli` part (MUTATION_TESTS=cli).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// A folder named `unlistable` exists but cannot be listed (as for a user without read permission;
// the tests may run as root, who reads every folder): the real readdirSync otherwise.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((path: string, ...rest: unknown[]) => {
    if (String(path).endsWith('unlistable')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
    return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readdirSync }, readdirSync };
});

const { ConfigFileError, loadProjectConfig } = await import('../src/cli/config-file.js');
const { expandGlob, expandSpecs } = await import('../src/cli/expand-inputs.js');
const { tempFolders } = await import('./helpers/capture.js');

const folder = tempFolders('mutation-cli3-inputs-');

describe('globs: the details', () => {
  it('a class after a `]`, a class with a backslash, and `[!…]` that matches `!` itself', () => {
    const dir = folder({ 'x]a.yaml': '', 'x]c.yaml': '', '\\.yaml': '', 'q.yaml': '', '!.yaml': '', 'a.yaml': '' });
    const names = (pattern: string): string[] => expandGlob(join(dir, pattern)).map((p) => p.slice(dir.length + 1));
    // `]` outside a class is an ordinary character; the class after it is a class.
    expect(names('x][ab].yaml')).toEqual(['x]a.yaml']);
    // A backslash escapes the character after it, inside a class too (picomatch's rule): `[\q]` is `q` alone.
    expect(names('[\\q].yaml')).toEqual(['q.yaml']);
    // `[!a]` is every character but `a`: `!` included.
    expect(names('[!a].yaml')).toEqual(['!.yaml', '\\.yaml', 'q.yaml']);
  });

  it('`.` and `..` segments name folders as a path does; a trailing slash changes nothing', () => {
    const dir = folder({ 'specs/a.yaml': '', 'specs/b.yaml': '', 'other/c.yaml': '' });
    expect(expandGlob(`${dir}/other/../specs/*.yaml`)).toEqual([join(dir, 'specs/a.yaml'), join(dir, 'specs/b.yaml')]);
    expect(expandGlob(`${dir}/specs/./[a].yaml`)).toEqual([join(dir, 'specs/a.yaml')]);
    expect(expandGlob(`${dir}/specs/*.yaml/`)).toEqual([join(dir, 'specs/a.yaml'), join(dir, 'specs/b.yaml')]);
  });

  it('a segment before the last matches folders only: `dir/*/**` gives the files below dir\'s folders, none directly in dir', () => {
    const dir = folder({ 'top.yaml': '', 'sub/deep.yaml': '' });
    // A trailing `**` takes every file below (as in bash's globstar and fast-glob).
    expect(expandGlob(`${dir}/*/**`)).toEqual([join(dir, 'sub/deep.yaml')]);
    expect(expandGlob(`${dir}/*/**/*.yaml`)).toEqual([join(dir, 'sub/deep.yaml')]);
  });

  it("a folder's files come in JavaScript's order (UTF-16 code units), whatever order the file system lists them in", () => {
    // U+1F600 is a surrogate pair (0xD83D…), which sorts before U+FF41 in UTF-16 but after it in UTF-8.
    const dir = folder({ 'ａ.yaml': '', '😀.yaml': '', 'b.yaml': '' });
    expect(expandSpecs([dir])).toEqual([join(dir, 'b.yaml'), join(dir, '😀.yaml'), join(dir, 'ａ.yaml')]);
  });

  it('a folder that cannot be listed matches nothing', () => {
    const dir = folder({});
    mkdirSync(join(dir, 'unlistable'));
    expect(expandGlob(`${dir}/unlistable/*`)).toEqual([]);
    expect(() => expandSpecs([`${dir}/unlistable/*.yaml`])).toThrow(`no capability file matches ${dir}/unlistable/*.yaml`);
  });
});

describe('globs through tinyglobby: what naftiko-gen asks of it', () => {
  it('a `*` names a folder without taking its files; a linked folder is followed', () => {
    const dir = folder({ 'a.yaml': '', 'sub/s.yaml': '' });
    expect(expandGlob(`${dir}/*`)).toEqual([join(dir, 'a.yaml')]);
    expect(expandGlob(`${dir}/su?`)).toEqual([]);
    symlinkSync(join(dir, 'sub'), join(dir, 'link'));
    expect(expandGlob(`${dir}/**/*.yaml`)).toEqual([join(dir, 'a.yaml'), join(dir, 'link/s.yaml'), join(dir, 'sub/s.yaml')]);
  });

  it('below a `**`, projects naftiko-gen generated are left out, but not the folder the pattern starts from', () => {
    const dir = folder({ 'proj/.naftiko-gen.json': '{}', 'proj/a.yaml': '', 'proj/inner/.naftiko-gen.json': '{}', 'proj/inner/compose.yaml': '' });
    expect(expandGlob(`${dir}/proj/**/*.yaml`)).toEqual([join(dir, 'proj/a.yaml')]);
    // From the current folder too: the committed examples' generated projects hold a compose.yaml each.
    expect(expandGlob('examples/qovery/generated/compose.yaml')).toEqual(['examples/qovery/generated/compose.yaml']);
    expect(expandGlob('**/compose.yaml').filter((f) => f.startsWith('examples/'))).toEqual([]);
  });

  it("matches come in JavaScript's order (UTF-16 code units), whatever order the file system lists them in", () => {
    const dir = folder({ 'ａ.yaml': '', '😀.yaml': '', 'b.yaml': '' });
    expect(expandGlob(`${dir}/*.yaml`)).toEqual([join(dir, 'b.yaml'), join(dir, '😀.yaml'), join(dir, 'ａ.yaml')]);
  });

  it('a folder given as such that cannot be listed holds no capability file', () => {
    const dir = folder({});
    mkdirSync(join(dir, 'unlistable'));
    expect(() => expandSpecs([join(dir, 'unlistable')])).toThrow(`the folder ${join(dir, 'unlistable')} holds no .yaml or .yml file`);
  });
});

describe('globs relative to the current folder', () => {
  // The current folder is the repository (or Stryker's copy of it): read here, never written.
  it('a leading ** searches the current folder and every folder below it, hidden ones left out', () => {
    expect(expandGlob('**/call-missing.yaml')).toEqual(['test/fixtures/broken/call-missing.yaml']);
    expect(expandSpecs(['**/broken/[ce]*.yaml'])).toEqual(['test/fixtures/broken/call-missing.yaml', 'test/fixtures/broken/empty.yaml']);
  });
});

describe('the configuration file: read with the parser its name says', () => {
  it('a broken JSON file is reported with the JSON parser own words, the first line of a YAML error only', () => {
    const json = folder({ 'naftiko-gen.config.json': '{"specs": [}' });
    expect(() => loadProjectConfig(json)).toThrow(ConfigFileError);
    expect(() => loadProjectConfig(json)).toThrow(/^naftiko-gen\.config\.json cannot be read: Unexpected token '\}', .* is not valid JSON$/);
    const yaml = folder({ 'naftiko-gen.config.yaml': 'specs: [a.yaml\nout: x\n' });
    let message = '';
    try {
      loadProjectConfig(yaml);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^naftiko-gen\.config\.yaml cannot be read: \S.{20,}$/);
    expect(message).not.toContain('\n');
  });

  it('a JSON file with a key twice keeps the last, as JSON does (YAML would refuse it)', () => {
    const dir = folder({ 'naftiko-gen.config.json': '{"specs": "a.yaml", "specs": "b.yaml"}' });
    expect(loadProjectConfig(dir)).toStrictEqual({ file: 'naftiko-gen.config.json', specs: ['b.yaml'] });
  });
});

it('(the mocked folder check) a glob whose folders can be listed still works beside it', () => {
  const dir = folder({ 'a.yaml': '' });
  writeFileSync(join(dir, 'b.yml'), '');
  expect(expandSpecs([`${dir}/*.y*ml`])).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yml')]);
});
