import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';
import { startServeHarness, type ServeHarness } from '../support/serve-harness.js';

let harness: ServeHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

describe('serve controller (real node-cron, real HTTP)', () => {
  it('reconciles on a one-second cron schedule and exposes the named metrics, /healthz and /readyz', async () => {
    const canary = 'canary-secret-4b1d';
    const redactor = new Redactor();
    redactor.add(canary);
    harness = await startServeHarness(
      { environments: [{ name: 'dev', intervalMs: 1000 }] },
      {
        autoFinish: true,
        redactor,
        report: {
          exitCode: 0,
          environments: [{ env: 'dev', apps: [{ app: 'triage', status: 'healed', detail: `re-imported with ${canary}` }, { app: 'faq', status: 'drift' }, { app: 'ok', status: 'in-sync' }, { app: 'bad', status: 'rolled-back' }] }],
        },
        deps: { readSecretAges: () => Promise.resolve([{ secret: 'triage-key', environment: 'dev', ageSeconds: 3600 }, { secret: 'never', environment: 'dev', ageSeconds: undefined }]) },
      },
    );
    const url = harness.controller.url;
    expect((await get(`${url}/healthz`)).status).toBe(200);
    expect(await get(`${url}/readyz`)).toEqual({ status: 503, text: 'no reconcile has run yet\n' });
    await until('two scheduled runs', () => harness!.controller.reconcileLane.runs >= 2);
    await harness.controller.reconcileLane.idle();
    expect((await get(`${url}/readyz`)).status).toBe(200);
    const metrics = (await get(`${url}/metrics`)).text;
    for (const name of [
      'dify_gitops_reconcile_duration_seconds_bucket',
      'dify_gitops_app_drift{environment="dev",app="faq"} 1',
      'dify_gitops_app_drift{environment="dev",app="ok"} 0',
      'dify_gitops_applies_total{environment="dev"}',
      'dify_gitops_rollbacks_total{environment="dev"}',
      'dify_gitops_failures_total',
      'dify_gitops_last_good_reconcile_timestamp_seconds',
      'dify_gitops_rotated_secret_age_seconds{secret="triage-key",environment="dev"} 3600',
    ]) expect(metrics).toContain(name);
    expect(metrics).not.toContain('secret="never"');
    expect(metrics).not.toContain('process_cpu'); // its own registry, not prom-client's default metrics
    expect(harness.runs.every((r) => r.environments.join() === 'dev')).toBe(true);
    const log = harness.logLines.join('');
    expect(log).toContain('dev/triage: healed');
    expect(log).not.toContain(canary);
    for (const line of harness.logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('never overlaps runs of the same environment: ticks during a slow run are skipped, counted and logged', async () => {
    harness = await startServeHarness({ environments: [{ name: 'dev', intervalMs: 1000 }] });
    await harness.runsStarted(1);
    await until('a skipped tick', () => harness!.controller.reconcileLane.skipped >= 2);
    expect(harness.runs).toHaveLength(1);
    harness.finishAll();
    const metrics = await (await fetch(`${harness.controller.url}/metrics`)).text();
    expect(metrics).toMatch(/dify_gitops_runs_skipped_total\{lane="reconcile"\} [2-9]/);
    expect(harness.logLines.join('')).toContain('still running; this tick is skipped');
    expect(harness.maxConcurrent()).toBe(1);
  });

  it('is not ready while the last reconcile failed, and ready again after a good one', async () => {
    let fail = true;
    harness = await startServeHarness({ reconcileAtStart: true }, { autoFinish: true, deps: { syncRepository: () => (fail ? Promise.reject(new Error('git fetch failed')) : Promise.resolve({ commit: 'abc' })) } });
    await until('the first run to fail', async () => (await get(`${harness!.controller.url}/readyz`)).status === 503 && harness!.controller.reconcileLane.runs === 1 && !harness!.controller.reconcileLane.busy);
    expect((await get(`${harness.controller.url}/readyz`)).text).toContain('the last reconcile failed: git fetch failed');
    fail = false;
    harness.controller.reconcileLane.request([], { source: 'webhook', label: 'retry' });
    await until('ready', async () => (await get(`${harness!.controller.url}/readyz`)).status === 200);
    expect(await (await fetch(`${harness.controller.url}/metrics`)).text()).toContain('dify_gitops_failures_total{kind="reconcile"} 1');
  });

  it('shutdown stops the schedules and the server, aborts the run in flight and waits for it to finish', async () => {
    harness = await startServeHarness({ environments: [{ name: 'dev', intervalMs: 1000 }], reconcileAtStart: true });
    await harness.runsStarted(1);
    const run = harness.runs[0]!;
    let stopped = false;
    const stopping = harness.controller.shutdown('SIGTERM').then(() => (stopped = true));
    await until('the abort', () => run.signal.aborted);
    expect(stopped).toBe(false);
    expect((await get(`${harness.controller.url}/readyz`).catch(() => ({ status: 0, text: '' }))).status).not.toBe(200);
    run.finish();
    await stopping;
    await expect(fetch(`${harness.controller.url}/healthz`)).rejects.toThrow();
    const runsAfter = harness.controller.reconcileLane.runs;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // one more tick would have fired by now
    expect(harness.controller.reconcileLane.runs).toBe(runsAfter);
    harness = undefined;
  });
});

describe('serve controller: rotation lane', () => {
  it('runs each rotation schedule on node-cron (UTC), one run at a time, and counts outcomes', async () => {
    const calls: string[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    harness = await startServeHarness(
      { rotations: [{ name: 'triage-key', schedule: '* * * * * *' }, { name: 'manual-only', schedule: undefined }], rotationSweep: '0 0 0 1 1 *' },
      {
        deps: {
          rotate: async (secrets) => {
            calls.push(secrets);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 1200)); // longer than a tick: the next tick must be skipped
            inFlight--;
            return secrets.map((secret) => ({ secret, outcome: 'waiting', message: 'delivered; finishing after the grace period' }));
          },
        },
      },
    );
    await until('two rotation runs', () => calls.length >= 2);
    expect(calls.every((c) => c.join() === 'triage-key')).toBe(true);
    expect(maxInFlight).toBe(1);
    const metrics = await (await fetch(`${harness.controller.url}/metrics`)).text();
    expect(metrics).toMatch(/dify_gitops_rotations_total\{outcome="waiting"\} [1-9]/);
    expect(metrics).toMatch(/dify_gitops_runs_skipped_total\{lane="rotation"\} [1-9]/);
    expect(harness.controller.schedules.entries.map((e) => e.target)).toEqual(['reconcile dev', 'rotate triage-key', 'rotation sweep']);
  });
});

describe('serve controller: a changed configuration', () => {
  it('reschedule replaces the ticks (new interval, new environment), and is a no-op once shutting down', async () => {
    harness = await startServeHarness({ environments: [{ name: 'dev', intervalMs: 86_400_000 }] }, { autoFinish: true });
    const { controller } = harness;
    expect(controller.schedules.entries.map((e) => e.target)).toEqual(['reconcile dev']);
    // Every second for `staging`: ticks start to arrive for it, and only for it.
    await controller.reschedule({ environments: [{ name: 'staging', intervalMs: 1000 }], rotations: [] });
    expect(controller.schedules.entries).toEqual([{ target: 'reconcile staging', expression: '* * * * * *', everyTicks: 1 }]);
    expect(harness.logLines.some((l) => l.includes('serve: schedules reloaded from the new configuration'))).toBe(true);
    await until('a scheduled staging run', () => harness!.runs.some((r) => r.environments.join() === 'staging'));
    expect(harness.runs.every((r) => r.environments.join() === 'staging')).toBe(true);

    await controller.shutdown('test');
    const entries = controller.schedules.entries;
    await controller.reschedule({ environments: [{ name: 'dev', intervalMs: 1000 }], rotations: [] });
    expect(controller.schedules.entries).toBe(entries);
    const runs = harness.runs.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(harness.runs.length).toBe(runs);
  });
});

describe('serve controller: startup errors', () => {
  it('a taken port is a clear error (exit 1), not a crash', async () => {
    harness = await startServeHarness();
    const port = new URL(harness.controller.url).port;
    await expect(startServeHarness({ port: Number(port) })).rejects.toMatchObject({ code: 'E_LISTEN', exitCode: 1, message: expect.stringContaining(`cannot listen on 127.0.0.1:${port}: EADDRINUSE (the port is taken`) as unknown });
  });
});
