import { describe, expect, it } from 'vitest';
import { diffDsl, normalizeDsl, parseDsl, WORKFLOW_MODES, type AppMode, type DslDocument, type DslNode } from '../../src/dsl/index.js';
import { escapeMermaidLabel, mermaidIds, renderMermaid } from '../../src/github/render-mermaid.js';
import { planApp } from '../../src/plan/plan-app.js';
import { checkMermaid } from '../support/mermaid-check.js';
import { corpusFiles } from '../support/dsl-corpus.js';
import { SERVER_1_14, desiredApp, liveFrom, workflowDsl } from '../support/plan-builders.js';

/** Entity codes back to characters, as Mermaid decodes them before drawing. */
function decode(label: string): string {
  const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };
  return label.replace(/#([a-z]+|\d+);/g, (_m, code: string) => (/^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : named[code]!));
}

function node(id: string, title: string, type = 'code'): DslNode {
  return { id, type: 'custom', data: { type, title } };
}

function graphDoc(nodes: DslNode[], edges: [string, string, string?][]): DslDocument {
  return {
    app: { name: 'g', mode: 'workflow' },
    workflow: {
      graph: { nodes, edges: edges.map(([source, target, sourceHandle]) => ({ id: `${source}-${target}`, source, target, sourceHandle: sourceHandle ?? 'source' })) },
      features: {},
      environment_variables: [],
      conversation_variables: [],
    },
  };
}

function diffOf(before: DslDocument, after: DslDocument) {
  return diffDsl(normalizeDsl(before), normalizeDsl(after));
}

