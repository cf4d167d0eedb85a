// Benchmark of `broadcast`: 50 workflow apps on one in-process simulator that answers every
// request after 200 ms. Measured (wall time, median of 3 rounds after an untimed warm-up round):
// one single service call; a broadcast to all 50 apps at concurrency 50 (target: ≤ 1.5 × the
// single call); the sequential loop over the 50 (one call after another). The client's pool is
// sized to the concurrency, as `broadcast` does. Apps are created by DSL import + publish through
// the client; each LLM node's prompt holds `RESPOND: …` so the stub model answers at once.
// Setup (apps, keys, login) is outside the timings. `--worker` runs the simulator on a worker
// thread of this process instead (bench/support/simulator-worker.ts), so its CPU work does not
// share the client's event loop.

import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { broadcastToTargets, invokeApp, type BroadcastTarget } from '../src/broadcast/index.js';
import { createDifyClient, type DifyClient } from '../src/dify/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startServerWorker } from './support/start-worker.js';
import { startSimulator, type SimulatorOptions } from '../src/simulator/server.js';

const APPS = 50;
const LATENCY_MS = 200;
const ROUNDS = 3;
const TIMEOUT_MS = 30_000;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';

function workflowDsl(index: number): string {
  const node = (id: string, data: Record<string, unknown>): Record<string, unknown> => ({ id, type: 'custom', position: { x: 0, y: 0 }, data: { title: id, ...data } });
  const edge = (source: string, target: string): Record<string, unknown> => ({ id: `${source}-${target}`, source, sourceHandle: 'source', target, targetHandle: 'target', type: 'custom' });
  return stringify({
    app: { name: `bench-${index}`, mode: 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '' },
    kind: 'app',
    version: '0.6.0',
    workflow: {
      graph: {
        nodes: [
          node('start', { type: 'start', variables: [] }),
          node('llm', {
            type: 'llm',
            model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
            prompt_template: [{ role: 'user', text: `RESPOND: {"app": ${index}, "verdict": "ok"}` }],
            context: { enabled: false, variable_selector: [] },
          }),
          node('end', { type: 'end', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] }),
        ],
        edges: [edge('start', 'llm'), edge('llm', 'end')],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
      features: {},
      environment_variables: [],
      conversation_variables: [],
    },
  });
}

/** Creates the apps by import + publish and one API key each; returns broadcast targets. */
async function createApps(client: DifyClient): Promise<BroadcastTarget[]> {
  const limit = pLimit(APPS);
  return Promise.all(
    Array.from({ length: APPS }, (_, i) =>
      limit(async (): Promise<BroadcastTarget> => {
        const imported = await client.dsl.importOrThrow({ yamlContent: workflowDsl(i) });
        const appId = imported.app_id!;
        await client.versions.publish(appId);
        const key = await client.apiKeys.create(appId);
        return { app: `bench-${i}`, appId, mode: 'workflow', service: client.service(key.token) };
      }),
    ),
  );
}

interface RunningSimulator {
  url: string;
  where: string;
  close(): Promise<void>;
}

async function startSim(options: SimulatorOptions, worker: boolean): Promise<RunningSimulator> {
  if (!worker) {
    const sim = await startSimulator(options);
    return { url: sim.url, where: 'same thread', close: () => sim.close() };
  }
  return startServerWorker({ kind: 'simulator', options });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function main(args: string[] = []): Promise<void> {
  const sim = await startSim({ port: 0, profile: '1.14.1', email: EMAIL, password: PASSWORD, latencyMs: LATENCY_MS }, args.includes('--worker'));
  // broadcast passes its concurrency down to the client's pool; do the same here.
  const client = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor(), concurrency: APPS });
  try {
    const targets = await createApps(client);
    const first = targets[0] as Extract<BroadcastTarget, { service: unknown }>;
    const request = { inputs: {}, user: 'bench' };
    const single = async (): Promise<void> => {
      const result = await invokeApp(first.service, 'workflow', request, { stream: false, timeoutMs: TIMEOUT_MS });
      if (result.status !== 'ok') throw new Error(`single call failed: ${result.error}`);
    };
    const all = async (): Promise<void> => {
      const report = await broadcastToTargets('bench', targets, { request, concurrency: APPS, timeoutMs: TIMEOUT_MS });
      if (report.totals.passed !== APPS) throw new Error(`broadcast: only ${report.totals.passed} of ${APPS} passed`);
    };
    await all(); // warm-up: opens every pooled connection
    const singles: number[] = [];
    const broadcasts: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      singles.push(await timed(single));
      const before = process.cpuUsage();
      broadcasts.push(await timed(all));
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    const sequential = await timed(async () => {
      for (const target of targets as Extract<BroadcastTarget, { service: unknown }>[]) {
        const result = await invokeApp(target.service, 'workflow', request, { stream: false, timeoutMs: TIMEOUT_MS });
        if (result.status !== 'ok') throw new Error(`sequential call failed: ${result.error}`);
      }
    });
    const singleMs = median(singles);
    const broadcastMs = median(broadcasts);
    process.stdout.write(
      [
        `${APPS} workflow apps, simulator latency ${LATENCY_MS} ms per request (${sim.where}), median of ${ROUNDS} rounds`,
        `  single call:                 ${singleMs.toFixed(0)} ms   (rounds: ${singles.map((ms) => ms.toFixed(0)).join(', ')})`,
        `  broadcast, concurrency ${APPS}:  ${broadcastMs.toFixed(0)} ms   (rounds: ${broadcasts.map((ms) => ms.toFixed(0)).join(', ')})`,
        `  ratio broadcast / single:    ${(broadcastMs / singleMs).toFixed(2)} (target ≤ 1.5)`,
        `  CPU per broadcast:           ${median(cpu).toFixed(0)} ms (every thread of this process)`,
        `  sequential loop over ${APPS}:    ${sequential.toFixed(0)} ms`,
        `  speed-up over sequential:    ${(sequential / broadcastMs).toFixed(1)}×`,
        `  load average: ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`,
        '',
      ].join('\n'),
    );
  } finally {
    await client.close();
    await sim.close();
  }
}
