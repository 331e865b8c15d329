/** The `naftiko-gen` command line. Every path ends in an exit code; nothing ends in a bare stack trace. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import type { Output } from './output.js';
import { runValidate } from './validate-command.js';
import { runBuild } from './build-command.js';
import { runInit } from './init-command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const consoleOutput: Output = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  // A counter that rewrites one line of the terminal; nothing at all when stderr is not a terminal.
  progress: (text) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  },
};

export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  let exitCode = 0;
  const program = new Command('naftiko-gen')
    .description('Validate Naftiko capabilities and compile them into standalone TypeScript REST and MCP servers.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run naftiko-gen --help for usage)');

  program
    .command('validate')
    .description('Check capabilities against the Naftiko schema and cross-checks; print one finding per problem.')
    .argument('<spec...>', 'capability files (YAML)')
    .option('--strict', 'treat the relaxations that published capabilities rely on as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'print errors only, not warnings')
    .addHelpText(
      'after',
      '\nExit codes: 0 every capability is valid (warnings allowed), 1 a capability is invalid, 2 usage or I/O error.',
    )
    .action(async (specs: string[], opts: { strict?: boolean; format: 'text' | 'json'; quiet?: boolean }) => {
      exitCode = await runValidate(specs, opts, io);
    });

  program
    .command('build')
    .description('Validate capabilities, then generate a standalone TypeScript project (REST and MCP servers) for each.')
    .argument('<spec...>', 'capability files (YAML)')
    .option('-o, --out <dir>', 'project folder for one spec (default generated/<spec name>); parent folder for several (default generated/)')
    .option('--check', 'write nothing; exit 1 when the project on disk differs from what would be generated')
    .option('--strict', 'treat the relaxations that published capabilities rely on as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'print only failures, stale projects and the summary')
    .addHelpText(
      'after',
      [
        '',
        'Specs are files, folders (every .yaml/.yml file in them) or quoted globs such as \'capabilities/*.yaml\'.',
        'Exit codes: 0 built (or up to date with --check), 1 a capability is invalid or a project is out of date, 2 usage or I/O error.',
      ].join('\n'),
    )
    .action(async (specs: string[], opts: { out?: string; check?: boolean; strict?: boolean; format: 'text' | 'json'; quiet?: boolean }) => {
      exitCode = await runBuild(specs, { ...opts, progress: true }, io);
    });

  program
    .command('init')
    .description('Write <name>.yaml: a new capability that validates and builds, with comments that teach the format.')
    .argument('<name>', 'capability name: lower-case letters, digits and dashes')
    .option('-o, --out <dir>', 'folder to write it in (default: the current folder)')
    .option('--base-uri <uri>', 'base URI of the API it consumes', 'https://api.example.com')
    .addOption(new Option('--auth <kind>', 'how the consumed API authenticates').choices(['none', 'bearer', 'basic', 'apikey']).default('bearer'))
    .option('--adapters <list>', 'what it exposes: rest, mcp or rest,mcp', 'rest,mcp')
    .option('--force', 'replace the file if it exists')
    .action(async (name: string, opts: { out?: string; baseUri: string; auth: 'none' | 'bearer' | 'basic' | 'apikey'; adapters: string; force?: boolean }) => {
      exitCode = await runInit(name, opts, io);
    });

  program
    .command('import')
    .description('Write capabilities from an API description.')
    .command('openapi')
    .description('Write one capability per tag of an OpenAPI 3.0/3.1 document (JSON or YAML); each validates under --strict and builds.')
    .argument('<file>', 'the OpenAPI document')
    .option('--tag <tag>', 'import only this tag (repeatable; its name or slug)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('-o, --out <dir>', 'folder to write the capabilities in (default: the current folder)')
    .option('--base-uri <uri>', "the API's base URI (default: the document's first server URL)")
    .option('--force', 'replace files that exist')
    .addHelpText('after', '\nFiles: <out>/<document>-<tag>.yaml. Exit codes: 0 written, 2 usage or I/O error, or a document that cannot be imported.')
    .action(async (file: string, opts: { tag?: string[]; out?: string; baseUri?: string; force?: boolean }) => {
      // Loaded only for this command: the OpenAPI reader and YAML writer cost every other command's start-up.
      const { runImportOpenApi } = await import('./import-command.js');
      exitCode = await runImportOpenApi(file, opts, io);
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; real usage errors are 2.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.err(`naftiko-gen: internal error: ${(err as Error).message}`);
    io.err('This is a bug in naftiko-gen; please report it with the capability that caused it.');
    return EXIT_USAGE;
  }
  return exitCode;
}
