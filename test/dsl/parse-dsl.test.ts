import { describe, expect, it } from 'vitest';
import { parseDsl } from '../../src/dsl/index.js';
import { brokenFiles, corpusFiles } from '../support/dsl-corpus.js';

describe('parseDsl over the corpus', () => {
  it('loads every corpus file', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(200);
    const failed = files
      .map((f) => parseDsl(f.text, f.name))
      .filter((p) => !p.ok)
      .map((p) => p.diagnostics);
    expect(failed).toEqual([]);
  });

  it('gives every broken file a parse error with a line and column', () => {
    for (const f of brokenFiles()) {
      const parsed = parseDsl(f.text, f.name);
      expect(parsed.ok, f.name).toBe(false);
      const first = parsed.diagnostics[0]!;
      expect(first.severity).toBe('error');
      expect(first.line).toBeGreaterThan(0);
      expect(first.col).toBeGreaterThan(0);
    }
  });
});