describe('renderMermaid', () => {
  it('colours nodes added, changed, removed and unchanged from a real plan, and draws the removed and rewired edges', () => {
    const live = workflowDsl({ name: 'demo' });
    live.workflow!.graph!.nodes!.push(node('old', 'Old filter'));
    live.workflow!.graph!.edges!.push({ id: 'llm-old', source: 'llm', sourceHandle: 'source', target: 'old' });
    const want = workflowDsl({ name: 'demo', prompt: 'A new prompt about {{#start.topic#}}' });
    want.workflow!.graph!.nodes!.push(node('check', 'Check "quality"'));
    // Rewire start -> llm to start -> check, and add check -> llm.
    want.workflow!.graph!.edges = [
      { id: 'a', source: 'start', sourceHandle: 'source', target: 'check' },
      { id: 'b', source: 'check', sourceHandle: 'source', target: 'llm' },
      { id: 'c', source: 'llm', sourceHandle: 'source', target: 'end' },
    ];
    const entry = planApp(desiredApp(want), { kind: 'found', app: liveFrom(live), foundBy: 'name' }, { server: SERVER_1_14 });
    expect(entry.action).toBe('update');

    const graph = renderMermaid(want, entry.diff!);
    const check = checkMermaid(graph.source);
    expect(check.problems).toEqual([]);
    expect(Object.fromEntries(check.classes)).toEqual({ added: ['n_check'], changed: ['n_llm'], removed: ['n_old'], unchanged: ['n_start', 'n_end'] });
    expect(check.nodes.get('n_check')).toBe('Check #quot;quality#quot; #40;code#41;');
    expect(check.classDefs.get('removed')).toMatch(/stroke-dasharray: 5 5/);
    const edges = check.edges.map((e) => `${e.from} ${e.arrow} ${e.to}`).sort();
    expect(edges).toEqual([
      'n_check ==> n_llm',
      'n_llm --> n_end',
      'n_llm -.-> n_old', // removed with its node
      'n_start -.-> n_llm', // the rewired edge's old target
      'n_start ==> n_check', // and its new one
    ]);
    expect(graph.note).toBeUndefined();
  });

  it('escapes every character Mermaid or Markdown would read, and decodes back to the title', () => {
    const titles = ['Say "hi" [now]', 'a#b #35; c', 'x<script>alert(1)</script>', 'two\nlines\r\tand tab', '**bold** _it_ `code` ```fence', 'pipe | semi; {brace} (paren)', 'back\\slash ~strike~', 'Ünïcödé 🙂 データ'];
    const doc = graphDoc(titles.map((t, i) => node(`n${i}`, t, 'llm')), []);
    const source = renderMermaid(doc, diffOf(graphDoc([], []), doc)).source;
    const check = checkMermaid(source);
    expect(check.problems).toEqual([]);
    expect(source).not.toMatch(/`/);
    const labels = titles.map((_t, i) => decode(check.nodes.get(`n_n${i}`)!));
    expect(labels).toEqual(titles.map((t) => `${t.replace(/[\r\n\t]+/g, ' ')} (llm)`));
  });

  it('keeps ids off keywords and apart when they sanitise alike', () => {
    const ids = mermaidIds(['end', 'a-b', 'a_b', 'a.b', '1718000000000', 'o', 'graph']);
    expect([...ids.values()]).toEqual(['n_end', 'n_a_b', 'n_a_b_2', 'n_a_b_3', 'n_1718000000000', 'n_o', 'n_graph']);
    const doc = graphDoc([node('end', 'End', 'end'), node('a-b', 'A'), node('a_b', 'B'), node('o', 'O')], [['a-b', 'a_b'], ['a_b', 'end'], ['o', 'end', 'true']]);
    const check = checkMermaid(renderMermaid(doc, diffOf(graphDoc([], []), doc)).source);
    expect(check.problems).toEqual([]);
    expect(check.edges.find((e) => e.from === 'n_o')).toEqual({ from: 'n_o', arrow: '==>', to: 'n_end', label: 'true' });
  });

  it('cuts a large graph down to the changed nodes and their neighbours, with a note', () => {
    const nodes = Array.from({ length: 200 }, (_v, i) => node(`s${i}`, `Step ${i}`));
    const edges = nodes.slice(1).map((n, i): [string, string] => [`s${i}`, n.id]);
    const before = graphDoc(nodes, edges);
    const after = structuredClone(before);
    after.workflow!.graph!.nodes![150]!.data.title = 'Step 150 renamed';
    const graph = renderMermaid(after, diffOf(before, after), { maxNodes: 30 });
    const check = checkMermaid(graph.source);
    expect(check.problems).toEqual([]);
    expect(graph.nodes).toEqual({ shown: 30, total: 200 });
    expect(graph.note).toBe('30 of 200 nodes shown (changed nodes and their neighbours first).');
    expect(check.classes.get('changed')).toEqual(['n_s150']);
    expect([...check.nodes.keys()]).toEqual(expect.arrayContaining(['n_s149', 'n_s150', 'n_s151']));
    expect(graph.source.length).toBeLessThan(6_000);
  });

  it('draws only what the diff names when the desired DSL is not given', () => {
    const before = graphDoc([node('a', 'A'), node('gone', 'Gone')], [['a', 'gone']]);
    const after = graphDoc([node('a', 'A renamed'), node('b', 'B')], [['a', 'b']]);
    const check = checkMermaid(renderMermaid(null, diffOf(before, after)).source);
    expect(check.problems).toEqual([]);
    expect(Object.fromEntries(check.classes)).toEqual({ added: ['n_b'], changed: ['n_a'], removed: ['n_gone'] });
    expect(check.edges.map((e) => e.arrow).sort()).toEqual(['-.->', '==>']);
  });

  it('gives a well-formed graph for every workflow in the corpus, both ways (half the nodes added, then removed)', () => {
    let checked = 0;
    for (const file of corpusFiles()) {
      const parsed = parseDsl(file.text, file.name);
      if (!parsed.ok || !WORKFLOW_MODES.includes(parsed.dsl.app.mode as AppMode) || parsed.dsl.workflow?.graph === undefined) continue;
      const full = parsed.dsl;
      const nodes = full.workflow?.graph?.nodes ?? [];
      const kept = new Set(nodes.filter((_n, i) => i % 2 === 0).map((n) => n.id));
      const half = structuredClone(full);
      half.workflow!.graph!.nodes = nodes.filter((n) => kept.has(n.id));
      half.workflow!.graph!.edges = (full.workflow?.graph?.edges ?? []).filter((e) => kept.has(e.source) && kept.has(e.target));
      const realNodes = new Set(nodes.filter((n) => n.type !== 'custom-note' && n.data.type !== '').map((n) => n.id));
      const [fullN, halfN] = [normalizeDsl(full), normalizeDsl(half)];
      for (const [desired, diff, shrinking] of [[full, diffDsl(halfN, fullN), false], [half, diffDsl(fullN, halfN), true]] as const) {
        const graph = renderMermaid(desired, diff, { maxNodes: 1_000, maxEdges: 2_000 });
        const check = checkMermaid(graph.source);
        expect(check.problems, file.name).toEqual([]);
        expect(graph.nodes.total, file.name).toBe(realNodes.size);
        expect(check.classes.get(shrinking ? 'added' : 'removed'), file.name).toBeUndefined();
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('never lets a label carry an unescaped character, whatever the title', () => {
    for (let code = 0; code < 0x250; code++) {
      const label = escapeMermaidLabel(`x${String.fromCharCode(code)}y`);
      expect(label, `U+${code.toString(16)}`).not.toMatch(/[[\](){}<>|`"\n\r]/);
      expect(label.replace(/#(?:[a-z]+|\d+);/g, ''), `U+${code.toString(16)}`).not.toContain('#');
    }
  });
});
