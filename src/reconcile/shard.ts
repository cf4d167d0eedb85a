// Which apps one shard of a sharded reconcile owns. An app's shard is a hash of (environment, app
// name) modulo the shard count, so it never depends on which other apps exist: adding an app
// never moves another one to a different runner. Pure.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** `index` counts from 0 (0 ≤ index < count). The CLI's `--shard i/n` counts from 1. */
export interface Shard {
  index: number;
  count: number;
}

export function shardOf(environment: string, app: string, count: number): number {
  const digest = createHash('sha256').update(`${environment}\u0000${app}`).digest();
  // 48 bits are plenty for any shard count a matrix can have, and exact in a JS number.
  return digest.readUIntBE(0, 6) % count;
}

export function inShard(environment: string, app: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(environment, app, shard.count) === shard.index;
}

/** `--shard 2/4` → { index: 1, count: 4 }. */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 1/4), not \`${text}\``);
  }
  return { index: index - 1, count };
}

export function validateShard(shard: Shard): void {
  if (!Number.isInteger(shard.count) || !Number.isInteger(shard.index) || shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    throw new UsageError(`shard ${shard.index}/${shard.count}: need an integer count ≥ 1 and 0 ≤ index < count`);
  }
}
