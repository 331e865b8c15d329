/** Type-checks generated projects with ts-morph, all in one program, with the options of their tsconfig.json. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

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
  // A plain program (not ts-morph's Project): with NodeNext, a file is ESM by the `"type": "module"` of its
  // project's package.json, which ts-morph's pre-made source files miss (`import.meta` was then refused).
  const program = ts.createProgram(
    projectDirs.flatMap((dir) => tsFiles(join(dir, 'src'))),
    { ...options, noEmit: true, outDir: undefined, rootDir: undefined },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    return `${d.file?.fileName ?? '?'}(${(pos?.line ?? -1) + 1},${(pos?.character ?? -1) + 1}): ${text}`;
  });
}
