/** The `naftiko-gen` command line. Every path ends in an exit code; nothing ends in a bare stack trace. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import type { Output } from './output.js';
import { runValidate } from './validate-command.js';
import { runBuild } from './build-command.js';
import { runInit } from './init-command.js';
import { ConfigFileError, loadProjectConfig } from './config-file.js';
import { runSchema } from './schema-command.js';
import { runRules } from './rules-command.js';
import { runWatch } from './watch-command.js';
import { runMigrate } from './migrate-command.js';

/** What a worker thread started from the bundle runs (bin/thread.cjs). */
export { serveJobs } from './parallel.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Set when a reader closed our stdout (`naftiko-gen validate x.yaml | head -1`): the rest of the
 * output is dropped, quietly, and the command still ends with its own exit code.
 */
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
});
process.stderr.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

const consoleOutput: Output = {
  out: (text) => {
    if (!stdoutClosed) process.stdout.write(text + '\n');
  },
  err: (text) => process.stderr.write(text + '\n'),
  // A counter that rewrites one line of the terminal; nothing at all when stderr is not a terminal.
  progress: (text) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  },
};

const CONFIG_HELP = 'naftiko-gen.config.json (or .yaml) in the current folder';

/** Spec arguments, or the config file's; flags win over the file. Undefined (after a message) on a usage error. */
function withConfig(specs: string[], opts: { out?: string; strict?: boolean }, io: Output): { specs: string[]; out?: string; strict: boolean } | undefined {
  let config: ReturnType<typeof loadProjectConfig>;
  try {
    config = loadProjectConfig();
  } catch (err) {
    if (!(err instanceof ConfigFileError)) throw err;
    io.err(`naftiko-gen: ${err.message}.`);
    return undefined;
  }
  if (specs.length === 0 && !config) {
    io.err(`naftiko-gen: no capability given: name spec files, folders or globs, or list them in ${CONFIG_HELP}.`);
    return undefined;
  }
  const out = opts.out ?? config?.out;
  return { specs: specs.length > 0 ? specs : config!.specs, strict: opts.strict ?? config?.strict ?? false, ...(out !== undefined ? { out } : {}) };
}

