import { describe, expect, it } from 'vitest';
import { rowsBy } from '../../src/simulator/row-index.js';

interface Row {
  id: string;
  app: string;
}
const byId = (r: Row): string => r.id;
const byApp = (r: Row): string | null => (r.app === '' ? null : r.app);

describe('rowsBy', () => {
  it('answers what Array.find would: the first row per key, rows without a key left out', () => {
    const rows: Row[] = [
      { id: 'a', app: 'x' },
      { id: 'b', app: 'x' },
      { id: 'c', app: '' },
    ];
    expect(rowsBy(rows, byApp).get('x')).toBe(rows[0]);
    expect([...rowsBy(rows, byApp).keys()]).toEqual(['x']);
    expect(rowsBy(rows, byId).get('c')).toBe(rows[2]);
  });

  it('sees a pushed row and a row filtered out (a new array), and keeps one index per key function', () => {
    let rows: Row[] = [{ id: 'a', app: 'x' }];
    expect(rowsBy(rows, byId).get('b')).toBeUndefined();
    rows.push({ id: 'b', app: 'y' });
    expect(rowsBy(rows, byId).get('b')).toBe(rows[1]);
    expect(rowsBy(rows, byApp).get('y')).toBe(rows[1]);
    rows = rows.filter((r) => r.id !== 'a');
    expect(rowsBy(rows, byId).get('a')).toBeUndefined();
    expect(rowsBy(rows, byApp).get('x')).toBeUndefined();
  });
});
