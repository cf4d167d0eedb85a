import { describe, expect, it } from 'vitest';
import { memoizeDump } from '../../src/simulator/dsl/dump-memo.js';

describe('memoizeDump', () => {
  it('dumps each distinct input once and returns the same text after', () => {
    let calls = 0;
    const dump = memoizeDump((value) => {
      calls += 1;
      return JSON.stringify(value, null, 1);
    });
    const a = { app: { name: 'x' }, workflow: { graph: { nodes: [1, 2] } } };
    expect(dump(a)).toBe(dump(structuredClone(a)));
    expect(calls).toBe(1);
  });

  it('sees any change in the input, however deep', () => {
    const dump = memoizeDump((value) => JSON.stringify(value));
    const a = { workflow: { environment_variables: [{ name: 'K', value: 'one' }] } };
    const b = structuredClone(a);
    b.workflow.environment_variables[0]!.value = 'two';
    expect(dump(a)).not.toBe(dump(b));
    expect(dump(b)).toContain('two');
  });

  it('stays bounded, evicting the least recently used input', () => {
    let calls = 0;
    const dump = memoizeDump((value) => {
      calls += 1;
      return String(value);
    });
    dump(0);
    for (let i = 1; i <= 512; i++) dump(i);
    expect(calls).toBe(513);
    dump(0); // evicted: dumped again
    expect(calls).toBe(514);
    dump(512); // still cached
    expect(calls).toBe(514);
  });
});
