import { describe, expect, it } from 'vitest';
import { diffDsl, formatDsl, normalizeDsl, parseDsl } from '../../src/dsl/index.js';
import { corpusFiles } from '../support/dsl-corpus.js';

describe('formatDsl over the corpus: idempotent and meaning-preserving', () => {
  // One test per file: a failure names the file, and the shared machine's slowness cannot add up.
  for (const f of corpusFiles()) {
    it(f.name, () => {
      const once = formatDsl(f.text, f.name);
      if (!once.ok) throw new Error(`${f.name}: ${JSON.stringify(once.diagnostics)}`);
      const twice = formatDsl(once.text, f.name);
      expect(twice.ok && twice.text).toBe(once.text);
      expect(twice.ok && twice.changed).toBe(false);
      const before = parseDsl(f.text, f.name);
      const after = parseDsl(once.text, f.name);
      if (!before.ok || !after.ok) throw new Error(f.name);
      expect(diffDsl(normalizeDsl(before.dsl), normalizeDsl(after.dsl)).changes).toEqual([]);
    });
  }
});

describe('formatDsl', () => {
  it('sorts keys and dependencies like a Dify export, keeping comments, scalars and flow collections as written', () => {
    const text = [
      '# my workflow',
      'workflow:',
      '  graph: {nodes: [], edges: []}',
      'version: 0.6.0',
      'kind: app',
      'dependencies:',
      '- type: marketplace',
      '  value: {marketplace_plugin_unique_identifier: "langgenius/tavily:0.1@x", version: null}',
      '- type: marketplace',
      '  value: {marketplace_plugin_unique_identifier: "langgenius/openai:0.2@y", version: null}',
      'app:',
      '  name: Demo  # the name',
      '',
      '  # how it looks',
      '  mode: workflow',
      '  description: |',
      '    line one',
      '    line two',
    ].join('\n');
    const out = formatDsl(text, 'demo.yml');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.changed).toBe(true);
    expect(out.text).toBe(
      [
        '# my workflow',
        'app:',
        '  description: |',
        '    line one',
        '    line two',
        '  # how it looks',
        '  mode: workflow',
        '  name: Demo  # the name',
        'dependencies:',
        '- type: marketplace',
        '  value: {marketplace_plugin_unique_identifier: "langgenius/openai:0.2@y", version: null}',
        '- type: marketplace',
        '  value: {marketplace_plugin_unique_identifier: "langgenius/tavily:0.1@x", version: null}',
        'kind: app',
        'version: 0.6.0',
        'workflow:',
        '  graph: {nodes: [], edges: []}',
        '',
      ].join('\n'),
    );
  });

  it('leaves a sorted Dify export byte for byte as it is', () => {
    const exported = corpusFiles().find((f) => f.name.startsWith('A1sh-4__dify-dsl-generator__skills-dify-assets-workflows-error-handling'))!;
    const out = formatDsl(exported.text, exported.name);
    expect(out.ok && out.changed).toBe(false);
    expect(out.ok && out.text).toBe(exported.text);
  });

  it('keeps PyYAML meanings: y stays a plain key, 1e3 stays the string it is', () => {
    const text = 'workflow:\n  graph: {}\n  features:\n    pos:\n      y: 2\n      x: 1\n    big: 1e3\nkind: app\napp: {mode: workflow}\n';
    const out = formatDsl(text, 'y.yml');
    expect(out.ok && out.text).toContain('    big: 1e3\n    pos:\n      x: 1\n      y: 2\n');
    const parsed = parseDsl(out.ok ? out.text : '', 'y.yml');
    expect(parsed.ok && parsed.dsl.workflow?.features).toEqual({ big: '1e3', pos: { x: 1, y: 2 } });
  });

  it('expands aliases rather than moving one before its anchor', () => {
    const text = 'workflow:\n  z: &shared {a: 1}\n  b: *shared\n  graph: {}\nkind: app\napp: {mode: workflow}\n';
    const out = formatDsl(text, 'alias.yml');
    expect(out.ok).toBe(true);
    const parsed = parseDsl(out.ok ? out.text : '', 'alias.yml');
    expect(parsed.ok && parsed.dsl.workflow).toEqual({ b: { a: 1 }, graph: {}, z: { a: 1 } });
  });

  it('reports parse errors instead of formatting', () => {
    const out = formatDsl('app: [unclosed\n', 'bad.yml');
    expect(out.ok).toBe(false);
    expect(out.ok ? [] : out.diagnostics.map((d) => d.line)).toEqual([2]);
  });
});

describe('formatDsl keeps every string exactly', () => {
  const tricky = [' lead', 'trail ', 'a\n \nb', 'x \ny', '\ttab\t', 'a\\b', "it's", 'say "hi"', '#no comment', 'yes', 'y', '1e3', '0o17', 'null', '', ' ', '\n', 'a\n\n\nb\n', '- dash', 'key: value', '{{#1.text#}}', '中文 \n 文本'];
  for (const style of ['plain-json', 'single', 'double', 'literal']) {
    it(`in ${style} style`, () => {
      const lines = ['app: {mode: workflow, name: t}', 'kind: app', 'workflow:', '  graph: {nodes: [], edges: []}', '  features:'];
      tricky.forEach((s, i) => {
        if (style === 'single') lines.push(`    k${i}: '${s.replace(/'/g, "''").replace(/\n/g, '\n\n      ')}'`);
        else if (style === 'literal' && !/^\s|\s$|\t/.test(s) && s !== '') lines.push(`    k${i}: |-`, ...s.split('\n').map((l) => (l === '' ? '' : `      ${l}`)));
        else lines.push(`    k${i}: ${JSON.stringify(s)}`);
      });
      const text = `${lines.join('\n')}\n`;
      const before = parseDsl(text, 't.yml');
      if (!before.ok) throw new Error(JSON.stringify(before.diagnostics));
      const out = formatDsl(text, 't.yml');
      if (!out.ok) throw new Error('format failed');
      const after = parseDsl(out.text, 't.yml');
      expect(after.ok && after.dsl.workflow?.features).toEqual(before.dsl.workflow?.features);
      const again = formatDsl(out.text, 't.yml');
      expect(again.ok && again.text).toBe(out.text);
    });
  }
});
