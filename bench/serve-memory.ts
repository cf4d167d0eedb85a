// Memory benchmark of `serve`: the built CLI runs as a child process (`node dist/src/cli/main.js
// serve`) against the simulator (on a worker thread of this process) holding 1,000 deployed
// workflow apps, with a reconcile interval of 1 s, until it has completed 100 reconcile cycles.
// Printed: the child's peak RSS (VmHWM from /proc, the kernel's own high-water mark, so no sample
// can miss the peak), its RSS at the end, the ratio to the 150 MB target, cycles, skipped ticks,
// requests per cycle and time per cycle. Linux only (/proc).
// --heap-mb N runs the child with node's --max-old-space-size=N, to tell the live set from the
// slack V8 keeps when nothing forces it to collect (the same flag works in NODE_OPTIONS in production).
// Usage: npm run bench -- serve-memory [--apps 1000] [--cycles 100] [--latency-ms 0] [--heap-mb N]

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { createDifyClient } from '../src/dify/index.js';
import { Redactor } from '../src/secrets/redactor.js';
import { startServerWorker } from './support/start-worker.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';
const TARGET_MB = 150;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(args[index + 1]);
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
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
  const config = { apiVersion: 'dify-gitops.dev/v1', kind: 'Config', environments: { bench: { url, auth: { emailEnv: 'BENCH_EMAIL', passwordEnv: 'BENCH_PASSWORD' } } }, policies: { reconcileInterval: '1s', drift: 'warn' } };
  await writeFile(join(dir, 'dify-gitops.yaml'), stringify(config));
  for (const name of names) {
    const appDir = join(dir, 'workflows', name);
    await mkdir(appDir, { recursive: true });
    await writeFile(join(appDir, `${name}.dsl.yml`), stringify(appDsl(name)));
    await writeFile(join(appDir, 'app.yaml'), stringify({ apiVersion: 'dify-gitops.dev/v1', kind: 'App', name, dsl: `${name}.dsl.yml`, environments: { bench: { target: { adopt: name } } } }));
  }
}

async function procStatus(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function requestCount(url: string): Promise<number> {
  return ((await (await fetch(`${url}/_simulator/requests`)).json()) as { total: number }).total;
}

export async function main(args: string[]): Promise<void> {
  const apps = option(args, 'apps', 1000);
  const cycles = option(args, 'cycles', 100);
  const latencyMs = option(args, 'latency-ms', 0);
  const heapMb = option(args, 'heap-mb', 0);
  const names = Array.from({ length: apps }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: EMAIL, password: PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-serve-'));
  try {
    process.stdout.write(`seeding ${apps} apps (import + publish) …\n`);
    const seeder = createDifyClient({ baseUrl: sim.url, auth: { kind: 'password', email: EMAIL, password: PASSWORD }, redactor: new Redactor(), concurrency: 32 });
    const seedLimit = pLimit(32);
    await Promise.all(names.map((name) => seedLimit(async () => void (await seeder.versions.publish((await seeder.dsl.importOrThrow({ yamlContent: stringify(appDsl(name)) })).app_id!)))));
    await seeder.close();
    await writeRepository(dir, sim.url, names);

    const nodeFlags = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
    const child = spawn(process.execPath, [...nodeFlags, CLI, 'serve', '--port', '0', '--no-git-sync', '--log-level', 'warn'], {
      cwd: dir,
      env: { PATH: process.env.PATH, BENCH_EMAIL: EMAIL, BENCH_PASSWORD: PASSWORD },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(err);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
    });
    const pid = child.pid!;
    const requestsBefore = await requestCount(sim.url);
    const started = performance.now();
    let done = 0;
    let skipped = 0;
    let lastReport = 0;
    for (;;) {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      done = metricSum(metrics, 'dify_gitops_reconcile_runs_total');
      skipped = metricSum(metrics, 'dify_gitops_runs_skipped_total');
      if (done >= cycles) break;
      if (done >= lastReport + 10) {
        lastReport = done;
        const { rssMb, peakMb } = await procStatus(pid);
        process.stdout.write(`  ${done} cycles: RSS ${rssMb.toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const elapsedMs = performance.now() - started;
    const { rssMb, peakMb } = await procStatus(pid);
    const requests = (await requestCount(sim.url)) - requestsBefore;
    child.kill('SIGTERM');
    const code = await exited;
    process.stdout.write(
      `serve (child process${heapMb > 0 ? `, --max-old-space-size=${heapMb}` : ''}) with ${apps} apps, ${done} reconcile cycles in ${(elapsedMs / 1000).toFixed(1)} s (${(elapsedMs / done).toFixed(0)} ms per cycle, ${skipped} ticks skipped while a cycle ran)\n` +
        `requests: ${requests} (${(requests / done).toFixed(0)} per cycle)\n` +
        `peak RSS (VmHWM) ${peakMb.toFixed(1)} MB; RSS at the end ${rssMb.toFixed(1)} MB; ratio to the ${TARGET_MB} MB target ${(peakMb / TARGET_MB).toFixed(2)} (target ≤ 1.00)\n` +
        `exit after SIGTERM: ${code}; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs\n`,
    );
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
