// Benchmark of reconcile's cheap path: 1,000 workflow apps seeded in the simulator (import +
// publish), a repository adopting them, a warm reconcile (reads everything, records what it saw),
// then a second reconcile of the unchanged apps. Printed: the second run's requests (counted by
// the simulator, per route), the ratio to the naive cost (one export per app), and the target
// ⌈apps/100⌉ list pages + the constant (login, server version). The second run is measured with
// and without the per-app draft check.
// Usage: npm run bench -- reconcile [--apps 1000] [--latency-ms 5]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { reconcile, type ReconcileReport } from '../src/reconcile/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { BENCH_EMAIL, BENCH_ENV, BENCH_PASSWORD, benchAppNames, numericOption, seedBenchApps, simulatorRequests, writeBenchRepository } from './support/bench-apps.js';
import { startServerWorker } from './support/start-worker.js';

const CONSTANT = 2; // POST /console/api/login, GET /v1/ (server version)

function tally(report: ReconcileReport): string {
  const by = new Map<string, number>();
  for (const app of report.environments.flatMap((e) => e.apps)) by.set(app.status, (by.get(app.status) ?? 0) + 1);
  return [...by].map(([s, n]) => `${n} ${s}`).join(', ');
}

export async function main(args: string[]): Promise<void> {
  const apps = numericOption(args, 'apps', 1000, { positive: true });
  const latencyMs = numericOption(args, 'latency-ms', 5);
  const names = benchAppNames(apps);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: BENCH_EMAIL, password: BENCH_PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-reconcile-'));
  try {
    await seedBenchApps(sim.url, names);
    await writeBenchRepository(dir, sim.url, names);
    const env = { ...BENCH_ENV, PATH: process.env.PATH };
    const run = async (checkDrafts: boolean) => {
      await fetch(`${sim.url}/_simulator/requests`, { method: 'DELETE' });
      const start = performance.now();
      const report = await reconcile({ repoDir: dir, checkDrafts }, { redactor: new Redactor(), env, revision: { id: 'bench', subject: 'bench' }, concurrency: 16 });
      return { ms: performance.now() - start, report, counts: await simulatorRequests(sim.url) };
    };

    const warm = await run(false);
    process.stdout.write(`warm reconcile (reads every app, records last-seen): ${warm.counts.total} requests, ${warm.ms.toFixed(0)} ms; ${tally(warm.report)}\n`);
    const cheap = await run(false);
    const target = Math.ceil(apps / 100) + CONSTANT;
    process.stdout.write(
      `second reconcile, unchanged (--no-draft-check): ${cheap.counts.total} requests, ${cheap.ms.toFixed(0)} ms; ${tally(cheap.report)}\n` +
        `  by route: ${JSON.stringify(cheap.counts.byRoute)}\n` +
        `  ratio to the naive ${apps} exports: ${(cheap.counts.total / apps).toFixed(4)} (${(apps / cheap.counts.total).toFixed(0)}× fewer)\n` +
        `  target ≤ ⌈${apps}/100⌉ + ${CONSTANT} = ${target}: ${cheap.counts.total <= target ? 'met' : 'NOT met'}\n`,
    );
    const drafts = await run(true);
    process.stdout.write(
      `second reconcile, unchanged, with draft checks (default): ${drafts.counts.total} requests, ${drafts.ms.toFixed(0)} ms; ${tally(drafts.report)} ` +
        `(= ⌈${apps}/100⌉ + ${CONSTANT} + ${apps} draft reads)\n`,
    );
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
