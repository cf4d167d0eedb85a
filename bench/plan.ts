// Benchmark of `plan`: 1,000 apps (workflow apps, already deployed, so every entry is a no-op)
// against the simulator answering each request after 20 ms (--latency-ms), on a worker thread.
// Printed: requests made (counted by the simulator), wall time, the lower bound
// requests × latency / concurrency and the ratio to it (target ≤ 1.3), and the same apps planned
// one by one (concurrency 1) with the speed-up (target ≥ 10×). Repository loading is timed apart.
// A floor run makes the same requests through the bare client without planning, to show how much
// of the gap to the bound is the client and simulator themselves on this machine.
// Usage: npm run bench -- plan [--apps 1000] [--concurrency 16] [--latency-ms 20] [--skip-serial]

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { createConnector } from '../src/apply/connect.js';
import { loadRepository, requireValidRepository } from '../src/config/index.js';
import { createDifyClient } from '../src/dify/index.js';
import { fetchPlan } from '../src/plan/fetch-plan.js';
import { countActions } from '../src/plan/summarize.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startServerWorker } from './support/start-worker.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function appDsl(name: string): Record<string, unknown> {
  return {
    app: { name, mode: 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    workflow: {
      graph: {
        nodes: [
          { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [{ variable: 'q', label: 'q', type: 'text-input', required: true }] } },
          { id: 'llm', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'llm', title: 'LLM', model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} }, prompt_template: [{ role: 'user', text: `${name}: {{#start.q#}}` }], context: { enabled: false, variable_selector: [] } } },
          { id: 'end', type: 'custom', position: { x: 600, y: 0 }, data: { type: 'end', title: 'End', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] } },
        ],
        edges: [
          { id: 'start-source-llm-target', source: 'start', sourceHandle: 'source', target: 'llm', targetHandle: 'target' },
          { id: 'llm-source-end-target', source: 'llm', sourceHandle: 'source', target: 'end', targetHandle: 'target' },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
      features: {},
      environment_variables: [{ id: `${name}-region`, name: 'REGION', value_type: 'string', value: 'eu', description: '', selector: ['env', 'REGION'] }],
      conversation_variables: [],
    },
  };
}

async function writeRepository(dir: string, url: string, names: string[]): Promise<void> {
  const config = { apiVersion: 'dify-gitops.dev/v1', kind: 'Config', environments: { bench: { url, auth: { emailEnv: 'BENCH_EMAIL', passwordEnv: 'BENCH_PASSWORD' } } } };
  await writeFile(join(dir, 'dify-gitops.yaml'), stringify(config));
  for (const name of names) {
    const appDir = join(dir, 'workflows', name);
    await mkdir(appDir, { recursive: true });
    await writeFile(join(appDir, `${name}.dsl.yml`), stringify(appDsl(name)));
    await writeFile(join(appDir, 'app.yaml'), stringify({ apiVersion: 'dify-gitops.dev/v1', kind: 'App', name, dsl: `${name}.dsl.yml`, environments: { bench: { target: { adopt: name } } } }));
  }
}

async function requestCount(url: string): Promise<number> {
  return ((await (await fetch(`${url}/_simulator/requests`)).json()) as { total: number }).total;
}

export async function main(args: string[]): Promise<void> {
  const apps = option(args, 'apps', 1000);
  const concurrency = option(args, 'concurrency', 16);
  const latencyMs = option(args, 'latency-ms', 20);
  const names = Array.from({ length: apps }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: EMAIL, password: PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-plan-'));
  try {
    process.stdout.write(`seeding ${apps} apps (import + publish) …\n`);
    const seeder = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor(), concurrency: 32 });
    const seedLimit = pLimit(32);
    await Promise.all(
      names.map((name) =>
        seedLimit(async () => {
          const result = await seeder.dsl.importOrThrow({ yamlContent: stringify(appDsl(name)) });
          await seeder.versions.publish(result.app_id!);
        }),
      ),
    );
    await seeder.close();
    await writeRepository(dir, sim.url, names);

    const env = { BENCH_EMAIL: EMAIL, BENCH_PASSWORD: PASSWORD };
    const loadStart = performance.now();
    const repo = requireValidRepository(await loadRepository({ cwd: dir, env }));
    const loadMs = performance.now() - loadStart;

    async function timedPlan(n: number): Promise<{ ms: number; requests: number; noOps: number; clientBusy: number; serverBusy: number }> {
      const connector = createConnector({ redactor: new Redactor(), env, cwd: dir, concurrency: n });
      const before = await requestCount(sim.url);
      const client0 = performance.eventLoopUtilization();
      const server0 = sim.utilization();
      const start = performance.now();
      const { plan } = await fetchPlan(repo, repo.desired, { connect: connector.connect, stateDir: join(dir, '.dify-gitops'), concurrency: n, now: () => new Date(), revision: null });
      const ms = performance.now() - start;
      const clientBusy = performance.eventLoopUtilization(client0).active;
      const serverBusy = sim.utilization(server0).active;
      const requests = (await requestCount(sim.url)) - before;
      await connector.closeAll();
      return { ms, requests, noOps: countActions(plan)['no-op'], clientBusy, serverBusy };
    }

    await timedPlan(concurrency); // warm-up: sockets, JIT
    const parallel = await timedPlan(concurrency);
    const bound = (parallel.requests * latencyMs) / concurrency;
    process.stdout.write(
      `repository load (${apps} apps): ${loadMs.toFixed(0)} ms (local, not part of the ratio)\n` +
        `plan, concurrency ${concurrency}: ${parallel.ms.toFixed(0)} ms for ${parallel.requests} requests (${parallel.noOps}/${apps} no-op)\n` +
        `lower bound ${parallel.requests} × ${latencyMs} ms / ${concurrency} = ${bound.toFixed(0)} ms; ratio ${(parallel.ms / bound).toFixed(2)} (target ≤ 1.3)\n` +
        `event loops busy: client ${parallel.clientBusy.toFixed(0)} ms, simulator ${parallel.serverBusy.toFixed(0)} ms; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs\n`,
    );
    // The floor: the same requests through the same client with no planning at all.
    const bare = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor(), concurrency });
    const floorBefore = await requestCount(sim.url);
    const floorStart = performance.now();
    const listed = await bare.apps.list();
    const floorLimit = pLimit(concurrency);
    await Promise.all(listed.map((app) => floorLimit(() => Promise.all([bare.versions.getPublished(app.id), bare.drafts.get(app.id)]))));
    const floorMs = performance.now() - floorStart;
    const floorRequests = (await requestCount(sim.url)) - floorBefore;
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
