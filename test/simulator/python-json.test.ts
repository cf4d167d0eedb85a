// Vectors produced with CPython 3 `json.dumps(obj, sort_keys=True)` and
// `hashlib.sha256((s + "None").encode()).hexdigest()`, then hard-coded here.
import { describe, expect, it } from 'vitest';
import { computeDraftHash } from '../../src/simulator/dsl/draft-hash.js';
import { pythonJsonDumps, pythonNumber } from '../../src/simulator/dsl/python-json.js';

const VECTORS: { value: unknown; dumps: string; hash: string }[] = [
  {
    value: { graph: { nodes: [], edges: [] } },
    dumps: '{"graph": {"edges": [], "nodes": []}}',
    hash: '27f5dd8b97a0933012c8e79d95d121949ca5f7c72ebd7f56d7d37767307d995e',
  },
  {
    value: {
      graph: {
        nodes: [{ id: '1754683430480', data: { type: 'start', title: '开始', variables: [] }, position: { x: 80.5, y: -12 } }],
        edges: [],
        viewport: { x: 0, y: 0, zoom: 0.7 },
      },
    },
    dumps:
      '{"graph": {"edges": [], "nodes": [{"data": {"title": "\\u5f00\\u59cb", "type": "start", "variables": []}, "id": "1754683430480", "position": {"x": 80.5, "y": -12}}], "viewport": {"x": 0, "y": 0, "zoom": 0.7}}}',
    hash: 'fdd4a609a78b9a08e797c876a280c58f28a730640b3973fe87df87bd5970dfe0',
  },
  {
    value: {
      graph: { b: 1, a: [true, false, null, 1e-5, 1e16, 123.456, 0.1, -2.5e-7, 1.5e300] },
      features: { opening_statement: 'Hi "there"\n\t\\ 😀 é \u007f \u001f' },
    },
    dumps:
      '{"features": {"opening_statement": "Hi \\"there\\"\\n\\t\\\\ \\ud83d\\ude00 \\u00e9 \\u007f \\u001f"}, "graph": {"a": [true, false, null, 1e-05, 1e+16, 123.456, 0.1, -2.5e-07, 1.5e+300], "b": 1}}',
    hash: '287bc0d01d0826eec7a74dd0fc343f9e97227ef53a8d57cba6e0dd9109f3b264',
  },
  {
    // Python sorts keys by code point: U+E000 before the astral U+1F600 (UTF-16 order would swap them).
    value: { z: { '\ue000': 1, '😀': 2, a: 3, B: 4 } },
    dumps: '{"z": {"B": 4, "a": 3, "\\ue000": 1, "\\ud83d\\ude00": 2}}',
    hash: '15da68c20935edc3f2a48048f0f53edd89024106209aa68b737df554132af65d',
  },
];

describe('pythonJsonDumps matches CPython json.dumps(sort_keys=True)', () => {
  it.each(VECTORS.map((v, i) => [i, v] as const))('vector %i', (_i, vector) => {
    expect(pythonJsonDumps(vector.value, { sortKeys: true })).toBe(vector.dumps);
  });

  it('keeps insertion order without sortKeys', () => {
    expect(pythonJsonDumps({ b: 1, a: [1, 'x'] })).toBe('{"b": 1, "a": [1, "x"]}');
  });

  it('formats floats like Python repr', () => {
    const cases: [number, string][] = [
      [1e-5, '1e-05'], [0.0001, '0.0001'], [1e16, '1e+16'], [1.5e16, '1.5e+16'], [9999999999999998, '9999999999999998.0'],
      [123.456, '123.456'], [-2.5e-7, '-2.5e-07'], [1.5e300, '1.5e+300'], [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'], [100.5, '100.5'], [12345678.9, '12345678.9'], [7, '7'], [-0, '0'],
    ];
    for (const [n, text] of cases) expect(pythonNumber(n)).toBe(text);
  });
});

describe('computeDraftHash', () => {
  it('hashes {graph} in 1.14 and {graph, features} before, like Dify', () => {
    expect(computeDraftHash({ nodes: [], edges: [] }, { x: 1 }, false)).toBe(VECTORS[0]!.hash);
    const v = VECTORS[2]!.value as { graph: unknown; features: unknown };
    expect(computeDraftHash(v.graph, v.features, true)).toBe(VECTORS[2]!.hash);
  });
});
