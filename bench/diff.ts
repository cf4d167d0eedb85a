// Benchmark of the DSL comparison: over the whole corpus, normalise each file and a mutated copy
// and diff them, against only parsing the same files, measured in the same run. Printed: both
// times (median of several rounds, phases interleaved so machine load hits both alike) and the
// ratio compare / parse; target ≤ 1.0. Mutations are prepared outside the timing.
//
// Run: `npm run build && npm run bench -- diff [corpusDir] [--rounds N]`, or directly:
// `node dist/bench/diff.js`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { diffDsl, normalizeDsl, parseDsl, type DslDocument } from '../src/dsl/index.js';
import { mutateDsl } from './support/dsl-mutations.js';

const TARGET_RATIO = 1.0;

export function main(args: string[] = []): void {
  const roundsFlag = args.indexOf('--rounds');
  const rounds = roundsFlag >= 0 ? Number(args[roundsFlag + 1]) : 7;
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ?? defaultCorpusDir();
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
  const pairs: { old: DslDocument; new: DslDocument }[] = [];
  for (const [i, f] of files.entries()) {
    const parsed = parseDsl(f.text, f.name);
    if (parsed.ok) pairs.push({ old: parsed.dsl, new: mutateDsl(parsed.dsl, i) });
  }
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

  const parseOnce = (): number => {
    const t0 = performance.now();
    for (const f of files) parseDsl(f.text, f.name);
    return performance.now() - t0;
  };
  let changes = 0;
  const compareOnce = (): number => {
    changes = 0;
    const t0 = performance.now();
    for (const p of pairs) changes += diffDsl(normalizeDsl(p.old), normalizeDsl(p.new)).summary.total;
    return performance.now() - t0;
  };

  parseOnce(); // warm-up: JIT and caches, both phases
  compareOnce();
  const parseTimes: number[] = [];
  const compareTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    parseTimes.push(parseOnce());
    compareTimes.push(compareOnce());
  }
  const parseMs = median(parseTimes);
  const compareMs = median(compareTimes);
  const ratio = compareMs / parseMs;
  const out = [
    `corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB, ${pairs.length} pairs, ${changes} changes found per round`,
    `parse only           : ${parseMs.toFixed(1)} ms (median of ${rounds})`,
    `normalise x2 + diff  : ${compareMs.toFixed(1)} ms (median of ${rounds})`,
    `ratio compare / parse: ${ratio.toFixed(3)} (target <= ${TARGET_RATIO.toFixed(1)}) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** ../shared/corpus/dsl beside the repository root (the directory holding package.json). */
function defaultCorpusDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir, '../shared/corpus/dsl');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
