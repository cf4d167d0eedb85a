// extractJson over a table of malformed outputs as LLMs really write them: the value recovered
// and the steps reported, not just "it parsed".
import { describe, expect, it } from 'vitest';
import { extractJson } from '../../src/output/extract-json.js';

interface Case {
  name: string;
  text: string;
  value: unknown;
  steps: string[];
}

const FENCE = '```';

const recovered: Case[] = [
  { name: 'clean JSON needs no step', text: '{"priority": "high", "tags": ["a"]}', value: { priority: 'high', tags: ['a'] }, steps: [] },
  { name: 'clean JSON with surrounding whitespace', text: '\n\n  {"a": 1}\n', value: { a: 1 }, steps: [] },
  { name: 'top-level array', text: '[{"id": 1}, {"id": 2}]', value: [{ id: 1 }, { id: 2 }], steps: [] },
  {
    name: 'json fence with language tag',
    text: `${FENCE}json\n{"title": "Login fails", "priority": "high"}\n${FENCE}`,
    value: { title: 'Login fails', priority: 'high' },
    steps: ['removed ```json code fence'],
  },
  { name: 'bare fence', text: `${FENCE}\n{"a": 1}\n${FENCE}\n`, value: { a: 1 }, steps: ['removed ``` code fence'] },
  { name: 'JSON5 fence tag, upper case', text: `${FENCE}JSONC\n{"a": 1}\n${FENCE}`, value: { a: 1 }, steps: ['removed ```jsonc code fence'] },
  { name: 'tilde fence', text: '~~~json\n{"a": 1}\n~~~', value: { a: 1 }, steps: ['removed ~~~json code fence'] },
  { name: 'fence with CRLF line endings', text: `${FENCE}json\r\n{"a": 1}\r\n${FENCE}\r\n`, value: { a: 1 }, steps: ['removed ```json code fence'] },
  { name: 'fence on one line with its content', text: `${FENCE}json{"a":1}${FENCE}`, value: { a: 1 }, steps: ['removed code fence markers'] },
  { name: 'tilde fence on one line', text: '~~~json{"a":1}~~~', value: { a: 1 }, steps: ['removed code fence markers'] },
  {
    name: 'prose before and after a fence',
    text: `Sure! Here is the ticket you asked for:\n\n${FENCE}json\n{"title": "x"}\n${FENCE}\n\nLet me know if you need anything else.`,
    value: { title: 'x' },
    steps: ['removed ```json code fence'],
  },
  {
    name: 'prose before and after, no fence',
    text: 'Here is the JSON: {"a": 1} — hope this helps!',
    value: { a: 1 },
    steps: ['ignored text before the JSON', 'ignored text after the JSON'],
  },
  {
    name: 'prose brackets that are not JSON are skipped',
    text: 'Based on the ticket [see below] and the {customer} field, the answer is {"k": "v"}',
    value: { k: 'v' },
    steps: ['ignored text before the JSON'],
  },
  { name: 'trailing commas', text: '{"a": 1, "b": [1, 2,],}', value: { a: 1, b: [1, 2] }, steps: ['removed trailing commas'] },
  { name: 'top-level array with trailing comma', text: '[1, 2, 3,]', value: [1, 2, 3], steps: ['removed trailing commas'] },
  {
    name: 'single quotes (Python repr)',
    text: "{'name': 'Ada', 'langs': ['en', 'fr']}",
    value: { name: 'Ada', langs: ['en', 'fr'] },
    steps: ['replaced single quotes with double quotes'],
  },
  {
    name: 'line and block comments',
    text: '{\n  // the ticket priority\n  "priority": "low", /* guessed */\n  "n": 2\n}',
    value: { priority: 'low', n: 2 },
    steps: ['removed comments'],
  },
  { name: 'unquoted keys', text: '{priority: "low", count: 3}', value: { priority: 'low', count: 3 }, steps: ['quoted unquoted keys'] },
  {
    name: 'Python literals',
    text: "{'urgent': True, 'done': False, 'owner': None}",
    value: { urgent: true, done: false, owner: null },
    steps: ['replaced single quotes with double quotes', 'converted Python literals (True, False, None) to JSON'],
  },
  {
    name: 'smart quotes from a word processor',
    text: '{\u201Ctitle\u201D: \u201CLogin fails\u201D}',
    value: { title: 'Login fails' },
    steps: ['replaced typographic quotes (\u201C \u201D \u2018 \u2019) with double quotes'],
  },
  {
    name: 'smart quotes inside a proper string are content, not repairs',
    text: '{"quote": "she said \u201Chi\u201D"}',
    value: { quote: 'she said \u201Chi\u201D' },
    steps: [],
  },
  { name: 'byte-order mark', text: '\uFEFF{"a": 1}', value: { a: 1 }, steps: ['removed byte-order mark'] },
  {
    name: 'truncated object (max_tokens reached)',
    text: '{"title": "Login fails", "priority": "high", "tags": ["auth", "web"',
    value: { title: 'Login fails', priority: 'high', tags: ['auth', 'web'] },
    steps: ['completed truncated JSON (closed an array, an object)'],
  },
  {
    name: 'truncated inside a string',
    text: '{"summary": "The user cannot log in bec',
    value: { summary: 'The user cannot log in bec' },
    steps: ['completed truncated JSON (closed a string, an object)'],
  },
  { name: 'truncated top-level array', text: '[1, 2, {"a": 3', value: [1, 2, { a: 3 }], steps: ['completed truncated JSON (closed an object, an array)'] },
  {
    name: 'truncated inside an unclosed fence',
    text: `${FENCE}json\n{"a": [1, 2`,
    value: { a: [1, 2] },
    steps: ['removed unclosed ```json code fence', 'completed truncated JSON (closed an array, an object)'],
  },
  {
    name: 'raw newline inside a string',
    text: '{"body": "line one\nline two"}',
    value: { body: 'line one\nline two' },
    steps: ['escaped raw line breaks or control characters inside strings'],
  },
  {
    name: 'escaped JSON inside a JSON string is decoded once',
    text: '"{\\"a\\": 1}"',
    value: { a: 1 },
    steps: ['decoded JSON that was encoded as a string'],
  },
  { name: 'a JSON string that is not JSON stays a string', text: '"just text"', value: 'just text', steps: [] },
  { name: 'a bare scalar is a JSON value', text: '42', value: 42, steps: [] },
  {
    name: 'several blocks: the first that parses wins, and the choice is recorded',
    text: 'Option A:\n{"choice": "a"}\nOption B:\n{"choice": "b"}',
    value: { choice: 'a' },
    steps: ['found 2 JSON blocks; used block 1', 'ignored text before the JSON', 'ignored text after the JSON'],
  },
  {
    name: 'several fenced blocks: an unparsable first block is skipped',
    text: `${FENCE}json\n{"a": 1 ! 2}\n${FENCE}\nFixed:\n${FENCE}json\n{"a": 2}\n${FENCE}`,
    value: { a: 2 },
    steps: ['found 2 JSON blocks; used block 2', 'skipped block 1: it does not parse even after repair', 'removed ```json code fence'],
  },
  {
    name: 'a repairable first block still beats a clean second one (document order)',
    text: 'First: {"v": 1,} then {"v": 2}',
    value: { v: 1 },
    steps: ['found 2 JSON blocks; used block 1', 'ignored text before the JSON', 'ignored text after the JSON', 'removed trailing commas'],
  },
  {
    name: 'a complete block beats a truncated one that comes earlier in a fence',
    text: `${FENCE}json\n{"draft": tru\n${FENCE}\n{"final": true}`,
    value: { final: true },
    steps: ['found 2 JSON blocks; used block 2', 'skipped block 1: it is truncated'],
  },
  {
    name: 'a fenced block beats an example given in the prose before it',
    text: `The format is {"priority": "<level>"}. Answer:\n${FENCE}json\n{"priority": "high"}\n${FENCE}`,
    value: { priority: 'high' },
    steps: ['found 2 JSON blocks; used block 2', 'skipped block 1: it is outside the code fence', 'removed ```json code fence'],
  },
  {
    name: 'NDJSON is two blocks, not an array',
    text: '{"a": 1}\n{"b": 2}',
    value: { a: 1 },
    steps: ['found 2 JSON blocks; used block 1', 'ignored text after the JSON'],
  },
  {
    name: 'everything at once',
    text: `Sure!\n${FENCE}json\n{\n  title: 'Login fails', // from the email\n  urgent: True,\n  tags: ['auth',],\n${FENCE}`,
    value: { title: 'Login fails', urgent: true, tags: ['auth'] },
    steps: [
      'removed ```json code fence',
      'removed comments',
      'replaced single quotes with double quotes',
      'converted Python literals (True, False, None) to JSON',
      'quoted unquoted keys',
      'removed trailing commas',
      'completed truncated JSON (closed an object)',
    ],
  },
];

