// Benchmark of the Dify client's transport: 1,000 DSL exports through createDifyClient at
// concurrency 16 against the in-process simulator answering every request after 20 ms.
// The lower bound is 1,000 × 20 ms / 16 = 1,250 ms; the figure printed is wall time and the
// ratio to that bound (target ≤ 1.3). Login, version detection and setup are outside the timing.
// The simulator runs on a worker thread of this process (pass `--same-thread` to share the
// client's event loop instead), so the figure measures the client, not the server's CPU.
// Also printed: the client thread's CPU time per export, which machine load does not inflate.

import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createDifyClient } from '../src/dify/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startSimulator, type SimulatorOptions } from '../src/simulator/server.js';

const EXPORTS = 1_000;
const CONCURRENCY = 16;
const LATENCY_MS = 20;

const GRAPH = {
  nodes: [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
    { id: 'end', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'end', title: 'End', outputs: [] } },
  ],
  edges: [{ id: 'start-source-end-target', source: 'start', target: 'end', sourceHandle: 'source', targetHandle: 'target' }],
  viewport: { x: 0, y: 0, zoom: 1 },
};

interface RunningSimulator {
  url: string;
  where: string;
  close(): Promise<void>;
}

async function startInWorker(options: SimulatorOptions): Promise<RunningSimulator> {
  const worker = new Worker(new URL('./support/simulator-worker.js', import.meta.url), { workerData: options });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { url: string }) => resolve(message.url));
    worker.once('error', reject);
  });
  return {
    url,
    where: 'worker thread',
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

async function startSameThread(options: SimulatorOptions): Promise<RunningSimulator> {
  const sim = await startSimulator(options);
  return { url: sim.url, where: 'same thread', close: () => sim.close() };
}

export async function main(args: string[] = []): Promise<void> {
  const sameThread = args.includes('--same-thread');
  const exports = Number(args.find((arg) => /^\d+$/.test(arg)) ?? EXPORTS);
  const email = 'bench@example.com';
  const password = 'bench-password-1';
  const simOptions: SimulatorOptions = { port: 0, profile: '1.14.1', email, password, latencyMs: LATENCY_MS };
  const sim = await (sameThread ? startSameThread(simOptions) : startInWorker(simOptions));
  const client = createDifyClient({
    baseUrl: sim.url,
    auth: { kind: 'password', email, password },
    redactor: new Redactor(),
    concurrency: CONCURRENCY,
  });
  try {
    const app = await client.apps.create({ name: 'bench', mode: 'workflow' });
    await client.drafts.sync(app.id, { graph: GRAPH, features: {}, hash: null });
    // Warm the pool: open all sockets once so the timed part measures steady state.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => client.dsl.export(app.id)));

    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: exports }, () => client.dsl.export(app.id)));
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;

    const bytes = results.reduce((sum, yaml) => sum + yaml.length, 0);
    const lowerBoundMs = (exports * LATENCY_MS) / CONCURRENCY;
    const lines = [
      `exports:          ${exports} (concurrency ${CONCURRENCY}, simulator latency ${LATENCY_MS} ms, simulator on the ${sim.where})`,
      `yaml per export:  ${Math.round(bytes / exports)} bytes`,
      `wall time:        ${wallMs.toFixed(0)} ms`,
      `lower bound:      ${lowerBoundMs.toFixed(0)} ms (${exports} × ${LATENCY_MS} ms / ${CONCURRENCY})`,
      `ratio:            ${(wallMs / lowerBoundMs).toFixed(3)} (target ≤ 1.3)`,
      `throughput:       ${((exports / wallMs) * 1000).toFixed(0)} exports/s`,
      `process CPU:      ${cpuMs.toFixed(0)} ms (${(cpuMs / exports).toFixed(2)} ms per export, client and simulator threads together)`,
      `load average:     ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await client.close();
    await sim.close();
  }
}
