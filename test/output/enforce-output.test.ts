// enforceOutput: repair → validate → fallback, with schemas compiled by the real registry. The
// reasons are asserted word for word: they are what a reviewer reads in a PR comment.
import { describe, expect, it } from 'vitest';
import { enforceOutput } from '../../src/output/enforce-output.js';
import { compileOutputSchemas } from '../../src/output/schema-registry.js';

const TICKET = `
type: object
required: [title, priority, reporter]
additionalProperties: false
properties:
  title: { type: string, minLength: 3 }
  priority: { enum: [low, medium, high] }
  reporter: { type: string, format: email }
  due: { type: string, format: date-time }
  estimate: { type: integer, minimum: 1 }
  tags: { type: array, items: { type: string } }
`;

function ticketSchema() {
  const { registry, diagnostics } = compileOutputSchemas([{ path: 'schemas/outputs/ticket.schema.yaml', text: TICKET }]);
  expect(diagnostics).toEqual([]);
  return registry.get('ticket')!.validate;
}

const schema = ticketSchema();
const good = { title: 'Login fails', priority: 'high', reporter: 'ada@example.com' };

describe('enforceOutput: valid outputs', () => {
  it('accepts clean JSON text without reasons', () => {
    expect(enforceOutput(JSON.stringify(good), { schema })).toEqual({
      ok: true,
      value: good,
      valid: true,
      repaired: false,
      reasons: [],
      usedFallback: false,
    });
  });

  it('accepts repaired text and lists every repair', () => {
    const text = "Here you go:\n```json\n{'title': 'Login fails', 'priority': 'high', 'reporter': 'ada@example.com',}\n```";
    expect(enforceOutput(text, { schema })).toEqual({
      ok: true,
      value: good,
      valid: true,
      repaired: true,
      reasons: ['removed ```json code fence', 'replaced single quotes with double quotes', 'removed trailing commas'],
      usedFallback: false,
    });
  });

  it('validates an already structured value (Dify workflow outputs) as it is', () => {
    const result = enforceOutput({ ...good, tags: ['auth'] }, { schema });
    expect(result).toEqual({ ok: true, value: { ...good, tags: ['auth'] }, valid: true, repaired: false, reasons: [], usedFallback: false });
  });

  it('accepts a truncated output that is complete enough for the schema', () => {
    const result = enforceOutput('{"title": "Login fails", "priority": "high", "reporter": "ada@example.com", "tags": ["au', { schema });
    expect(result.valid).toBe(true);
    expect(result.value).toEqual({ ...good, tags: ['au'] });
    expect(result.reasons).toEqual(['completed truncated JSON (closed a string, an array, an object)']);
  });
});

describe('enforceOutput: schema violations, each in words', () => {
  it.each([
    { name: 'missing required', value: { title: 'Login fails', priority: 'high' }, reasons: ['/reporter: is required'] },
    { name: 'enum', value: { ...good, priority: 'urgent' }, reasons: ['/priority: must be one of low, medium, high'] },
    { name: 'type', value: { ...good, estimate: '3' }, reasons: ['/estimate: must be integer (got string)'] },
    { name: 'additionalProperties', value: { ...good, severity: 2 }, reasons: ['/severity: is not allowed by the schema'] },
    { name: 'format email', value: { ...good, reporter: 'ada at example' }, reasons: ['/reporter: must be a valid email'] },
    { name: 'format date-time', value: { ...good, due: 'next Tuesday' }, reasons: ['/due: must be a valid date-time'] },
    { name: 'nested array item type', value: { ...good, tags: ['a', 2] }, reasons: ['/tags/1: must be string (got integer)'] },
    { name: 'minimum and minLength', value: { ...good, title: 'x', estimate: 0 }, reasons: ['/title: must NOT have fewer than 3 characters', '/estimate: must be >= 1'] },
    { name: 'top-level array instead of object', value: [good], reasons: ['/: must be object (got array)'] },
  ])('$name', ({ value, reasons }) => {
    const result = enforceOutput(value, { schema });
    expect(result).toEqual({ ok: false, value, valid: false, repaired: false, reasons, usedFallback: false });
  });

  it('reports every problem at once, after the repair steps', () => {
    const result = enforceOutput('```json\n{"priority": "urgent", "extra": true,}\n```', { schema });
    expect(result.ok).toBe(false);
    expect(result.value).toEqual({ priority: 'urgent', extra: true });
    expect(result.reasons).toEqual([
      'removed ```json code fence',
      'removed trailing commas',
      '/title: is required',
      '/reporter: is required',
      '/extra: is not allowed by the schema',
      '/priority: must be one of low, medium, high',
    ]);
  });

  it('says why text that holds no JSON fails', () => {
    const result = enforceOutput('I cannot create a ticket for that.', { schema });
    expect(result).toEqual({
      ok: false,
      value: null,
      valid: false,
      repaired: false,
      reasons: ['not JSON: no JSON object or array found in the output'],
      usedFallback: false,
    });
  });

  it('treats undefined (no output at all) as a failure, not as a value', () => {
    expect(enforceOutput(undefined, { schema }).reasons).toEqual(['not JSON: there is no output']);
  });
});

describe('enforceOutput: fallback policies', () => {
  const fallbackTicket = { title: 'Needs triage', priority: 'low', reporter: 'bot@example.com' };

  it('fail (the default) keeps ok false and returns what parsed', () => {
    const result = enforceOutput('{"priority": "urgent"}', { schema, fallback: { policy: 'fail' } });
    expect(result.ok).toBe(false);
    expect(result.usedFallback).toBe(false);
    expect(result.value).toEqual({ priority: 'urgent' });
  });

  it('default substitutes the value and says so', () => {
    const result = enforceOutput('no json', { schema, fallback: { policy: 'default', value: fallbackTicket } });
    expect(result).toEqual({
      ok: true,
      value: fallbackTicket,
      valid: false,
      repaired: false,
      reasons: ['not JSON: no JSON object or array found in the output', 'used the fallback: the default value'],
      usedFallback: true,
    });
  });

  it('null substitutes null even though the schema would reject it', () => {
    const result = enforceOutput('{"priority": "urgent"}', { schema, fallback: { policy: 'null' } });
    expect(result.ok).toBe(true);
    expect(result.value).toBeNull();
    expect(result.usedFallback).toBe(true);
    expect(result.reasons.at(-1)).toBe('used the fallback: null');
  });

  it('a default that violates the schema is refused, not silently used', () => {
    const result = enforceOutput('nope', { schema, fallback: { policy: 'default', value: { title: 'x' } } });
    expect(result.ok).toBe(false);
    expect(result.usedFallback).toBe(false);
    expect(result.reasons).toEqual([
      'not JSON: no JSON object or array found in the output',
      'the fallback default does not satisfy the schema either',
      'fallback default /priority: is required',
      'fallback default /reporter: is required',
      'fallback default /title: must NOT have fewer than 3 characters',
    ]);
  });

  it('a valid output never uses the fallback', () => {
    const result = enforceOutput(good, { schema, fallback: { policy: 'null' } });
    expect(result).toMatchObject({ ok: true, valid: true, usedFallback: false, value: good });
  });
});