describe('extractJson recovers the value and says how', () => {
  it.each(recovered)('$name', ({ text, value, steps }) => {
    const result = extractJson(text);
    expect(result).toEqual({ ok: true, value, steps });
  });
});

describe('extractJson refuses what holds no JSON', () => {
  it.each([
    { name: 'empty output', text: '', error: 'the output is empty' },
    { name: 'whitespace only', text: ' \n\t ', error: 'the output is empty' },
    { name: 'BOM only', text: '\uFEFF', error: 'the output is empty' },
    { name: 'pure prose', text: 'I am sorry, I cannot help with that request.', error: 'no JSON object or array found in the output' },
    { name: 'prose with bracketed words', text: 'See [the docs] and {name} for details.', error: 'no JSON object or array found in the output' },
    { name: 'an empty fence', text: `${FENCE}json\n${FENCE}`, error: 'no JSON object or array found in the output' },
  ])('$name', ({ text, error }) => {
    const result = extractJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe(error);
  });

  it('reports the parse error when the only candidate cannot be repaired', () => {
    const result = extractJson('Result: {"a": 1 ! 2}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe('the JSON found does not parse even after repair: Colon expected at position 11');
  });

  it('keeps the BOM step when nothing else is found', () => {
    expect(extractJson('\uFEFFno json here')).toEqual({ ok: false, error: 'no JSON object or array found in the output', steps: ['removed byte-order mark'] });
  });
});

describe('extractJson on large input', () => {
  it('handles a long prose preamble and a big array in one pass', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: i, label: `item ${i}` }));
    const text = `${'Thinking… '.repeat(2000)}\n${JSON.stringify(items).slice(0, -1)},]`;
    const result = extractJson(text);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value).toEqual(items);
      expect(result.steps).toEqual(['ignored text before the JSON', 'removed trailing commas']);
    }
  });
});

describe('extractJson stays linear on repair-heavy input', () => {
  it('describes the repairs of a 20,000-entry Python dict with unquoted keys', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `k${i}: True`).join(', ');
    const result = extractJson(`Result: {${entries},}`);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.keys(result.value as object)).toHaveLength(20_000);
      expect(result.steps).toEqual([
        'ignored text before the JSON',
        'converted Python literals (True, False, None) to JSON',
        'quoted unquoted keys',
        'removed trailing commas',
      ]);
    }
  });
});
