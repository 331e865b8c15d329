/** Type-checks generated projects with ts-morph, all in one program, with the options of their tsconfig.json. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      if (entry !== 'node_modules' && entry !== 'dist') out.push(...tsFiles(p));
    } else if (entry.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Diagnostics of every project folder, formatted `file(line,col): message`; empty when all is well. */
export function typecheckProjects(projectDirs: readonly string[]): string[] {
  // All generated projects share one tsconfig shape; read the first one's options.
  const config = ts.parseConfigFileTextToJson('tsconfig.json', readFileSync(join(projectDirs[0]!, 'tsconfig.json'), 'utf8'));
  const options = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, projectDirs[0]!).options;
  const project = new Project({ compilerOptions: { ...options, noEmit: true, outDir: undefined, rootDir: undefined } });
  for (const dir of projectDirs) project.addSourceFilesAtPaths(tsFiles(join(dir, 'src')));
  return project.getPreEmitDiagnostics().map((d) => {
    const file = d.getSourceFile();
    const pos = file && d.getStart() !== undefined ? file.getLineAndColumnAtPos(d.getStart()!) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n');
    return `${file?.getFilePath() ?? '?'}(${pos?.line ?? 0},${pos?.column ?? 0}): ${text}`;
  });
}
