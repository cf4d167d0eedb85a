// Benchmark of reconcile's cheap path: 1,000 workflow apps seeded in the simulator (import +
// publish), a repository adopting them, a warm reconcile (reads everything, records what it saw),
// then a second reconcile of the unchanged apps. Printed: the second run's requests (counted by
// the simulator, per route), the ratio to the naive cost (one export per app), and the target
// ⌈apps/100⌉ list pages + the constant (login, server version). The second run is measured with
// and without the per-app draft check.
// Usage: npm run bench -- reconcile [--apps 1000] [--latency-ms 5]

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { createDifyClient } from '../src/dify/index.js';
import { reconcile, type ReconcileReport } from '../src/reconcile/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startServerWorker } from './support/start-worker.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';
const CONSTANT = 2; // POST /console/api/login, GET /v1/ (server version)

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function appDsl(name: string): Record<string, unknown> {
  const node = (id: string, x: number, data: Record<string, unknown>) => ({ id, type: 'custom', position: { x, y: 0 }, data: { title: id, ...data } });
  return {
    app: { name, mode: 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    workflow: {
      graph: {
        nodes: [
          node('start', 0, { type: 'start', variables: [{ variable: 'q', label: 'q', type: 'text-input', required: true }] }),
          node('llm', 300, { type: 'llm', model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} }, prompt_template: [{ role: 'user', text: `${name}: {{#start.q#}}` }], context: { enabled: false, variable_selector: [] } }),
          node('end', 600, { type: 'end', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] }),
        ],
        edges: [
          { id: 'start-source-llm-target', source: 'start', sourceHandle: 'source', target: 'llm', targetHandle: 'target' },
          { id: 'llm-source-end-target', source: 'llm', sourceHandle: 'source', target: 'end', targetHandle: 'target' },
        ],
        viewport: { x: 0, y: 0, zoom: 1 },
      },
      features: {},
      environment_variables: [],
      conversation_variables: [],
    },
  };
}

async function counts(url: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await (await fetch(`${url}/_simulator/requests`)).json()) as { total: number; byRoute: Record<string, number> };
}

function tally(report: ReconcileReport): string {
  const by = new Map<string, number>();
  for (const app of report.environments.flatMap((e) => e.apps)) by.set(app.status, (by.get(app.status) ?? 0) + 1);
  return [...by].map(([s, n]) => `${n} ${s}`).join(', ');
}

export async function main(args: string[]): Promise<void> {
  const apps = option(args, 'apps', 1000);
  const latencyMs = option(args, 'latency-ms', 5);
  const names = Array.from({ length: apps }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: EMAIL, password: PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-reconcile-'));
  try {
    process.stdout.write(`seeding ${apps} apps (import + publish) …\n`);
    const seeder = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor(), concurrency: 32 });
    const seedLimit = pLimit(32);
    await Promise.all(names.map((name) => seedLimit(async () => seeder.versions.publish((await seeder.dsl.importOrThrow({ yamlContent: stringify(appDsl(name)) })).app_id!))));
    await seeder.close();

    const config = { apiVersion: 'dify-gitops.dev/v1', kind: 'Config', environments: { bench: { url: sim.url, auth: { emailEnv: 'BENCH_EMAIL', passwordEnv: 'BENCH_PASSWORD' } } } };
    await writeFile(join(dir, 'dify-gitops.yaml'), stringify(config));
    for (const name of names) {
      await mkdir(join(dir, 'workflows', name), { recursive: true });
      await writeFile(join(dir, 'workflows', name, `${name}.dsl.yml`), stringify(appDsl(name)));
      await writeFile(join(dir, 'workflows', name, 'app.yaml'), stringify({ apiVersion: 'dify-gitops.dev/v1', kind: 'App', name, dsl: `${name}.dsl.yml`, environments: { bench: { target: { adopt: name } } } }));
    }
    const env = { BENCH_EMAIL: EMAIL, BENCH_PASSWORD: PASSWORD, PATH: process.env.PATH };
    const run = async (checkDrafts: boolean) => {
      await fetch(`${sim.url}/_simulator/requests`, { method: 'DELETE' });
      const start = performance.now();
      const report = await reconcile({ repoDir: dir, checkDrafts }, { redactor: new Redactor(), env, revision: { id: 'bench', subject: 'bench' }, concurrency: 16 });
      return { ms: performance.now() - start, report, counts: await counts(sim.url) };
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
