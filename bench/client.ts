// Benchmark of the Dify client's transport: 1,000 DSL exports through createDifyClient at
// concurrency 16 against the in-process simulator answering every request after 20 ms.
// The lower bound is 1,000 × 20 ms / 16 = 1,250 ms; the figure printed is wall time and the
// ratio to that bound (target ≤ 1.3). Login, version detection and setup are outside the timing.
// The simulator runs on a worker thread of this process (`--same-thread` shares the client's
// event loop instead). A second run, against a minimal server on the worker that returns the
// same export body after 20 ms, separates the client's overhead from the simulator's work.
// Event-loop busy time per thread is printed too, so a loaded machine can be recognised.
// Each run starts with untimed warm-up exports (sockets opened, V8 optimised).

import { availableParallelism, loadavg } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createDifyClient, type DifyClient, type DifyClientOptions } from '../src/dify/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startSimulator } from '../src/simulator/server.js';
import { startServerWorker } from './support/start-worker.js';

const EXPORTS = 1_000;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const WARM_UP = 300;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';

const GRAPH = {
  nodes: [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
    { id: 'end', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'end', title: 'End', outputs: [] } },
  ],
  edges: [{ id: 'start-source-end-target', source: 'start', target: 'end', sourceHandle: 'source', targetHandle: 'target' }],
  viewport: { x: 0, y: 0, zoom: 1 },
};

interface RunningServer {
  url: string;
  where: string;
  /** Event-loop utilisation of the server's thread (worker only). */
  utilization?: (previous?: EventLoopUtilization) => EventLoopUtilization;
  close(): Promise<void>;
}

interface Measured {
  wallMs: number;
  clientBusyMs: number;
  serverBusyMs: number | undefined;
  cpuMs: number;
  bytes: number;
}

async function measure(client: DifyClient, server: RunningServer, appId: string, exports: number): Promise<Measured> {
  // Warm up (not timed): open every socket and let V8 optimise both sides, so the timed part
  // measures steady state rather than the JIT.
  await Promise.all(Array.from({ length: WARM_UP }, () => client.dsl.export(appId)));
  const cpuBefore = process.cpuUsage();
  const clientBefore = performance.eventLoopUtilization();
  const serverBefore = server.utilization?.();
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: exports }, () => client.dsl.export(appId)));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs,
    clientBusyMs: performance.eventLoopUtilization(clientBefore).active,
    serverBusyMs: serverBefore === undefined ? undefined : server.utilization?.(serverBefore).active,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bytes: results.reduce((sum, yaml) => sum + yaml.length, 0),
  };
}

function report(title: string, m: Measured, exports: number): string[] {
  const lowerBoundMs = (exports * LATENCY_MS) / CONCURRENCY;
  const perExport = (ms: number): string => `${ms.toFixed(0)} ms (${(ms / exports).toFixed(2)} ms per export)`;
  return [
    title,
    `  wall time:        ${m.wallMs.toFixed(0)} ms`,
    `  lower bound:      ${lowerBoundMs.toFixed(0)} ms (${exports} × ${LATENCY_MS} ms / ${CONCURRENCY})`,
    `  ratio:            ${(m.wallMs / lowerBoundMs).toFixed(3)} (target ≤ 1.3)`,
    `  throughput:       ${((exports / m.wallMs) * 1000).toFixed(0)} exports/s, ${Math.round(m.bytes / exports)} bytes of YAML each`,
    `  client thread:    busy ${perExport(m.clientBusyMs)}`,
    ...(m.serverBusyMs === undefined ? [] : [`  server thread:    busy ${perExport(m.serverBusyMs)}`]),
    `  process CPU:      ${perExport(m.cpuMs)} (all threads)`,
  ];
}

function clientFor(url: string, auth: DifyClientOptions['auth']): DifyClient {
  return createDifyClient({ baseUrl: url, auth, redactor: new Redactor(), concurrency: CONCURRENCY });
}

export async function main(args: string[] = []): Promise<void> {
  const sameThread = args.includes('--same-thread');
  const exports = Number(args.find((arg) => /^\d+$/.test(arg)) ?? EXPORTS);
  const options = { port: 0, profile: '1.14.1' as const, email: EMAIL, password: PASSWORD, latencyMs: LATENCY_MS };
  const lines = [`${exports} exports at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms server latency (after ${WARM_UP} untimed warm-up exports)`];

  // 1. Against the simulator (the figure the target refers to).
  const sim: RunningServer = sameThread
    ? await startSimulator(options).then((s) => ({ url: s.url, where: 'same thread', close: () => s.close() }))
    : await startServerWorker({ kind: 'simulator', options });
  const client = clientFor(sim.url, { kind: 'password', email: EMAIL, password: PASSWORD });
  let yaml: string;
  try {
    const app = await client.apps.create({ name: 'bench', mode: 'workflow' });
    await client.drafts.sync(app.id, { graph: GRAPH, features: {}, hash: null });
    yaml = await client.dsl.export(app.id);
    lines.push(...report(`simulator (${sim.where}):`, await measure(client, sim, app.id, exports), exports));
  } finally {
    await client.close();
    await sim.close();
  }

  // 2. Against a server that does no work: the client's own overhead.
  const canned = await startServerWorker({ kind: 'canned', latencyMs: LATENCY_MS, serverVersion: '1.14.1', body: JSON.stringify({ data: yaml }) });
  const bare = clientFor(canned.url, { kind: 'admin-key', apiKey: 'bench-admin-key', workspaceId: 'bench' });
  try {
    lines.push(...report('minimal server (worker thread), same body:', await measure(bare, canned, '00000000-0000-4000-8000-000000000000', exports), exports));
  } finally {
    await bare.close();
    await canned.close();
  }
  lines.push(`load average: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
