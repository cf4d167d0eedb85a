import { describe, expect, it } from 'vitest';
import { edge, endNode, llmNode, node, run, startNode } from '../../support/engine-graphs.js';

describe('advanced-chat: answers and conversation variables', () => {
  it('streams answer parts as message events and concatenates the answer', () => {
    const result = run(
      [
        startNode(),
        llmNode('llm', [{ role: 'system', text: 'You help.' }], { memory: { window: { enabled: false } } }),
        node('ans', 'answer', { answer: 'A: {{#llm.text#}} (n={{#sys.dialogue_count#}})' }),
      ],
      [edge('start', 'llm'), edge('llm', 'ans')],
      { mode: 'advanced-chat', query: 'where is my order', sys: { dialogue_count: 2 } },
    );
    expect(result.status).toBe('succeeded');
    expect(result.answer).toBe('A: echo: where is my order (n=2)');
    expect(result.outputs).toEqual({});
    expect(result.events.filter((e) => e.type === 'message')).toEqual([
      { type: 'message', answer: 'A: ', fromVariableSelector: null },
      { type: 'message', answer: 'echo: where is my order', fromVariableSelector: ['llm', 'text'] },
      { type: 'message', answer: ' (n=', fromVariableSelector: null },
      { type: 'message', answer: '2', fromVariableSelector: ['sys', 'dialogue_count'] },
      { type: 'message', answer: ')', fromVariableSelector: null },
    ]);
  });

  it('writes conversation variables with assigner v2 operations and v1 write modes', () => {
    const result = run(
      [
        startNode(),
        node('as2', 'assigner', {
          version: '2',
          items: [
            { variable_selector: ['conversation', 'count'], operation: '+=', input_type: 'constant', value: 2 },
            { variable_selector: ['conversation', 'history'], operation: 'append', input_type: 'variable', value: ['sys', 'query'] },
            { variable_selector: ['conversation', 'tags'], operation: 'clear', input_type: 'constant', value: null },
            { variable_selector: ['conversation', 'last'], operation: 'over-write', input_type: 'variable', value: ['sys', 'query'] },
          ],
        }),
        node('as1', 'assigner', { assigned_variable_selector: ['conversation', 'mirror'], input_variable_selector: ['conversation', 'last'], write_mode: 'over-write' }),
        node('ans', 'answer', { answer: '{{#conversation.count#}}/{{#conversation.mirror#}}' }),
      ],
      [edge('start', 'as2'), edge('as2', 'as1'), edge('as1', 'ans')],
      { mode: 'advanced-chat', query: 'hi', conversation: { count: 1, history: ['old'], tags: ['t'], last: '', mirror: '' } },
    );
    expect(result.status).toBe('succeeded');
    expect(result.conversation).toEqual({ count: 3, history: ['old', 'hi'], tags: [], last: 'hi', mirror: 'hi' });
    expect(result.answer).toBe('3/hi');
  });

  it('fails an assigner that targets a missing variable or mixes types', () => {
    const missing = run([startNode(), node('as', 'assigner', { items: [{ variable_selector: ['conversation', 'nope'], operation: 'set', input_type: 'constant', value: 1 }] })], [edge('start', 'as')], { mode: 'advanced-chat' });
    expect(missing).toMatchObject({ status: 'failed', error: 'Variable conversation.nope not found' });
    const mixed = run([startNode(), node('as', 'assigner', { items: [{ variable_selector: ['conversation', 'n'], operation: '+=', input_type: 'constant', value: 'x' }] })], [edge('start', 'as')], { mode: 'advanced-chat', conversation: { n: 1 } });
    expect(mixed).toMatchObject({ status: 'failed', error: 'Operation += needs number values' });
  });

  it('streams answers in workflow mode as text_chunk', () => {
    const result = run([startNode(), node('ans', 'answer', { answer: 'plain' })], [edge('start', 'ans')]);
    expect(result.events.filter((e) => e.type === 'text_chunk')).toEqual([{ type: 'text_chunk', text: 'plain', fromVariableSelector: ['ans', 'answer'] }]);
  });
});

