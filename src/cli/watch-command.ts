/**
 * `naftiko-gen build --watch`: builds once, then rebuilds whenever a capability changes, is added or
 * removed, and prints one line per rebuild (plus the errors of a capability that no longer builds).
 * chokidar follows the files across the atomic renames editors save with, which node's fs.watch loses.
 * Events are gathered for a short while (debounced) so that one save gives one rebuild.
 */
import { relative, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { runBuild, type BuildCommandOptions } from './build-command.js';
import { formatFindingText } from './report.js';
import type { Output } from './output.js';
import type { Finding } from '../validate/finding.js';

const DEBOUNCE_MS = 150;
const CAPABILITY_FILE = /\.ya?ml$/i;

interface BuildJson {
  projects: Array<{ spec: string; dir: string; status: string; message?: string; changed: string[]; removed: string[]; findings: Array<Finding & { hint: string | null }> }>;
  summary: { built: number; unchanged: number; failed: number; warnings: number };
}

/** What to watch for one spec argument: the file itself, or the folder a folder or glob looks in. */
function watchRoot(arg: string): string {
  const glob = arg.search(/[*?[]/);
  if (glob < 0) return arg;
  const prefix = arg.slice(0, glob);
  return prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) || '/' : '.';
}

export interface WatchHandle {
  /** Resolves after the first build and once the watcher is ready. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function startWatch(args: readonly string[], options: BuildCommandOptions, io: Output): WatchHandle {
  const out = resolve(options.out ?? 'generated');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const changed = new Set<string>();

  const rebuild = async (reason: string): Promise<void> => {
    const lines: string[] = [];
    const errors: string[] = [];
    const started = Date.now();
    const code = await runBuild([...args], { ...options, format: 'json', progress: false }, { out: (t) => lines.push(t), err: (t) => errors.push(t) });
    const ms = Date.now() - started;
    for (const e of errors) io.err(e);
    if (lines.length === 0) {
      io.out(`${reason}: not built (exit ${code}).`);
      return;
    }
    const report = JSON.parse(lines.join('\n')) as BuildJson;
    for (const p of report.projects) {
      if (p.status === 'failed') for (const f of p.findings.filter((x) => x.severity === 'error')) io.out(formatFindingText({ ...f, hint: f.hint ?? undefined }));
      // A capability that cannot be read or a project that cannot be written counts as failed: say why, as build does.
      else if (p.message !== undefined) io.err(`naftiko-gen: ${p.message}.`);
    }
    const s = report.summary;
    const files = report.projects.reduce((n, p) => n + p.changed.length + p.removed.length, 0);
    io.out(`${reason}: ${s.built} built, ${s.unchanged} unchanged, ${s.failed} failed; ${files} ${files === 1 ? 'file' : 'files'} written, ${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'} (${ms} ms).`);
  };

  const schedule = (path: string): void => {
    changed.add(relative('.', path) || path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const names = [...changed].sort();
      changed.clear();
      const reason = `rebuilt after a change to ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
      running = running.then(() => rebuild(reason)).catch((err: unknown) => io.err(`naftiko-gen: ${(err as Error).message}`));
    }, DEBOUNCE_MS);
  };

  let watcher: FSWatcher | undefined;
  const ready = (async () => {
    await rebuild('built');
    const roots = [...new Set(args.map(watchRoot))];
    watcher = watch(roots, {
      ignoreInitial: true,
      // The output folder is never an input, even when it sits inside a watched folder.
      ignored: (path: string) => resolve(path) === out || resolve(path).startsWith(out + '/') || /(^|\/)(node_modules|\.git)(\/|$)/.test(path),
      depth: args.some((a) => a.includes('**')) ? undefined : 0,
    });
    watcher.on('all', (_event, path) => {
      if (CAPABILITY_FILE.test(path)) schedule(path);
    });
    await new Promise<void>((done) => watcher!.once('ready', () => done()));
    io.out(`watching ${roots.map((r) => (r === '.' ? './' : r)).join(', ')} for changes (Ctrl-C stops).`);
  })();

  return {
    ready,
    async close() {
      clearTimeout(timer);
      await ready.catch(() => undefined);
      await watcher?.close();
      await running;
    },
  };
}

/** Runs until SIGINT or SIGTERM, then stops watching and ends with code 0. */
export async function runWatch(args: readonly string[], options: BuildCommandOptions, io: Output): Promise<number> {
  const handle = startWatch(args, options, io);
  await handle.ready;
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await handle.close();
  io.out('stopped watching.');
  return 0;
}
