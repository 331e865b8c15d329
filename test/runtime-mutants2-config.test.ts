/**
 * Tests written against the survivors of config.ts (see test/mutation-survivors-runtime.md): secrets
 * files whose names or lines look like something else, and the messages of base URIs that cannot be used.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { baseUriFrom, ConfigError, loadSecrets } from '../templates/runtime/config.js';

const dir = mkdtempSync(join(tmpdir(), 'runtime-mutants2-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const src = (variable: string, source: string, location: string) => ({ variable, source, location });

describe('.env secrets files', () => {
  it('a commented-out line is not read, `export` may be followed by several spaces, quotes are taken off only in pairs', () => {
    writeFileSync(join(dir, 'lines.env'), "TOKEN=real\n# TOKEN=old\nexport  WIDE=w1\nEND=ab\"\nSTART='ab\n");
    expect(loadSecrets([src('T', 'TOKEN', 'lines.env'), src('W', 'WIDE', 'lines.env'), src('E', 'END', 'lines.env'), src('S', 'START', 'lines.env')], {}, { baseDir: dir })).toEqual({
      T: 'real',
      W: 'w1',
      E: 'ab"',
      S: "'ab",
    });
  });

  it('the file type is read from the end of the name only; `file:` only opens a URL', () => {
    writeFileSync(join(dir, 'keys.json.env'), 'K=from-env-file\n');
    writeFileSync(join(dir, 'keys.yaml.env'), 'K=from-env-file-2\n');
    writeFileSync(join(dir, 'my-file:1.env'), 'K=colon\n');
    expect(loadSecrets([src('A', 'K', 'keys.json.env'), src('B', 'K', 'keys.yaml.env'), src('C', 'K', 'my-file:1.env')], {}, { baseDir: dir })).toEqual({
      A: 'from-env-file',
      B: 'from-env-file-2',
      C: 'colon',
    });
  });

  it('a YAML file holding one scalar is not a mapping', () => {
    writeFileSync(join(dir, 'scalar.yaml'), 'just text\n');
    expect(() => loadSecrets([src('A', 'x', 'scalar.yaml')], {}, { baseDir: dir, parseYaml })).toThrow(
      new ConfigError(`the secrets file ${join(dir, 'scalar.yaml')} is not a mapping of keys to values`),
    );
  });
});

describe('base URIs that cannot be used', () => {
  it('a placeholder without its own variable is never filled, whatever the environment holds', () => {
    expect(() => baseUriFrom({ undefined: 'evil' }, 'API_BASE_URI', 'https://{region}.example.com')).toThrow(
      new ConfigError('the base URI https://{region}.example.com needs {region}: set it before starting the server'),
    );
  });

  it('an override set but empty falls back to the capability’s URI, and the message says so', () => {
    expect(() => baseUriFrom({ API_BASE_URI: '' }, 'API_BASE_URI', 'ftp://example.com')).toThrow(new ConfigError('the base URI=ftp://example.com is not an http:// or https:// URL'));
  });
});
