// The controller's Prometheus metrics, on a Registry of its own (never prom-client's global
// default, so two controllers in one process, or a test, never share counters). Recording is
// from reconcile reports and lane events; the rotated secrets' ages are read from the rotation
// ledger at scrape time, so they are right even when nothing ran for days.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReconcileReport } from '../reconcile/index.js';

export interface SecretAge {
  secret: string;
  environment: string;
  /** Seconds since the current value was created (or last rotated); undefined when never rotated. */
  ageSeconds: number | undefined;
}

export interface ControllerMetrics {
  registry: Registry;
  recordReconcile(report: ReconcileReport, seconds: number, trigger: string, at: Date): void;
  recordReconcileFailure(seconds: number, trigger: string): void;
  recordSkip(lane: string): void;
  recordWebhook(outcome: string): void;
  recordRotation(outcome: string, count: number): void;
  /** Text exposition format. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** App statuses that mean "live differs from git" after the run. */
const DRIFTED = new Set(['drift', 'draft-only-drift', 'heal-failed']);
const FAILED = new Set(['heal-failed', 'error']);

export function createControllerMetrics(options: { readSecretAges?: (() => Promise<SecretAge[]>) | undefined } = {}): ControllerMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'dify_gitops_reconcile_duration_seconds',
    help: 'Wall time of one reconcile run (git sync included)',
    labelNames: ['result', 'trigger'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const drift = new Gauge({ name: 'dify_gitops_app_drift', help: '1 when the app differed from git at its last reconcile (drift, draft-only-drift, heal-failed), else 0', labelNames: ['environment', 'app'], registers: [registry] });
  const applies = new Counter({ name: 'dify_gitops_applies_total', help: 'Apps brought back to git by a reconcile (healed)', labelNames: ['environment'], registers: [registry] });
  const rollbacks = new Counter({ name: 'dify_gitops_rollbacks_total', help: 'Reconcile applies that failed their health checks and were rolled back', labelNames: ['environment'], registers: [registry] });
  const failures = new Counter({ name: 'dify_gitops_failures_total', help: 'Failures: per app (heal-failed, error), whole runs (reconcile, rotation)', labelNames: ['kind'], registers: [registry] });
  const lastGood = new Gauge({ name: 'dify_gitops_last_good_reconcile_timestamp_seconds', help: 'Unix time the last reconcile finished with exit code 0', registers: [registry] });
  const runs = new Counter({ name: 'dify_gitops_reconcile_runs_total', help: 'Reconcile runs finished', labelNames: ['result', 'trigger'], registers: [registry] });
  const skipped = new Counter({ name: 'dify_gitops_runs_skipped_total', help: 'Scheduled runs skipped because the previous run of the same target was still running', labelNames: ['lane'], registers: [registry] });
  const webhooks = new Counter({ name: 'dify_gitops_webhook_deliveries_total', help: 'GitHub webhook deliveries by outcome', labelNames: ['outcome'], registers: [registry] });
  const rotations = new Counter({ name: 'dify_gitops_rotations_total', help: 'Secret rotation results by outcome', labelNames: ['outcome'], registers: [registry] });
  const readAges = options.readSecretAges;
  new Gauge({
    name: 'dify_gitops_rotated_secret_age_seconds',
    help: 'Seconds since each rotated secret got its current value (rotation ledger); absent until first rotated',
    labelNames: ['secret', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const age of (await readAges?.()) ?? []) {
        if (age.ageSeconds !== undefined) this.set({ secret: age.secret, environment: age.environment }, Math.round(age.ageSeconds));
      }
    },
  });

  return {
    registry,
    recordReconcile(report, seconds, trigger, at) {
      const result = report.exitCode === 0 ? 'ok' : 'problems';
      duration.observe({ result, trigger }, seconds);
      runs.inc({ result, trigger });
      for (const { env, apps } of report.environments) {
        for (const { app, status } of apps) {
          drift.set({ environment: env, app }, DRIFTED.has(status) ? 1 : 0);
          if (status === 'healed') applies.inc({ environment: env });
          if (status === 'rolled-back') rollbacks.inc({ environment: env });
          if (FAILED.has(status)) failures.inc({ kind: status });
        }
      }
      if (report.exitCode === 0) lastGood.set(at.getTime() / 1000);
    },
    recordReconcileFailure(seconds, trigger) {
      duration.observe({ result: 'failed', trigger }, seconds);
      runs.inc({ result: 'failed', trigger });
      failures.inc({ kind: 'reconcile' });
    },
    recordSkip: (lane) => skipped.inc({ lane }),
    recordWebhook: (outcome) => webhooks.inc({ outcome }),
    recordRotation(outcome, count) {
      rotations.inc({ outcome }, count);
      if (outcome === 'failed' || outcome === 'needs-human') failures.inc({ kind: 'rotation' }, count);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