describe('placeholder node types', () => {
  it('return deterministic outputs of their declared shapes', () => {
    const result = run(
      [
        startNode(),
        node('code', 'code', { outputs: { s: { type: 'string' }, n: { type: 'number' }, b: { type: 'boolean' }, o: { type: 'object' }, a: { type: 'array[string]' } } }),
        node('http', 'http-request', { method: 'get', url: 'https://example.com' }),
        node('tool', 'tool', { provider_id: 'x' }),
        node('kr', 'knowledge-retrieval', { dataset_ids: [] }),
        node('doc', 'document-extractor', { variable_selector: ['sys', 'files'] }),
        endNode('end', {
          s: ['code', 's'], n: ['code', 'n'], b: ['code', 'b'], o: ['code', 'o'], a: ['code', 'a'],
          status: ['http', 'status_code'], body: ['http', 'body'], tool: ['tool', 'text'], kr: ['kr', 'result'], doc: ['doc', 'text'],
        }),
      ],
      [edge('start', 'code'), edge('code', 'http'), edge('http', 'tool'), edge('tool', 'kr'), edge('kr', 'doc'), edge('doc', 'end')],
    );
    expect(result.outputs).toEqual({ s: '', n: 0, b: false, o: {}, a: [], status: 200, body: '', tool: '', kr: [], doc: [] });
  });

  it('list-operator filters, sorts, extracts and limits', () => {
    const graph = (data: Record<string, unknown>) =>
      run(
        [startNode(), node('lo', 'list-operator', { variable: ['start', 'xs'], ...data }), endNode('end', { r: ['lo', 'result'], f: ['lo', 'first_record'], l: ['lo', 'last_record'] })],
        [edge('start', 'lo'), edge('lo', 'end')],
        { inputs: { xs: [5, 1, 9, 3] } },
      ).outputs;
    expect(graph({ filter_by: { enabled: true, conditions: [{ comparison_operator: '>', value: '2' }] }, order_by: { enabled: true, value: 'desc' } })).toEqual({ r: [9, 5, 3], f: 9, l: 3 });
    expect(graph({ limit: { enabled: true, size: 2 } })).toEqual({ r: [5, 1], f: 5, l: 1 });
    expect(graph({ extract_by: { enabled: true, serial: '3' } })).toEqual({ r: [9], f: 9, l: 9 });
  });

  it('human-input takes the first user action without pausing', () => {
    const result = run(
      [startNode(), node('h', 'human-input', { user_actions: [{ id: 'approve', title: 'Approve' }, { id: 'reject', title: 'Reject' }] }), node('a', 'template-transform', { template: 'approved', variables: [] }), node('r', 'template-transform', { template: 'rejected', variables: [] }), endNode('end', { a: ['a', 'output'], r: ['r', 'output'] })],
      [edge('start', 'h'), edge('h', 'a', 'approve'), edge('h', 'r', 'reject'), edge('a', 'end'), edge('r', 'end')],
    );
    expect(result.outputs).toEqual({ a: 'approved', r: null });
  });

  it('trigger roots start the graph when there is no start node', () => {
    const result = run([node('hook', 'trigger-webhook'), endNode('end', { v: ['hook', 'payload'] })], [edge('hook', 'end')], { inputs: { payload: 'p' } });
    expect(result).toMatchObject({ status: 'succeeded', outputs: { v: 'p' } });
  });
});

