import { describe, expect, it } from 'vitest';
import { edge, endNode, eventTypes, llmNode, node, run, startNode } from '../../support/engine-graphs.js';

const text = (variable: string, extra: Record<string, unknown> = {}) => ({ variable, label: variable, type: 'text-input', required: true, ...extra });

describe('runGraph: start, end, template-transform', () => {
  it('maps inputs through a template into end outputs, emitting events in order', () => {
    const result = run(
      [
        startNode([text('name'), text('items', { type: 'json_object' })]),
        node('tt', 'template-transform', {
          template: 'Hello {{ who }}{% for i in list %} #{{ i }}{% endfor %}',
          variables: [
            { variable: 'who', value_selector: ['start', 'name'] },
            { variable: 'list', value_selector: ['start', 'items', 'ids'] },
          ],
        }),
        endNode('end', { greeting: ['tt', 'output'], raw: ['start', 'name'], missing: ['nope', 'x'] }),
      ],
      [edge('start', 'tt'), edge('tt', 'end')],
      { inputs: { name: 'Ada', items: { ids: [1, 2] } } },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ greeting: 'Hello Ada #1 #2', raw: 'Ada', missing: null });
    expect(result.totalSteps).toBe(3);
    expect(eventTypes(result)).toEqual([
      'node_started:start', 'node_finished:start', 'node_started:tt', 'node_finished:tt', 'node_started:end', 'node_finished:end',
    ]);
    const finished = result.events.filter((e) => e.type === 'node_finished');
    expect(finished.map((e) => (e.type === 'node_finished' ? [e.index, e.predecessorNodeId] : null))).toEqual([[1, null], [2, 'start'], [3, 'tt']]);
  });

  it('fails the run on a template error, with the node error as the run error', () => {
    const result = run(
      [startNode(), node('tt', 'template-transform', { template: '{% if %}', variables: [] }), endNode('end', {})],
      [edge('start', 'tt'), edge('tt', 'end')],
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^Template error: /);
    expect(result.outputs).toEqual({});
    expect(eventTypes(result)).not.toContain('node_started:end');
  });

  it('fails clearly without a start node or on an unknown node type, never throwing', () => {
    expect(run([endNode('end', {})], [])).toMatchObject({ status: 'failed', error: 'Graph has no start node' });
    const unknown = run([startNode(), node('x', 'quantum-oracle'), endNode('end', {})], [edge('start', 'x'), edge('x', 'end')]);
    expect(unknown).toMatchObject({ status: 'failed', error: "Node type 'quantum-oracle' is not supported by the simulator" });
    expect(run([null, 42, { data: 'x' }] as unknown[], [null, { source: 1 }] as unknown[])).toMatchObject({ status: 'failed' });
  });

  it('stops a cycle at the step budget instead of hanging', () => {
    const result = run(
      [startNode(), node('a', 'code', { outputs: {} }), node('b', 'code', { outputs: {} })],
      [edge('start', 'a'), edge('a', 'b'), edge('b', 'a')],
    );
    expect(result).toMatchObject({ status: 'failed', error: 'Max steps 500 reached.' });
    expect(result.totalSteps).toBe(501);
  });

  it('ignores sticky notes and edges from unreachable nodes', () => {
    const result = run(
      [startNode(), { id: 'note', type: 'custom-note', data: { type: '', text: 'hi' } }, node('orphan', 'code', { outputs: {} }), endNode('end', { v: ['start', 'x'] })],
      [edge('start', 'end'), edge('orphan', 'end')],
      { inputs: { x: 1 } },
    );
    expect(result).toMatchObject({ status: 'succeeded', outputs: { v: 1 } });
  });
});

describe('runGraph: if-else', () => {
  const graph = (cases: unknown) => [
    startNode([{ variable: 'n', type: 'number' }]),
    node('if', 'if-else', cases as Record<string, unknown>),
    node('big', 'template-transform', { template: 'big', variables: [] }),
    node('small', 'template-transform', { template: 'small', variables: [] }),
    node('agg', 'variable-aggregator', { variables: [['big', 'output'], ['small', 'output']], output_type: 'string' }),
    endNode('end', { out: ['agg', 'output'] }),
  ];

  it('follows the matching case id and merges branches through an aggregator', () => {
    const cases = { cases: [{ case_id: 'c1', logical_operator: 'and', conditions: [{ variable_selector: ['start', 'n'], comparison_operator: '>', value: '10' }] }] };
    const edges = [edge('start', 'if'), edge('if', 'big', 'c1'), edge('if', 'small', 'false'), edge('big', 'agg'), edge('small', 'agg'), edge('agg', 'end')];
    expect(run(graph(cases), edges, { inputs: { n: 11 } }).outputs).toEqual({ out: 'big' });
    const low = run(graph(cases), edges, { inputs: { n: 3 } });
    expect(low.outputs).toEqual({ out: 'small' });
    expect(eventTypes(low)).not.toContain('node_started:big');
  });

  it('supports the legacy true/false form', () => {
    const legacy = { logical_operator: 'or', conditions: [{ variable_selector: ['start', 'n'], comparison_operator: '=', value: '1' }] };
    const edges = [edge('start', 'if'), edge('if', 'big', 'true'), edge('if', 'small', 'false'), edge('big', 'agg'), edge('small', 'agg'), edge('agg', 'end')];
    expect(run(graph(legacy), edges, { inputs: { n: 1 } }).outputs).toEqual({ out: 'big' });
    expect(run(graph(legacy), edges, { inputs: { n: 2 } }).outputs).toEqual({ out: 'small' });
  });

  it('fails the node on a type mismatch', () => {
    const cases = { cases: [{ case_id: 'c1', conditions: [{ variable_selector: ['start', 'n'], comparison_operator: 'start with', value: '1' }] }] };
    const result = run(graph(cases), [edge('start', 'if'), edge('if', 'big', 'c1')], { inputs: { n: 11 } });
    expect(result).toMatchObject({ status: 'failed', error: 'Invalid actual value type: string' });
  });
});

