// Shards: every app in exactly one shard, the same shard on every run, and adding apps never
// moves an existing app. Pure.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { inShard, parseShard, shardOf } from '../../src/reconcile/shard.js';

const names = (n: number, prefix = 'app'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('shards', () => {
  it('cover every app exactly once (union = all, disjoint)', () => {
    const apps = names(1000);
    const count = 4;
    const shards = Array.from({ length: count }, (_, index) => apps.filter((app) => inShard('prod', app, { index, count })));
    expect(shards.flat().sort()).toEqual([...apps].sort());
    expect(new Set(shards.flat()).size).toBe(apps.length);
    // Spread: no shard is empty or holds more than half.
    for (const shard of shards) expect(shard.length).toBeGreaterThan(150);
    for (const shard of shards) expect(shard.length).toBeLessThan(350);
  });

  it('keep each app in its shard when other apps are added', () => {
    const before = new Map(names(200).map((app) => [app, shardOf('prod', app, 5)]));
    const after = new Map([...names(200), ...names(300, 'new')].map((app) => [app, shardOf('prod', app, 5)]));
    for (const [app, shard] of before) expect(after.get(app)).toBe(shard);
  });

  it('depend on the environment too', () => {
    const apps = names(100);
    const prod = apps.map((a) => shardOf('prod', a, 4));
    const staging = apps.map((a) => shardOf('staging', a, 4));
    expect(prod).not.toEqual(staging);
  });

  it('parse i/n counting from 1', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2']) expect(() => parseShard(bad)).toThrow(UsageError);
  });
});
