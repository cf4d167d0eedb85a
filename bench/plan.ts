// Benchmark of `plan`: 1,000 apps (workflow apps, already deployed, so every entry is a no-op)
// against the simulator answering each request after 20 ms (--latency-ms), on a worker thread.
// Printed: requests made (counted by the simulator), wall time, the lower bound
// requests × latency / concurrency and the ratio to it (target ≤ 1.3), and the same apps planned
// one by one (concurrency 1) with the speed-up (target ≥ 10×). Repository loading is timed apart.
// One run on a shared 2-core machine varies by ±5%, so the plan is timed --runs times (default 5)
// after a warm-up and the median is the figure; every run's ratio is printed with it.
// A floor run makes the same requests through the bare client without planning, to show how much
// of the gap to the bound is the client and simulator themselves on this machine.
// Usage: npm run bench -- plan [--apps 1000] [--concurrency 16] [--latency-ms 20] [--runs 5] [--skip-serial]

import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { createConnector } from '../src/apply/connect.js';
import { loadRepository, requireValidRepository } from '../src/config/index.js';
import { createDifyClient } from '../src/dify/index.js';
import { fetchPlan } from '../src/plan/fetch-plan.js';
import { countActions } from '../src/plan/summarize.js';
import { Redactor } from '../src/secrets/redactor.js';
import { BENCH_EMAIL, BENCH_ENV, BENCH_PASSWORD, benchAppNames, numericOption, seedBenchApps, simulatorRequests, writeBenchRepository } from './support/bench-apps.js';
import { startServerWorker } from './support/start-worker.js';

export async function main(args: string[]): Promise<void> {
  const apps = numericOption(args, 'apps', 1000, { positive: true });
  const concurrency = numericOption(args, 'concurrency', 16, { positive: true });
  const latencyMs = numericOption(args, 'latency-ms', 20, { positive: true });
  const runs = numericOption(args, 'runs', 5, { positive: true });
  const names = benchAppNames(apps);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: BENCH_EMAIL, password: BENCH_PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-plan-'));
  try {
    await seedBenchApps(sim.url, names);
    await writeBenchRepository(dir, sim.url, names);

    const env = { ...BENCH_ENV };
    let loadMs = 0;

    async function timedPlan(n: number): Promise<{ ms: number; requests: number; noOps: number; clientBusy: number; serverBusy: number }> {
      // Loaded afresh for each run, as each `plan` process does: nothing one run computes for the
      // desired apps (rendered views, digests) can help the next.
      const loadStart = performance.now();
      const repo = requireValidRepository(await loadRepository({ cwd: dir, env }));
      loadMs = performance.now() - loadStart;
      const connector = createConnector({ redactor: new Redactor(), env, cwd: dir, concurrency: n });
      const before = (await simulatorRequests(sim.url)).total;
      const client0 = performance.eventLoopUtilization();
      const server0 = sim.utilization();
      const start = performance.now();
      const { plan } = await fetchPlan(repo, repo.desired, { connect: connector.connect, stateDir: join(dir, '.dify-gitops'), concurrency: n, now: () => new Date(), revision: null });
      const ms = performance.now() - start;
      const clientBusy = performance.eventLoopUtilization(client0).active;
      const serverBusy = sim.utilization(server0).active;
      const requests = ((await simulatorRequests(sim.url)).total) - before;
      await connector.closeAll();
      return { ms, requests, noOps: countActions(plan)['no-op'], clientBusy, serverBusy };
    }

    await timedPlan(concurrency); // warm-up: sockets, JIT
    const timed = [];
    for (let i = 0; i < runs; i++) timed.push(await timedPlan(concurrency));
    timed.sort((a, b) => a.ms - b.ms);
    const parallel = timed[Math.floor((timed.length - 1) / 2)]!;
    const bound = (parallel.requests * latencyMs) / concurrency;
    const ratios = timed.map((t) => (t.ms / ((t.requests * latencyMs) / concurrency)).toFixed(2));
    process.stdout.write(
      `repository load (${apps} apps): ${loadMs.toFixed(0)} ms (local, not part of the ratio)\n` +
        `plan, concurrency ${concurrency}, ${runs} run(s): median ${parallel.ms.toFixed(0)} ms for ${parallel.requests} requests (${parallel.noOps}/${apps} no-op)\n` +
        `lower bound ${parallel.requests} × ${latencyMs} ms / ${concurrency} = ${bound.toFixed(0)} ms; ratio ${(parallel.ms / bound).toFixed(2)} (target ≤ 1.3); each run: ${ratios.join(' ')}\n` +
        `event loops busy (median run): client ${parallel.clientBusy.toFixed(0)} ms, simulator ${parallel.serverBusy.toFixed(0)} ms; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs\n`,
    );
    // The floor: the same requests through the same client with no planning at all.
    const bare = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: BENCH_EMAIL, password: BENCH_PASSWORD }, redactor: new Redactor(), concurrency });
    const floorBefore = (await simulatorRequests(sim.url)).total;
    const floorStart = performance.now();
    const listed = await bare.apps.list();
    const floorLimit = pLimit(concurrency);
    await Promise.all(listed.map((app) => floorLimit(() => Promise.all([bare.versions.getPublished(app.id), bare.drafts.get(app.id)]))));
    const floorMs = performance.now() - floorStart;
    const floorRequests = ((await simulatorRequests(sim.url)).total) - floorBefore;
    await bare.close();
    process.stdout.write(
      `floor (same requests, bare client, no planning): ${floorMs.toFixed(0)} ms for ${floorRequests} requests; ratio ${(floorMs / ((floorRequests * latencyMs) / concurrency)).toFixed(2)}; plan takes ${(parallel.ms / floorMs).toFixed(2)}× the floor\n`,
    );
    if (args.includes('--skip-serial')) return;
    const serial = await timedPlan(1);
    process.stdout.write(
      `plan one by one (concurrency 1): ${serial.ms.toFixed(0)} ms for ${serial.requests} requests\n` +
        `speed-up ${(serial.ms / parallel.ms).toFixed(1)}× (target ≥ 10×)\n`,
    );
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
