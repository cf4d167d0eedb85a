// The loader swaps each DSL's YAML Document for a lazy one after linting; anything that still asks
// for positions must get the same answers as from the original parse.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/config/index.js';
import { lazyDslSource, parseDsl, releaseDslSource } from '../../src/dsl/index.js';
import { positionOf } from '../../src/yaml/parse-yaml.js';

/** True when `doc` is a getter (parsed on demand), not a held Document. */
function hasLazyDoc(source: object): boolean {
  return 'get' in (Object.getOwnPropertyDescriptor(source, 'doc') ?? {});
}

const TEXT = ['app:', '  name: demo', '  mode: workflow', 'kind: app', 'version: 0.6.0', 'workflow:', '  graph:', '    nodes:', '    - id: start', '      data:', '        title: Start', ''].join('\n');

describe('lazyDslSource', () => {
  it('answers positions exactly as the original parse did, parsing again only when asked', () => {
    const parsed = parseDsl(TEXT, 'demo.dsl.yml');
    if (!parsed.ok) throw new Error('fixture must parse');
    const before = positionOf(parsed.source.doc, parsed.source.lines, ['workflow', 'graph', 'nodes', 0, 'data', 'title']);
    releaseDslSource(parsed);
    expect(hasLazyDoc(parsed.source)).toBe(true);
    expect(positionOf(parsed.source.doc, parsed.source.lines, ['workflow', 'graph', 'nodes', 0, 'data', 'title'])).toEqual(before);
    expect(before).toMatchObject({ line: 11 });
    expect(parsed.source.doc).toBe(parsed.source.doc);
    expect(parsed.source.text).toBe(TEXT);
  });

  it('refuses, as an internal error, text that no longer parses', () => {
    expect(() => lazyDslSource('a: [').doc).toThrow('no longer parses');
  });
});

describe('loadRepository', () => {
  it('keeps no YAML Document per app once linted (a repository lives as long as a serve loop)', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.apps.length).toBeGreaterThan(0);
    for (const app of repo.apps) expect(hasLazyDoc(app.dsl.source), app.name).toBe(true);
  });
});
