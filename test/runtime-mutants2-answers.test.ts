/**
 * Tests written against the survivors of the answer-shaping modules (output.ts, mock.ts, formats.ts,
 * format-html.ts, format-yaml.ts, format-csv.ts; see test/mutation-survivors-runtime.md): each pins down
 * what the caller gets in a case the earlier tests let vary.
 */
import { describe, expect, it } from 'vitest';
import { fromPsv, fromTsv } from '../templates/runtime/format-csv.js';
import { htmlSelector } from '../templates/runtime/format-html.js';
import { fromYaml } from '../templates/runtime/format-yaml.js';
import { convertResponse } from '../templates/runtime/formats.js';
import { select } from '../templates/runtime/output.js';
import { runSteps } from '../templates/runtime/steps.js';
import type { Args, UpstreamResponse } from '../templates/runtime/upstream.js';

describe('output paths through null', () => {
  it('a property of a null value is nothing, not an error', () => {
    expect(select({ owner: null }, ['owner', 'login'])).toBeNull();
    expect(select([null, { login: 'ada' }], [{ all: true }, 'login'])).toEqual(['ada']);
  });
});

describe('templates filled from a variable that holds nothing', () => {
  it('a script step that sets no result fills its templates with empty text', async () => {
    const sent: Args[] = [];
    const send = async (args: Args): Promise<UpstreamResponse> => {
      sent.push(args);
      return { status: 200, contentType: 'application/json', text: '{}' };
    };
    await runSteps(
      [
        { kind: 'script', name: 'quiet', with: {}, run: () => undefined },
        { kind: 'call', name: 'get', with: { q: { template: ['id=', { variable: ['quiet'] }, '.'] } }, parameters: [{ name: 'q' }], outputs: {}, send },
      ],
      [],
      {},
    );
    expect(sent).toEqual([{ q: 'id=.' }]);
  });
});

describe('answers in other formats', () => {
  const failing = { name: 'csv', convert: (): unknown => { throw new Error('no'); } };

  it('a 400 answer is passed on as the upstream sent it, never converted', () => {
    const answer = { status: 400, contentType: 'text/plain', text: 'bad request' };
    expect(convertResponse(answer, failing)).toEqual(answer);
    expect(convertResponse({ status: 399, contentType: 'text/csv', text: 'x' }, failing).status).toBe(502);
  });

  it('an HTML table whose first row has no header cells takes its header from the first row with <th>', () => {
    const page = '<table><tr><td>note</td></tr><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>';
    expect(htmlSelector(undefined)(page)).toEqual([[{ a: 'note' }, { a: '1', b: '2' }]]);
  });

  it('YAML with many aliases (up to the runtime’s limit of 1000) is read', () => {
    const lines = ['base: &v 1', ...Array.from({ length: 300 }, (_, i) => `k${i}: *v`)];
    const value = fromYaml(lines.join('\n')) as Record<string, number>;
    expect(Object.keys(value)).toHaveLength(301);
    expect(value.k299).toBe(1);
  });

  it('TSV and PSV are split on their own delimiter', () => {
    expect(fromTsv('a\tb,c\n1\t2,3\n')).toEqual([{ a: '1', 'b,c': '2,3' }]);
    expect(fromPsv('a|b,c\n1|2,3\n')).toEqual([{ a: '1', 'b,c': '2,3' }]);
  });
});