export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  let exitCode = 0;
  const program = new Command('naftiko-gen')
    .description('Validate Naftiko capabilities and compile them into standalone TypeScript REST and MCP servers.')
    .version(pkg.version, '-V, --version')
    // Options after a command belong to it: `schema --version V` is not the program's --version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run naftiko-gen --help for usage)');

  program
    .command('validate')
    .description('Check capabilities against the Naftiko schema and cross-checks; print one finding per problem.')
    .argument('[spec...]', `capability files (YAML), folders or quoted globs (default: the specs of ${CONFIG_HELP})`)
    .option('--strict', 'treat the relaxations that published capabilities rely on as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'print errors only, not warnings')
    .addHelpText(
      'after',
      '\nExit codes: 0 every capability is valid (warnings allowed), 1 a capability is invalid, 2 usage or I/O error.',
    )
    .action(async (specs: string[], opts: { strict?: boolean; format: 'text' | 'json'; quiet?: boolean }) => {
      const resolved = withConfig(specs, opts, io);
      exitCode = resolved ? await runValidate(resolved.specs, { ...opts, strict: resolved.strict }, io) : EXIT_USAGE;
    });

  program
    .command('build')
    .description('Validate capabilities, then generate a standalone TypeScript project (REST and MCP servers) for each.')
    .argument('[spec...]', `capability files (YAML), folders or quoted globs (default: the specs of ${CONFIG_HELP})`)
    .option('-o, --out <dir>', 'project folder for one spec (default generated/<spec name>); parent folder for several (default generated/)')
    .option('--check', 'write nothing; exit 1 when the project on disk differs from what would be generated')
    .option('--strict', 'treat the relaxations that published capabilities rely on as errors')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'print only failures, stale projects and the summary')
    .option('-w, --watch', 'build, then rebuild whenever a capability changes (one line per rebuild; Ctrl-C stops)')
    .addHelpText(
      'after',
      [
        '',
        'Specs are files, folders (every .yaml/.yml file in them) or quoted globs such as \'capabilities/*.yaml\'.',
        `Without specs, they come from ${CONFIG_HELP}: {"specs": [...], "out": "...", "strict": false}; flags win over it.`,
        'Exit codes: 0 built (or up to date with --check), 1 a capability is invalid or a project is out of date, 2 usage or I/O error.',
      ].join('\n'),
    )
    .action(async (specs: string[], opts: { out?: string; check?: boolean; strict?: boolean; format: 'text' | 'json'; quiet?: boolean; watch?: boolean }) => {
      const resolved = withConfig(specs, opts, io);
      if (!resolved) {
        exitCode = EXIT_USAGE;
        return;
      }
      const { watch, ...rest } = opts;
      const options = { ...rest, strict: resolved.strict, ...(resolved.out !== undefined ? { out: resolved.out } : {}), progress: true };
      if (watch && (opts.check || opts.format === 'json')) {
        io.err(`naftiko-gen: --watch prints one line per rebuild; it does not go with ${opts.check ? '--check, which writes nothing' : '--format json'}.`);
        exitCode = EXIT_USAGE;
      } else exitCode = watch ? await runWatch(resolved.specs, options, io) : await runBuild(resolved.specs, options, io);
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
    .option('--spec-version <version>', 'version to write, e.g. 1.0.0-beta5 (ikanos) or naftiko:1.0.0-alpha2 (default: the newest)')
    .action(async (name: string, opts: { out?: string; baseUri: string; auth: 'none' | 'bearer' | 'basic' | 'apikey'; adapters: string; force?: boolean; specVersion?: string }) => {
      exitCode = await runInit(name, opts, io);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of a Naftiko version, for editors (yaml-language-server) and other tools.')
    .option('--version <version>', 'the spec version (default: the newest naftiko-gen reads)')
    .addHelpText('after', '\nExample: naftiko-gen schema --version 1.0.0-alpha2 > naftiko-1.0.0-alpha2.schema.json')
    .action((opts: { version?: string }) => {
      exitCode = runSchema(opts, io);
    });

  program
    .command('rules')
    .description('List every rule a finding can carry: its id, severities and what it catches.')
    .option('--format <format>', 'text or json', 'text')
    .action((opts: { format?: string }) => {
      exitCode = runRules(opts, io);
    });

  program
    .command('import')
    .description('Write capabilities from an API description.')
    .command('openapi')
    .description('Write capabilities (one per tag by default) for an OpenAPI 3.0/3.1 document (JSON or YAML); each validates and builds.')
    .argument('<file>', 'the OpenAPI document')
    .option('--tag <tag>', 'import only this tag (repeatable; its name or slug)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .addOption(new Option('--group <by>', 'one capability per tag, per first path segment, or one for the whole API').choices(['tag', 'path', 'none']).default('tag'))
    .option('-o, --out <dir>', 'folder to write the capabilities in', 'capabilities')
    .option('--base-uri <uri>', "the API's base URI (default: the document's first server URL)")
    .option('--strict', 'write only what the official schema accepts: enums, defaults and bounds go into the descriptions instead of being checked')
    .option('--force', 'replace files that exist')
    .option('--spec-version <version>', 'version to write, e.g. 1.0.0-beta5 (ikanos) or naftiko:1.0.0-alpha2 (default: the newest)')
    .addHelpText('after', '\nFiles: <out>/<document>-<tag>.yaml (--group none: <out>/<document>.yaml). Exit codes: 0 written, 2 usage or I/O error, or a document that cannot be imported.')
    .action(async (file: string, opts: { tag?: string[]; out?: string; baseUri?: string; force?: boolean; group?: string; strict?: boolean; specVersion?: string }) => {
      // Loaded only for this command: the OpenAPI reader and YAML writer cost every other command's start-up.
      const { runImportOpenApi } = await import('./import-command.js');
      exitCode = await runImportOpenApi(file, opts, io);
    });

  program
    .command('migrate')
    .description('Rewrite capabilities to a newer version of the spec, keeping comments and key order; print the diff, or write it.')
    .argument('<spec...>', 'capability files (YAML), folders or quoted globs')
    .option('--to <version>', 'target version, e.g. 1.0.0-beta5 (ikanos) or naftiko:1.0.0-alpha3 (default: the newest)')
    .option('--write', 'write the migrated files instead of printing the diff')
    .option('--strict', 'also rewrite relaxations whose official form costs a little (named in the notes), so the files validate under --strict')
    .addHelpText('after', '\nA file already at the target version is left as it is. Exit codes: 0 done, 1 a file cannot be migrated to a valid capability, 2 usage or I/O error.')
    .action(async (specs: string[], opts: { to?: string; write?: boolean; strict?: boolean }) => {
      exitCode = await runMigrate(specs, opts, io);
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
