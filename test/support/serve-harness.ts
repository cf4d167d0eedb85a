// A serve controller in the test process with an injected reconcile runner whose runs the test
// opens one by one (gates), a log captured line by line, and signed GitHub deliveries sent over
// real HTTP. For test/runtime.

import { sign } from '@octokit/webhooks-methods';
import type { ReconcileReport } from '../../src/reconcile/index.js';
import { startController, type Controller, type ControllerConfig, type ControllerDeps } from '../../src/runtime/controller.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Redactor } from '../../src/secrets/redactor.js';

export interface GatedRun {
  environments: string[];
  signal: AbortSignal;
  finish(report?: Partial<ReconcileReport>): void;
}

export interface ServeHarness {
  controller: Controller;
  runs: GatedRun[];
  /** Most runs in flight at once, ever. */
  maxConcurrent(): number;
  logLines: string[];
  redactor: Redactor;
  /** Resolves when `n` runs have started. */
  runsStarted(n: number): Promise<void>;
  finishAll(): void;
  /** If true, runs finish as soon as they start. */
  autoFinish: boolean;
  close(): Promise<void>;
}

export async function startServeHarness(
  config: Partial<ControllerConfig> = {},
  options: { deps?: Partial<ControllerDeps>; autoFinish?: boolean; redactor?: Redactor; report?: ReconcileReport } = {},
): Promise<ServeHarness> {
  const redactor = options.redactor ?? new Redactor();
  const logLines: string[] = [];
  const runs: GatedRun[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let inFlight = 0;
  let max = 0;
  const harness = { autoFinish: options.autoFinish ?? false } as ServeHarness;
  const deps: ControllerDeps = {
    logger: createLogger({ redactor, write: (line) => void logLines.push(line), level: 'debug' }),
    reconcile: (environments, signal) =>
      new Promise<ReconcileReport>((resolve) => {
        inFlight++;
        max = Math.max(max, inFlight);
        let done = false;
        const run: GatedRun = {
          environments,
          signal,
          finish: (report = {}) => {
            if (done) return;
            done = true;
            inFlight--;
            resolve({ ...(options.report ?? { environments: environments.map((env) => ({ env, apps: [{ app: 'triage', status: 'in-sync' as const }] })), exitCode: 0 }), ...report });
          },
        };
        runs.push(run);
        for (const w of waiters.filter((w) => runs.length >= w.n)) w.resolve();
        if (harness.autoFinish) setImmediate(() => run.finish());
      }),
    ...options.deps,
  };
  const controller = await startController(
    {
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 64 * 1024,
      environments: [{ name: 'dev', intervalMs: 86_400_000 }],
      rotations: [],
      reconcileAtStart: false,
      ...config,
    },
    deps,
  );
  Object.assign(harness, {
    controller,
    runs,
    logLines,
    redactor,
    maxConcurrent: () => max,
    runsStarted: (n: number) => (runs.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    finishAll: () => {
      for (const run of runs) run.finish();
    },
    close: async () => {
      harness.autoFinish = true;
      harness.finishAll();
      const closing = controller.shutdown('test over');
      const timer = setInterval(() => harness.finishAll(), 10);
      await closing.finally(() => clearInterval(timer));
    },
  });
  return harness;
}

export interface Delivery {
  event?: string;
  id?: string;
  ref?: string;
  secret?: string;
  signature?: string | null;
  body?: string;
  contentType?: string;
}

export async function deliver(url: string, secret: string, delivery: Delivery = {}): Promise<{ status: number; outcome: string | null }> {
  const body = delivery.body ?? JSON.stringify({ ref: delivery.ref ?? 'refs/heads/main', after: 'a'.repeat(40), deleted: false, commits: [] });
  const signature = delivery.signature === undefined ? await sign(delivery.secret ?? secret, body) : delivery.signature;
  const headers: Record<string, string> = {
    'content-type': delivery.contentType ?? 'application/json',
    'x-github-event': delivery.event ?? 'push',
    'x-github-delivery': delivery.id ?? crypto.randomUUID(),
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${url}/webhooks/github`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return { status: res.status, outcome: res.headers.get('x-dify-gitops-outcome') };
}
