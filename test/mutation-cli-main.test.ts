/**
 * The command line's wiring (src/cli/main.ts), run in process with its output captured: each command
 * gets its flags and their defaults, usage errors exit 2 with a pointer to --help, --help and
 * --version exit 0, an unexpected failure is reported as a bug (exit 2), never a stack trace alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { capture, tempFolders } from './helpers/capture.js';
import { WEATHER } from './helpers/fixtures.js';
import { REPO } from './helpers/shared.js';

const folder = tempFolders('mutation-cli-main-');
const CONVERTED = readFileSync(`${REPO}test/fixtures/relaxations/converted.yaml`, 'utf8');
const VERSION = (JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as { version: string }).version;

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[]; text: string; help: string }> {
  const io = capture();
  const code = await main(['node', 'naftiko-gen', ...args], io);
  // Help as one line: commander wraps it at the terminal's width.
  return { code, out: io.stdout, err: io.stderr, text: io.text(), help: io.text().replace(/\s+/g, ' ') };
}

describe('the program', () => {
  it('--version prints the package version; --help lists every command; both exit 0', async () => {
    for (const flag of ['--version', '-V']) expect(await cli(flag)).toMatchObject({ code: 0, out: [VERSION], err: [] });
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.err).toEqual([]);
    expect(help.help).toMatch(/^Usage: naftiko-gen \[options\] \[command\] Validate Naftiko capabilities and compile them/);
    for (const command of ['validate [options] [spec...] Check', 'build [options] [spec...] Validate', 'init [options] <name> Write', 'schema [options] Print', 'rules [options] List', 'import Write', 'migrate [options] <spec...> Rewrite']) {
      expect(help.help).toContain(` ${command} `);
    }
    // No trailing newline kept: the Output adds its own.
    expect(help.out.every((l) => !l.endsWith('\n'))).toBe(true);
    // The program's name is its own, whatever the script is called.
    const io = capture();
    expect(await main(['node', '/somewhere/other-name.js', '--help'], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^Usage: naftiko-gen \[options\] \[command\]/);
  });

  it('a usage error exits 2 with commander\'s message and a pointer to --help', async () => {
    for (const args of [['nope'], ['build', '--nope'], ['validate', '--format', 'xml'], ['init'], ['init', 'x', '--auth', 'oauth'], ['import', 'openapi', 'x.yaml', '--group', 'verb'], ['migrate']]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err[0], args.join(' ')).toMatch(/^error: /);
      expect(r.err.at(-1)).toBe('(run naftiko-gen --help for usage)');
      expect(r.out).toEqual([]);
    }
  });

  it('an unexpected failure is reported as a bug, exit 2', async () => {
    const err: string[] = [];
    const code = await main(['node', 'naftiko-gen', 'rules'], {
      out: () => {
        throw new Error('the disk is on fire');
      },
      err: (t) => err.push(t),
    });
    expect(code).toBe(2);
    expect(err).toEqual(['naftiko-gen: internal error: the disk is on fire', 'This is a bug in naftiko-gen; please report it with the capability that caused it.']);
  });
});

describe('each command gets its flags', () => {
  it('help: every option has its description, choices and defaults, and the exit codes are explained', async () => {
    const expectations: Array<[string[], RegExp[]]> = [
      [['validate'], [/ \[spec\.\.\.\] Check /, /spec capability files \(YAML\), folders or quoted globs \(default: the specs of naftiko-gen\.config\.json \(or \.yaml\) in the current folder\)/, / --strict treat /, /--format <format> output format \(choices: "text", "json", default: "text"\)/, /-q, --quiet print errors only/, /Exit codes: 0 every capability is valid \(warnings allowed\), 1 a capability is invalid, 2 usage or I\/O error\./]],
      [
        ['build'],
        [
          / \[spec\.\.\.\] Validate /,
          /spec capability files \(YAML\), folders or quoted globs \(default: the specs of naftiko-gen\.config\.json/,
          /display help for command\n\nSpecs are files, folders .*\nWithout specs, .*\nExit codes: 0 built/,
          /-o, --out <dir> project folder/,
          /--check write nothing/,
          / --strict treat /,
          /--format <format> output format \(choices: "text", "json", default: "text"\)/,
          /-q, --quiet print only failures/,
          /-w, --watch build, then rebuild/,
          /Specs are files, folders/,
          /Without specs, they come from naftiko-gen\.config\.json \(or \.yaml\) in the current folder: \{"specs": \[\.\.\.\], "out": "\.\.\.", "strict": false\}; flags win over it\./,
          /Exit codes: 0 built/,
        ],
      ],
      [['init'], [/ <name> Write /, /name capability name/, /-o, --out <dir> folder/, /--base-uri <uri> base URI .*\(default: "https:\/\/api\.example\.com"\)/, /--auth <kind> how .*\(choices: "none", "bearer", "basic", "apikey", default: "bearer"\)/, /--adapters <list> what .*\(default: "rest,mcp"\)/, /--force replace/, /--spec-version <version> version/]],
      [['schema'], [/\[options\] Print /, /--version <version> the spec version/, /Example: naftiko-gen schema --version/]],
      [['rules'], [/\[options\] List /, /--format <format> text or json \(default: "text"\)/]],
      [
        ['import', 'openapi'],
        [/ <file> Write /, /file the OpenAPI document/, /--tag <tag> import/, /--group <by> one .*\(choices: "tag", "path", "none", default: "tag"\)/, /-o, --out <dir> folder .*\(default: "capabilities"\)/, /--base-uri <uri> the/, /--strict write only/, /--force replace/, /--spec-version <version> version/, /Files: <out>\/<document>-<tag>\.yaml.*Exit codes: 0 written/],
      ],
      [['migrate'], [/ <spec\.\.\.> Rewrite /, /spec capability files/, /--to <version> target/, /--write write/, /--strict also rewrite/, /A file already at the target version is left as it is\. Exit codes: 0 done/]],
    ];
    for (const [command, patterns] of expectations) {
      const r = await cli(...command, '--help');
      expect(r.code).toBe(0);
      // Patterns with a newline are matched on the text as printed; the others on one line.
      for (const p of patterns) expect(p.source.includes('\\n') ? r.text : r.help, `${command.join(' ')} --help`).toMatch(p);
    }
    expect((await cli('import', '--help')).help).toMatch(/openapi \[options\] <file> Write capabilities/);
  });

  it('validate: --strict, --format json and --quiet reach the command', async () => {
    const dir = folder({ 'c.yaml': CONVERTED });
    const spec = join(dir, 'c.yaml');
    const plain = await cli('validate', spec);
    expect(plain.code).toBe(0);
    expect(plain.out.at(-1)).toBe('1 file checked: 1 valid, 0 invalid; 0 errors, 3 warnings.');
    const strict = await cli('validate', '--strict', spec);
    expect(strict.code).toBe(1);
    const quiet = await cli('validate', '-q', spec);
    expect(quiet.text).not.toContain('warning relaxed-');
    const json = await cli('validate', '--format', 'json', spec);
    expect(JSON.parse(json.text)).toHaveLength(3);
    const none = await cli('validate');
    expect(none.code).toBe(2);
    expect(none.err).toEqual(['naftiko-gen: no capability given: name spec files, folders or globs, or list them in naftiko-gen.config.json (or .yaml) in the current folder.']);
  });

  it('build: --out, --check, --strict, --quiet, --format; --watch refuses --check and --format json', async () => {
    const dir = folder({ 'c.yaml': CONVERTED });
    const spec = join(dir, 'c.yaml');
    const out = join(dir, 'out');
    expect((await cli('build', spec, '--strict', '-o', out)).code).toBe(1);
    expect(existsSync(out)).toBe(false);
    const built = await cli('build', spec, '--out', out, '-q');
    expect(built.code).toBe(0);
    expect(built.out).toEqual([]);
    expect(existsSync(join(out, 'package.json'))).toBe(true);
    const check = await cli('build', spec, '--out', out, '--check', '--format', 'json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.text).summary.current).toBe(1);
    const text = await cli('build', spec, '--out', out);
    expect(text.out).toEqual([`${out}: unchanged (3 warnings; naftiko-gen validate ${spec} lists them).`]);

    for (const [flags, message] of [
      [['--check'], 'naftiko-gen: --watch prints one line per rebuild; it does not go with --check, which writes nothing.'],
      [['--format', 'json'], 'naftiko-gen: --watch prints one line per rebuild; it does not go with --format json.'],
    ] as const) {
      const r = await cli('build', spec, '--out', out, '--watch', ...flags);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([message]);
    }
    // --watch alone builds, watches, and ends with 0 on SIGINT.
    const io = capture();
    const others = process.listeners('SIGINT');
    others.forEach((l) => process.off('SIGINT', l));
    try {
      const watching = main(['node', 'naftiko-gen', 'build', spec, '--out', out, '--watch'], io);
      for (let i = 0; i < 400 && !io.stdout.some((l) => l.startsWith('watching ')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(io.stdout[0]).toMatch(/^built: 0 built, 1 unchanged, 0 failed; 0 files written, 3 warnings \(\d+ ms\)\.$/);
      process.emit('SIGINT');
      expect(await watching).toBe(0);
      expect(io.stdout.at(-1)).toBe('stopped watching.');
    } finally {
      others.forEach((l) => process.on('SIGINT', l));
    }
    const none = await cli('build');
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^naftiko-gen: no capability given/);
  });

  it('init: the defaults (bearer, rest and mcp, https://api.example.com) and every flag', async () => {
    const dir = folder();
    const r = await cli('init', 'demo', '-o', dir);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'demo.yaml'), 'utf8');
    expect(text).toContain('baseUri: https://api.example.com');
    expect(text).toContain('type: bearer');
    expect(text).toMatch(/type: rest[\s\S]*type: mcp/);
    expect(text).toMatch(/^ikanos: 1\.0\.0-beta5$/m);
    expect((await cli('init', 'demo', '-o', dir)).code).toBe(2);
    const forced = await cli('init', 'demo', '--out', dir, '--force', '--auth', 'apikey', '--adapters', 'mcp', '--base-uri', 'https://other.example', '--spec-version', 'naftiko:1.0.0-alpha2');
    expect(forced.code).toBe(0);
    const again = readFileSync(join(dir, 'demo.yaml'), 'utf8');
    expect(again).toContain('baseUri: https://other.example');
    expect(again).toContain('type: apikey');
    expect(again).not.toContain('type: rest');
    expect(again).toMatch(/^naftiko: 1\.0\.0-alpha2$/m);
  });

  it('schema and rules', async () => {
    const newest = await cli('schema');
    expect(newest.code).toBe(0);
    expect(JSON.parse(newest.text).properties).toHaveProperty('ikanos');
    const old = await cli('schema', '--version', '1.0.0-alpha2');
    expect(JSON.parse(old.text).properties).toHaveProperty('naftiko');
    expect((await cli('schema', '--version', '0.0.1')).code).toBe(2);
    const rules = await cli('rules', '--format', 'json');
    expect(rules.code).toBe(0);
    expect((JSON.parse(rules.text) as Array<{ id: string }>).map((r) => r.id)).toContain('yaml-syntax');
    expect((await cli('rules')).text).toMatch(/^yaml-syntax\b/m);
  });

  it('import openapi: --tag (repeatable), --group, --out, --base-uri, --strict, --force, --spec-version', async () => {
    const dir = folder();
    const petstore = `${REPO}test/fixtures/openapi/petstore-30.yaml`;
    const r = await cli('import', 'openapi', petstore, '--tag', 'store', '--tag', 'pets', '-o', dir, '--base-uri', 'https://p.example', '--strict', '--spec-version', 'naftiko:1.0.0-alpha2');
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toMatch(/^2 capabilities written to .*: 11 operations, base URI https:\/\/p\.example, /);
    expect(readFileSync(join(dir, 'petstore-pets.yaml'), 'utf8')).toMatch(/^naftiko: 1\.0\.0-alpha2$/m);
    expect((await cli('import', 'openapi', petstore, '--tag', 'store', '--out', dir)).code).toBe(2);
    expect((await cli('import', 'openapi', petstore, '--tag', 'store', '--out', dir, '--force')).code).toBe(0);
    const whole = await cli('import', 'openapi', petstore, '--group', 'none', '--out', dir);
    expect(whole.out[0]).toBe(`${join(dir, 'petstore.yaml')}: all its operations, 12 operations`);
  });

  it('migrate: --to, --write, --strict', async () => {
    const dir = folder({ 'w.yaml': WEATHER });
    const file = join(dir, 'w.yaml');
    const dry = await cli('migrate', file, '--to', 'naftiko:1.0.0-alpha3');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('+naftiko: 1.0.0-alpha3');
    expect(dry.err).toEqual(['1 file checked: 1 would change to naftiko 1.0.0-alpha3, 0 left as they are.']);
    const written = await cli('migrate', file, '--write', '--strict');
    expect(written.err).toEqual(['1 file checked: 1 migrated to ikanos 1.0.0-beta5, 0 left as they are.']);
    expect(readFileSync(file, 'utf8')).toMatch(/^ikanos: 1\.0\.0-beta5$/m);
  });
});

// Last in the file: it leaves this module's console output closed, as a closed pipe does.
describe('the console output', () => {
  it('prints to stdout and stderr, a progress line only on a terminal; a closed stdout drops the rest quietly, other stream errors are not swallowed', async () => {
    const dir = folder({ 'a.yaml': WEATHER, 'b.yaml': WEATHER });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const written = (spy: typeof out): unknown[] => spy.mock.calls.map((c) => c[0]);
    try {
      expect(await main(['node', 'naftiko-gen', '--version'])).toBe(0);
      expect(await main(['node', 'naftiko-gen', 'nope'])).toBe(2);
      expect(written(out)).toEqual([`${VERSION}\n`]);
      expect(written(err)).toEqual(["error: unknown command 'nope'\n", '(run naftiko-gen --help for usage)\n']);
      // Not a terminal: no progress line.
      err.mockClear();
      expect(await main(['node', 'naftiko-gen', 'build', dir, '--out', join(dir, 'out'), '-q'])).toBe(0);
      expect(written(err)).toEqual([]);
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      try {
        expect(await main(['node', 'naftiko-gen', 'build', dir, '--out', join(dir, 'out2')])).toBe(0);
      } finally {
        delete (process.stderr as { isTTY?: boolean }).isTTY;
      }
      expect(written(err)).toEqual(['\r\x1b[Kbuilding 1/2', '\r\x1b[K', '\r\x1b[Kbuilding 2/2', '\r\x1b[K', '\r\x1b[K']);

      const failure = (code: string) => Object.assign(new Error(`write ${code}`), { code });
      expect(() => process.stdout.emit('error', failure('EIO'))).toThrow('write EIO');
      expect(() => process.stderr.emit('error', failure('EIO'))).toThrow('write EIO');
      process.stderr.emit('error', failure('EPIPE'));
      process.stdout.emit('error', failure('EPIPE'));
      out.mockClear();
      err.mockClear();
      expect(await main(['node', 'naftiko-gen', '--version'])).toBe(0);
      expect(await main(['node', 'naftiko-gen', 'nope'])).toBe(2);
      expect(written(out)).toEqual([]);
      expect(written(err)).toHaveLength(2);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