describe('runGraph: LLM nodes and the stub model', () => {
  const withLlm = (messages: { role: string; text: string }[], data: Record<string, unknown> = {}) => [
    startNode([text('q')]),
    llmNode('llm', messages, data),
    endNode('end', { answer: ['llm', 'text'] }),
  ];
  const edges = [edge('start', 'llm'), edge('llm', 'end')];

  it('echoes the rendered last user message and streams end-bound text as text_chunk', () => {
    const result = run(withLlm([{ role: 'system', text: 'Key {{#env.KEY#}}' }, { role: 'user', text: 'Q: {{#start.q#}}' }]), edges, {
      inputs: { q: 'why?' },
      environment: { KEY: 'secret' },
    });
    expect(result.outputs).toEqual({ answer: 'echo: Q: why?' });
    const chunk = result.events.find((e) => e.type === 'text_chunk');
    expect(chunk).toEqual({ type: 'text_chunk', text: 'echo: Q: why?', fromVariableSelector: ['llm', 'text'] });
    // prompt "Key secret\nQ: why?" = 18 chars → 5 tokens; reply 13 chars → 4 tokens
    expect(result.usage).toEqual({ promptTokens: 5, completionTokens: 4, totalTokens: 9 });
    const finished = result.events.find((e) => e.type === 'node_finished' && e.nodeId === 'llm');
    expect(finished).toMatchObject({ outputs: { text: 'echo: Q: why?', usage: { total_tokens: 9, total_price: '0.0000130' } } });
  });

  it('answers RESPOND directives and changes when the prompt changes', () => {
    const a = run(withLlm([{ role: 'system', text: 'RESPOND: {"ok": true}' }, { role: 'user', text: '{{#start.q#}}' }]), edges, { inputs: { q: 'x' } });
    const b = run(withLlm([{ role: 'system', text: 'RESPOND: {"ok": false}' }, { role: 'user', text: '{{#start.q#}}' }]), edges, { inputs: { q: 'x' } });
    expect(a.outputs.answer).toBe('{"ok": true}');
    expect(b.outputs.answer).toBe('{"ok": false}');
  });

  it('fails the run on FAIL and records the latency of SLEEP_MS', () => {
    const failed = run(withLlm([{ role: 'user', text: 'SLEEP_MS: 30\nFAIL: rate limited by provider' }]), edges);
    expect(failed).toMatchObject({ status: 'failed', error: 'rate limited by provider' });
    const finished = failed.events.find((e) => e.type === 'node_finished' && e.nodeId === 'llm');
    expect(finished).toMatchObject({ status: 'failed', error: 'rate limited by provider', latencyMs: 30 });
  });

  it('renders jinja2 prompts, the context variable and conversation variables', () => {
    const jinja = run(
      withLlm([{ role: 'user', text: '', edition_type: 'jinja2', jinja2_text: '{{ q | upper }}!' } as never], {
        prompt_config: { jinja2_variables: [{ variable: 'q', value_selector: ['start', 'q'] }] },
      }),
      edges,
      { inputs: { q: 'loud' } },
    );
    expect(jinja.outputs.answer).toBe('echo: LOUD!');
    const context = run(
      withLlm([{ role: 'user', text: 'ctx={{#context#}} c={{#conversation.topic#}}' }], { context: { enabled: true, variable_selector: ['start', 'q'] } }),
      edges,
      { inputs: { q: 'docs' }, conversation: { topic: 'billing' } },
    );
    expect(context.outputs.answer).toBe('echo: ctx=docs c=billing');
  });

  it('parses (and repairs) structured output, failing when a RESPOND reply is not JSON', () => {
    const ok = run(withLlm([{ role: 'user', text: "RESPOND: {'score': 3,}" }], { structured_output_enabled: true }), edges);
    expect(ok.status).toBe('succeeded');
    expect(ok.events.find((e) => e.type === 'node_finished' && e.nodeId === 'llm')).toMatchObject({ outputs: { structured_output: { score: 3 } } });
    const bad = run(withLlm([{ role: 'user', text: 'RESPOND: plain words' }], { structured_output_enabled: true }), edges);
    expect(bad).toMatchObject({ status: 'failed', error: 'Failed to parse structured output: plain words' });
  });

  it('answers the schema defaults for structured output when there is no RESPOND directive', () => {
    const schema = { type: 'object', properties: { title: { type: 'string' }, tags: { type: 'array' }, meta: { type: 'object', properties: { n: { type: 'integer' }, ok: { type: 'boolean' } } } } };
    const result = run(withLlm([{ role: 'user', text: 'anything' }], { structured_output_enabled: true, structured_output: { schema } }), edges);
    expect(result.outputs.answer).toBe('{"title":"","tags":[],"meta":{"n":0,"ok":false}}');
    expect(result.events.find((e) => e.type === 'node_finished' && e.nodeId === 'llm')).toMatchObject({
      outputs: { structured_output: { title: '', tags: [], meta: { n: 0, ok: false } } },
    });
  });

  it('fails with provider_not_initialize semantics when the provider has no valid credential', () => {
    const result = run(withLlm([{ role: 'user', text: 'hi' }], { model: { provider: 'openai', name: 'gpt-4o' } }), edges, {
      unavailableProviders: ['langgenius/openai/openai'],
    });
    expect(result).toMatchObject({ status: 'failed', error: 'Model gpt-4o credentials is not initialized.' });
  });

  it('routes a question classifier by the reply and extracts parameters from JSON', () => {
    const classes = [{ id: 'c-refund', name: 'Refund' }, { id: 'c-other', name: 'Other' }];
    const graph = (query: string) =>
      run(
        [
          startNode([text('q')]),
          node('qc', 'question-classifier', { classes, query_variable_selector: ['start', 'q'], model: { provider: 'openai', name: 'm' } }),
          node('r', 'template-transform', { template: 'refund path', variables: [] }),
          node('o', 'template-transform', { template: 'other path', variables: [] }),
          node('pe', 'parameter-extractor', {
            query: ['start', 'q'],
            parameters: [{ name: 'amount', type: 'number', required: true }, { name: 'reason', type: 'string' }],
            model: { provider: 'openai', name: 'm' },
          }),
          endNode('end', { path: ['r', 'output'], cls: ['qc', 'class_name'], amount: ['pe', 'amount'], ok: ['pe', '__is_success'] }),
        ],
        [edge('start', 'qc'), edge('qc', 'r', 'c-refund'), edge('qc', 'o', 'c-other'), edge('r', 'pe'), edge('o', 'pe'), edge('pe', 'end')],
        { inputs: { q: query } },
      );
    expect(graph('RESPOND: Refund').outputs).toEqual({ path: 'refund path', cls: 'Refund', amount: 0, ok: 0 });
    const other = graph('{"amount": "12.5", "reason": "late"}');
    expect(other.outputs).toMatchObject({ path: 'refund path', cls: 'Refund', amount: 12.5, ok: 1 });
    const routedOther = graph('RESPOND: other');
    expect(routedOther.outputs).toMatchObject({ cls: 'Other', path: null });
  });

  it('runs an agent node as one model call over instruction and query', () => {
    const result = run(
      [
        startNode([text('q')]),
        node('ag', 'agent', {
          agent_parameters: {
            instruction: { type: 'constant', value: 'Be brief.' },
            query: { type: 'constant', value: 'ask {{#start.q#}}' },
            model: { type: 'constant', value: { provider: 'langgenius/openai/openai', model: 'gpt-4o' } },
          },
        }),
        endNode('end', { t: ['ag', 'text'] }),
      ],
      [edge('start', 'ag'), edge('ag', 'end')],
      { inputs: { q: 'x' } },
    );
    expect(result.outputs).toEqual({ t: 'echo: ask x' });
  });
});

