/**
 * Tests written against the runtime's mutants that the sixth session's confirming Stryker runs still found
 * surviving after a test had been written for them (see test/mutation-survivors-runtime.md): each pins down
 * what the caller gets in the case the earlier test did not reach.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { markdownUnder } from '../templates/runtime/format-markdown.js';
import { hostGuard } from '../templates/runtime/ops.js';

describe('Markdown sections: blocks keep no white space at their ends', () => {
  it('a paragraph ending in a hard break and a list that ends the document are trimmed', () => {
    // marked keeps the two spaces of a hard break in a paragraph's text, and the final line break in the
    // source of a list that closes the document: neither belongs to the section's text.
    const doc = '## Notes\n\npara  \n\n- one\n- two\n';
    expect(markdownUnder('Notes')(doc)).toEqual({ sections: [{ heading: 'Notes', level: 2, text: 'para\n\n- one\n- two' }], tables: [] });
  });
});

describe('the Host guard: an allowed host that is not a name and port', () => {
  const request = (host: string) => ({ headers: { host } }) as unknown as http.IncomingMessage;

  it('matches any case of itself, but not a text that only folds to the same capitals', () => {
    // `ß` (a Latin-1 byte a Host header may carry) becomes `SS` in capitals: compared in capitals,
    // `ß:x` would pass as the allowed `SS:x`.
    const guard = hostGuard(['SS:x'], () => 3000);
    expect(guard(request('ss:X'))).toBeUndefined();
    expect(guard(request('ß:x'))).toBe('the host ß:x is not served here');
  });
});
