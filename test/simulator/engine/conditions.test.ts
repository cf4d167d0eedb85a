import { describe, expect, it } from 'vitest';
import { compare, ConditionError, processConditions } from '../../../src/simulator/engine/conditions.js';
import { createPool } from '../../../src/simulator/engine/variable-pool.js';

describe('comparison operators', () => {
  it.each([
    ['contains', 'hello world', 'world', true],
    ['contains', 'hello', 'x', false],
    ['contains', ['a', 'b'], 'b', true],
    ['contains', '', 'x', false],
    ['not contains', 'hello', 'x', true],
    ['not contains', 'hello', 'ell', false],
    ['not contains', null, 'x', true],
    ['start with', 'hello', 'he', true],
    ['start with', 'hello', 'lo', false],
    ['end with', 'hello', 'lo', true],
    ['end with', '', 'lo', false],
    ['is', 'abc', 'abc', true],
    ['is', 'abc', 'abd', false],
    ['is', null, 'abc', false],
    ['is not', 'abc', 'abd', true],
    ['empty', '', null, true],
    ['empty', [], null, true],
    ['empty', 0, null, true],
    ['empty', 'x', null, false],
    ['not empty', ['x'], null, true],
    ['not empty', {}, null, false],
    ['=', 3, '3', true],
    ['=', 3.5, '3.5', true],
    ['=', 3, '4', false],
    ['=', true, true, true],
    ['=', null, '1', false],
    ['≠', 3, '4', true],
    ['≠', 3, '3', false],
    ['>', 5, '3', true],
    ['>', 2, '3', false],
    ['<', 2, '3', true],
    ['≥', 3, '3', true],
    ['≥', 2.5, '3', false],
    ['≤', 3, '3', true],
    ['≤', 4, 3, false],
    ['>', null, '3', false],
    ['null', null, null, true],
    ['null', 'x', null, false],
    ['not null', 'x', null, true],
    ['not null', null, null, false],
    ['in', 'b', ['a', 'b'], true],
    ['not in', 'c', ['a', 'b'], true],
    ['all of', ['a', 'b', 'c'], ['a', 'c'], true],
    ['all of', ['a'], ['a', 'c'], false],
    ['exists', 0, null, true],
    ['not exists', null, null, true],
  ])('%s: %j vs %j → %s', (op, value, expected, result) => {
    expect(compare(op, value, expected)).toBe(result);
  });

  it('rejects type mismatches like Dify does', () => {
    expect(() => compare('>', 'abc', '3')).toThrow(new ConditionError('Invalid actual value type: number'));
    expect(() => compare('start with', 42, '4')).toThrow('Invalid actual value type: string');
    expect(() => compare('is', 5, '5')).toThrow('Invalid actual value type: string or boolean');
    expect(() => compare('>', 5, 'many')).toThrow("Cannot convert 'many' to number");
    expect(() => compare('contains', 42, '4')).toThrow('Invalid actual value type: string or array');
    expect(() => compare('like', 'a', 'b')).toThrow('Unsupported operator: like');
  });
});

describe('processConditions', () => {
  const pool = createPool({ sys: { query: 'refund please' }, env: { LIMIT: 10 }, conversation: {} });
  pool.set('n1', { score: 7, label: 'gold', flag: true });

  it('combines with and / or and renders template expected values', () => {
    const gt = { variable_selector: ['n1', 'score'], comparison_operator: '>', value: '5' };
    const lt = { variable_selector: ['n1', 'score'], comparison_operator: '<', value: '{{#env.LIMIT#}}' };
    const no = { variable_selector: ['sys', 'query'], comparison_operator: 'contains', value: 'cancel' };
    expect(processConditions(pool, [gt, lt], 'and')).toBe(true);
    expect(processConditions(pool, [gt, no], 'and')).toBe(false);
    expect(processConditions(pool, [no, gt], 'or')).toBe(true);
    expect(processConditions(pool, [no], 'or')).toBe(false);
  });

  it('converts expected values for boolean variables', () => {
    expect(processConditions(pool, [{ variable_selector: ['n1', 'flag'], comparison_operator: 'is', value: 'true' }], 'and')).toBe(true);
    expect(processConditions(pool, [{ variable_selector: ['n1', 'flag'], comparison_operator: 'is', value: '0' }], 'and')).toBe(false);
  });

  it('reports a missing variable with its selector', () => {
    expect(() => processConditions(pool, [{ variable_selector: ['nope', 'x'], comparison_operator: 'empty' }], 'and')).toThrow(
      "Variable ['nope', 'x'] not found",
    );
  });
});