describe('runGraph: error strategies', () => {
  const failing = (strategy: Record<string, unknown>) =>
    run(
      [
        startNode(),
        llmNode('llm', [{ role: 'user', text: 'FAIL: boom' }], strategy),
        node('fb', 'template-transform', { template: 'fallback {{ m }}', variables: [{ variable: 'm', value_selector: ['llm', 'error_message'] }] }),
        endNode('end', { text: ['llm', 'text'], fb: ['fb', 'output'] }),
      ],
      [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'fb', 'fail-branch'), edge('fb', 'end')],
    );

  it('fail-branch takes the fail-branch edge and ends partial-succeeded', () => {
    const result = failing({ error_strategy: 'fail-branch' });
    expect(result.status).toBe('partial-succeeded');
    expect(result.outputs).toEqual({ text: null, fb: 'fallback boom' });
    expect(result.events.find((e) => e.type === 'node_finished' && e.nodeId === 'llm')).toMatchObject({
      status: 'exception',
      error: 'boom',
      outputs: { error_message: 'boom', error_type: 'InvokeError' },
    });
  });

  it('default-value continues on the success edge with the declared defaults', () => {
    const result = failing({ error_strategy: 'default-value', default_value: [{ key: 'text', type: 'string', value: 'sorry' }] });
    expect(result.status).toBe('partial-succeeded');
    expect(result.outputs).toEqual({ text: 'sorry', fb: null });
  });

  it('no strategy fails the run', () => {
    expect(failing({})).toMatchObject({ status: 'failed', error: 'boom' });
  });
});
