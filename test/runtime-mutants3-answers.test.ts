/**
 * Tests written against the runtime's mutants that the sixth session's confirming Stryker runs still found
 * surviving after a test had been written for them (see test/mutation-survivors-runtime.md): each pins down
 * what the caller gets in the case the earlier test did not reach.
 */
import { describe, expect, it } from 'vitest';
import { markdownUnder } from '../templates/runtime/format-markdown.js';

describe('Markdown sections: blocks keep no white space at their ends', () => {
  it('a paragraph ending in a hard break and a list that ends the document are trimmed', () => {
    // marked keeps the two spaces of a hard break in a paragraph's text, and the final line break in the
    // source of a list that closes the document: neither belongs to the section's text.
    const doc = '## Notes\n\npara  \n\n- one\n- two\n';
    expect(markdownUnder('Notes')(doc)).toEqual({ sections: [{ heading: 'Notes', level: 2, text: 'para\n\n- one\n- two' }], tables: [] });
  });
});
