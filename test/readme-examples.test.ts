/**
 * The README shows output: the warnings of the Qovery example, by rule and count, and what a finding
 * looks like. Both are read from the README and compared with what naftiko-gen prints, so the README
 * cannot drift from the tool (and no test copies those numbers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateText } from '../src/validate/validate.js';
import { runCli } from './helpers/cli.js';
import { REPO, SEED } from './helpers/shared.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

describe('the README examples', () => {
  it('the warnings of the Qovery example are those the README lists, by rule and count', () => {
    const heading = /\*\*The (\d+) warnings of the Qovery example\*\*/.exec(README);
    expect(heading, 'README: "The N warnings of the Qovery example"').not.toBeNull();
    const listed = new Map<string, number>();
    const after = README.slice(heading!.index);
    for (const m of after.slice(0, after.indexOf('\n## ')).matchAll(/^- (\d+) × `([a-z-]+)`/gm)) listed.set(m[2]!, Number(m[1]));
    expect([...listed.values()].reduce((a, b) => a + b, 0)).toBe(Number(heading![1]));

    const findings = validateText(SEED, readFileSync(SEED, 'utf8'), { strict: false }).findings;
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    const actual = new Map<string, number>();
    for (const f of findings) actual.set(f.rule, (actual.get(f.rule) ?? 0) + 1);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(listed));
  });

  it('"What a finding looks like" is what the command prints', async () => {
    const block = /### What a finding looks like\n\n```\n([\s\S]*?)```/.exec(README)![1]!.trimEnd().split('\n');
    const command = block[0]!.replace(/^\$ /, '').split(' ');
    expect(command[0]).toBe('naftiko-gen');
    const r = await runCli(...command.slice(1));
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual(block.slice(1));
  });
});