describe('containers', () => {
  const child = (id: string, type: string, parent: string, data: Record<string, unknown> = {}) => node(id, type, data, { parentId: parent });

  it('iteration runs its body per item and collects the output selector', () => {
    const result = run(
      [
        startNode(),
        node('it', 'iteration', { iterator_selector: ['start', 'xs'], output_selector: ['tt', 'output'], start_node_id: 'itstart' }),
        child('itstart', 'iteration-start', 'it'),
        child('tt', 'template-transform', 'it', { template: '{{ i }}:{{ x | upper }}', variables: [{ variable: 'x', value_selector: ['it', 'item'] }, { variable: 'i', value_selector: ['it', 'index'] }] }),
        endNode('end', { out: ['it', 'output'] }),
      ],
      [edge('start', 'it'), edge('itstart', 'tt'), edge('it', 'end')],
      { inputs: { xs: ['a', 'b'] } },
    );
    expect(result).toMatchObject({ status: 'succeeded', outputs: { out: ['0:A', '1:B'] } });
    expect(result.events.filter((e) => e.type === 'node_started').map((e) => (e.type === 'node_started' ? e.nodeId : ''))).toEqual(['start', 'it', 'end']);
  });

  it('iteration error modes: terminated fails, continue-on-error keeps null, remove-abnormal-output drops', () => {
    const graph = (mode: string) =>
      run(
        [
          startNode(),
          node('it', 'iteration', { iterator_selector: ['start', 'xs'], output_selector: ['llm', 'text'], start_node_id: 's', error_handle_mode: mode }),
          child('s', 'iteration-start', 'it'),
          { ...llmNode('llm', [{ role: 'user', text: '{{#it.item#}}' }]), parentId: 'it' },
          endNode('end', { out: ['it', 'output'] }),
        ],
        [edge('start', 'it'), edge('s', 'llm'), edge('it', 'end')],
        { inputs: { xs: ['ok', 'FAIL: bad item', 'fine'] } },
      );
    expect(graph('terminated')).toMatchObject({ status: 'failed', error: 'bad item' });
    expect(graph('continue-on-error').outputs).toEqual({ out: ['echo: ok', null, 'echo: fine'] });
    expect(graph('remove-abnormal-output').outputs).toEqual({ out: ['echo: ok', 'echo: fine'] });
  });

  it('loop updates loop variables until its break condition holds (Dify fixture shape)', () => {
    const result = run(
      [
        startNode(),
        node('lp', 'loop', {
          start_node_id: 'lpstart',
          loop_count: 10,
          logical_operator: 'and',
          break_conditions: [{ variable_selector: ['lp', 'i'], comparison_operator: '≥', value: '2' }],
          loop_variables: [{ label: 'i', var_type: 'number', value_type: 'constant', value: '0' }],
        }),
        child('lpstart', 'loop-start', 'lp'),
        child('inc', 'assigner', 'lp', { version: '2', items: [{ variable_selector: ['lp', 'i'], operation: '+=', input_type: 'constant', value: 1 }] }),
        child('inner', 'answer', 'lp', { answer: '{{#lp.i#}}\n' }),
        node('ans', 'answer', { answer: '{{#sys.query#}} + {{#lp.i#}}' }),
      ],
      [edge('start', 'lp'), edge('lpstart', 'inc'), edge('inc', 'inner'), edge('lp', 'ans')],
      { mode: 'advanced-chat', query: 'q' },
    );
    expect(result.status).toBe('succeeded');
    expect(result.answer).toBe('1\n2\nq + 2');
  });

  it('loop-end breaks out and loop_count caps the rounds', () => {
    const graph = (withEnd: boolean) =>
      run(
        [
          startNode(),
          node('lp', 'loop', { start_node_id: 'ls', loop_count: 1000, loop_variables: [{ label: 'n', var_type: 'number', value_type: 'constant', value: 0 }] }),
          child('ls', 'loop-start', 'lp'),
          child('inc', 'assigner', 'lp', { items: [{ variable_selector: ['lp', 'n'], operation: '+=', input_type: 'constant', value: 1 }] }),
          ...(withEnd ? [child('stop', 'loop-end', 'lp')] : []),
          endNode('end', { n: ['lp', 'n'] }),
        ],
        [edge('start', 'lp'), edge('ls', 'inc'), ...(withEnd ? [edge('inc', 'stop')] : []), edge('lp', 'end')],
      );
    expect(graph(true).outputs).toEqual({ n: 1 });
    expect(graph(false).outputs).toEqual({ n: 100 });
  });
});
