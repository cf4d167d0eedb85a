// Memory benchmark of `serve`: the built CLI runs as a child process (`node dist/src/cli/main.js
// serve`) against the simulator (on a worker thread of this process) holding 1,000 deployed
// workflow apps, with a reconcile interval of 1 s, until it has completed 100 reconcile cycles.
// Printed: the child's peak RSS (VmHWM from /proc, the kernel's own high-water mark, so no sample
// can miss the peak), its RSS at the end, the ratio to the 150 MB target, cycles, skipped ticks,
// requests per cycle and time per cycle. Linux only (/proc).
// --heap-mb N runs the child with node's --max-old-space-size=N, to tell the live set from the
// slack V8 keeps when nothing forces it to collect (the same flag works in NODE_OPTIONS in production).
// --semi-space-mb N adds --max-semi-space-size=N (V8's young generation; its default lets it grow to 3 × 16 MB).
// Usage: npm run bench -- serve-memory [--apps 1000] [--cycles 100] [--latency-ms 0] [--heap-mb N] [--semi-space-mb N]

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_EMAIL, BENCH_ENV, BENCH_PASSWORD, benchAppNames, numericOption, seedBenchApps, simulatorRequests, writeBenchRepository } from './support/bench-apps.js';
import { startServerWorker } from './support/start-worker.js';

const TARGET_MB = 150;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');

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

export async function main(args: string[]): Promise<void> {
  const apps = numericOption(args, 'apps', 1000, { positive: true });
  const cycles = numericOption(args, 'cycles', 100, { positive: true });
  const latencyMs = numericOption(args, 'latency-ms', 0);
  const heapMb = numericOption(args, 'heap-mb', 0);
  const semiSpaceMb = numericOption(args, 'semi-space-mb', 0);
  const names = benchAppNames(apps);
  const sim = await startServerWorker({ kind: 'simulator', options: { port: 0, profile: '1.14.1', email: BENCH_EMAIL, password: BENCH_PASSWORD, latencyMs } });
  const dir = await mkdtemp(join(tmpdir(), 'dify-gitops-bench-serve-'));
  try {
    await seedBenchApps(sim.url, names);
    await writeBenchRepository(dir, sim.url, names, { reconcileInterval: '1s', drift: 'warn' });

    const nodeFlags = [...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), ...(semiSpaceMb > 0 ? [`--max-semi-space-size=${semiSpaceMb}`] : [])];
    const child = spawn(process.execPath, [...nodeFlags, CLI, 'serve', '--port', '0', '--no-git-sync', '--log-level', 'warn'], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...BENCH_ENV },
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
    const requestsBefore = (await simulatorRequests(sim.url)).total;
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
    const requests = ((await simulatorRequests(sim.url)).total) - requestsBefore;
    child.kill('SIGTERM');
    const code = await exited;
    process.stdout.write(
      `serve (child process${nodeFlags.length > 0 ? `, ${nodeFlags.join(' ')}` : ''}) with ${apps} apps, ${done} reconcile cycles in ${(elapsedMs / 1000).toFixed(1)} s (${(elapsedMs / done).toFixed(0)} ms per cycle, ${skipped} ticks skipped while a cycle ran)\n` +
        `requests: ${requests} (${(requests / done).toFixed(0)} per cycle)\n` +
        `peak RSS (VmHWM) ${peakMb.toFixed(1)} MB; RSS at the end ${rssMb.toFixed(1)} MB; ratio to the ${TARGET_MB} MB target ${(peakMb / TARGET_MB).toFixed(2)} (target ≤ 1.00)\n` +
        `exit after SIGTERM: ${code}; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs\n`,
    );
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
