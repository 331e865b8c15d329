import { describe, expect, it } from 'vitest';
import { parseCapabilityText } from '../src/load/load-document.js';

describe('loading YAML', () => {
  it('reports a syntax error at its line with rule yaml-syntax', () => {
    const r = parseCapabilityText('f.yaml', 'naftiko: 1.0.0-alpha2\ninfo:\n  label: [unclosed\n');
    expect(r.ok).toBe(false);
    expect(r.findings[0]).toMatchObject({ rule: 'yaml-syntax', severity: 'error', file: 'f.yaml' });
    expect(r.findings[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('reports duplicate keys', () => {
    const r = parseCapabilityText('f.yaml', 'naftiko: 1.0.0-alpha2\nnaftiko: 1.0.0-alpha2\n');
    expect(r.ok).toBe(false);
    expect(r.findings[0]).toMatchObject({ rule: 'yaml-syntax', line: 2 });
  });

  it('treats an empty or comment-only file as empty', () => {
    for (const text of ['', '   \n', '# only a comment\n']) {
      const r = parseCapabilityText('f.yaml', text);
      expect(r.ok).toBe(false);
      expect(r.findings[0]).toMatchObject({ rule: 'empty-document', line: 1, column: 1 });
    }
  });

  it('refuses a root that is not a mapping', () => {
    for (const text of ['- a\n- b\n', 'just a string\n', '42\n']) {
      const r = parseCapabilityText('f.yaml', text);
      expect(r.ok).toBe(false);
      expect(r.findings[0]!.rule).toBe('root-not-mapping');
    }
  });

  it('stops alias bombs instead of expanding them', () => {
    let text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 0; i < 8; i++) text += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]\n`;
    const r = parseCapabilityText('f.yaml', text);
    expect(r.ok).toBe(false);
    expect(r.findings[0]!.rule).toBe('yaml-syntax');
  });

  it('finds the position of keys and values, and falls back to the nearest ancestor', () => {
    const text = 'naftiko: 1.0.0-alpha2\ncapability:\n  exposes:\n    - type: rest\n      port: 80\n';
    const r = parseCapabilityText('f.yaml', text);
    if (!r.ok) throw new Error('expected ok');
    expect(r.document.positionOf(['capability', 'exposes', 0, 'port'])).toEqual({ line: 5, column: 13 });
    expect(r.document.positionOf(['capability', 'exposes', 0, 'port'], 'key')).toEqual({ line: 5, column: 7 });
    expect(r.document.positionOf(['capability', 'exposes', 0, 'missing'])).toEqual({ line: 4, column: 7 });
    expect(r.document.positionOf([])).toEqual({ line: 1, column: 1 });
  });
});
