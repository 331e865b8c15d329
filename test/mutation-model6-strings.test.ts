/**
 * JSONPath output mappings that only look like name steps (src/model/jsonpath.ts): a `.` must be
 * followed by the name itself, so a bracket or a dot right after it makes the whole path unsupported,
 * never a path that reads a name found further on.
 */
import { describe, expect, it } from 'vitest';
import { compileJsonPath } from '../src/model/jsonpath.js';

describe('compileJsonPath: a name step starts right after its dot', () => {
  const rows: Array<[string, unknown]> = [
    ['$.[.a', undefined],
    ['$.].a', undefined],
    ['$.[[a', undefined],
    ['$.a.[.b', undefined],
    ['$.a.b', ['a', 'b']],
  ];
  it.each(rows)('%s', (path, want) => {
    expect(compileJsonPath(path)).toEqual(want);
  });
});
