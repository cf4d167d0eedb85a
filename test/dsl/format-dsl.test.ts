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
  it('sorts keys and dependencies like a Dify export and keeps comments and block scalars', () => {
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
      '  mode: workflow',
      '  description: |',
      '    line one',
      '    line two',
      '',
    ].join('\n');
    const out = formatDsl(text, 'demo.yml');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.changed).toBe(true);
    expect(out.text).toBe(
      [
        '# my workflow',
        '',
        'app:',
        '  description: |',
        '    line one',
        '    line two',
        '  mode: workflow',
        '  name: Demo # the name',
        'dependencies:',
        '- type: marketplace',
        '  value:',
        '    marketplace_plugin_unique_identifier: "langgenius/openai:0.2@y"',
        '    version: null',
        '- type: marketplace',
        '  value:',
        '    marketplace_plugin_unique_identifier: "langgenius/tavily:0.1@x"',
        '    version: null',
        'kind: app',
        'version: 0.6.0',
        'workflow:',
        '  graph:',
        '    edges: []',
        '    nodes: []',
        '',
      ].join('\n'),
    );
  });

  it('keeps PyYAML meanings: y stays a plain key, 1e3 stays a string', () => {
    const out = formatDsl('app: {mode: workflow}\nkind: app\nworkflow:\n  graph: {}\n  features: {pos: {x: 1, y: 2}, big: 1e3}\n', 'y.yml');
    expect(out.ok && out.text).toContain('      y: 2\n');
    expect(out.ok && out.text).toContain("big: '1e3'");
    const parsed = parseDsl(out.ok ? out.text : '', 'y.yml');
    expect(parsed.ok && parsed.dsl.workflow?.features).toEqual({ big: '1e3', pos: { x: 1, y: 2 } });
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
