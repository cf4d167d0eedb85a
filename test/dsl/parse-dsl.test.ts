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

describe('parseDsl messages', () => {
  it('points at the bad flow list in the broken corpus file and says what to do', () => {
    const f = brokenFiles().find((b) => b.name.startsWith('fuer121__'))!;
    const parsed = parseDsl(f.text, f.name);
    expect(parsed.diagnostics[0]).toMatchObject({ line: 128, col: 41, code: 'yaml-syntax' });
    expect(parsed.diagnostics[0]!.message).toContain('quote values that contain');
  });

  it('recognises a saved API response envelope', () => {
    const parsed = parseDsl('{"data": "app:\\n  mode: workflow\\n"}', 'export.json');
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ line: 1, col: 2, code: 'DSL000', path: '/data', message: expect.stringContaining('save the value of `data`') }),
    ]);
  });

  it('reads like PyYAML: y/n and 1e3 are strings, yes/no booleans; unindented quoted lines load with a warning', () => {
    const text = "app: {name: t, mode: workflow}\nkind: app\nworkflow:\n  features: {a: y, b: 1e3, c: yes, d: 'two\nlines'}\n";
    const parsed = parseDsl(text, 't.yml');
    expect(parsed.ok && parsed.dsl.workflow?.features).toEqual({ a: 'y', b: '1e3', c: true, d: 'two lines' });
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['yaml-pyyaml-compat', 5]]);
  });

  it('reports wrong container shapes with positions, e.g. an unquoted numeric node id', () => {
    const parsed = parseDsl("app: {name: t, mode: workflow}\nkind: app\nworkflow:\n  graph:\n    nodes:\n    - id: 1718003000001\n      data: {type: start}\n    edges: {}\n", 't.yml');
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => [d.line, d.code, d.path])).toEqual([
      [6, 'DSL000', '/workflow/graph/nodes/0/id'],
      [8, 'DSL000', '/workflow/graph/edges'],
    ]);
    expect(parsed.diagnostics[0]!.message).toContain('quote it');
  });
});
