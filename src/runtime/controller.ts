// `serve` as a library: lanes (reconcile, rotation), node-cron schedules, the HTTP endpoints and
// graceful shutdown, composed around INJECTED runners. The reconcile and rotation runners and the
// git sync are functions passed in, so this file holds scheduling and HTTP only and is tested
// with real cron and real sockets but any runner; serve-run.ts wires the real ones.

import type { ReconcileReport } from '../reconcile/index.js';
import { createDeliveryCache } from './delivery-cache.js';
import { startHttpServer, type RunningServer } from './http-server.js';
import { createLane, type Lane, type LaneOutcome, type Trigger } from './lane.js';
import type { Logger } from './logger.js';
import { createControllerMetrics, type ControllerMetrics, type SecretAge } from './metrics.js';
import { startSchedules, type ScheduleSpec, type Schedules } from './scheduler.js';
import { handleGithubDelivery } from './webhook.js';

export interface RotationRunResult {
  secret: string;
  outcome: string;
  message: string;
}

export interface ControllerDeps {
  /** Reconciles these environments (never empty); must stop starting apps once `signal` aborts. */
  reconcile(environments: string[], signal: AbortSignal): Promise<ReconcileReport>;
  /** Brings the repository to the tracked branch before each reconcile; absent with --no-git-sync. */
  syncRepository?: (() => Promise<{ commit: string }>) | undefined;
  /** Rotates what is due among these secrets (empty: all). Absent: no rotation lane. */
  rotate?: ((secrets: string[], signal: AbortSignal) => Promise<RotationRunResult[]>) | undefined;
  readSecretAges?: (() => Promise<SecretAge[]>) | undefined;
  logger: Logger;
  now?: () => Date;
}

export interface ControllerConfig extends ScheduleSpec {
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Without it POST /webhooks/github is 404. */
  webhook?: { secret: string; branch: string } | undefined;
  /** Reconcile once right away (default true), so readiness does not wait for the first tick. */
  reconcileAtStart?: boolean;
  deliveryCacheSize?: number;
}

export interface Controller {
  url: string;
  metrics: ControllerMetrics;
  reconcileLane: Lane;
  /** The schedules in force (replaced by reschedule). */
  readonly schedules: Schedules;
  /**
   * Replaces the schedules when the configuration changed (a new commit): ticks follow the new
   * intervals and environments; a run in flight is not touched.
   */
  reschedule(spec: ScheduleSpec): Promise<void>;
  ready(): { ready: boolean; detail: string };
  /** Stop schedules and the server, abort the run in flight and wait for it; idempotent. */
  shutdown(reason: string): Promise<void>;
}

export async function startController(config: ControllerConfig, deps: ControllerDeps): Promise<Controller> {
  const log = deps.logger;
  const now = deps.now ?? (() => new Date());
  const metrics = createControllerMetrics({ readSecretAges: deps.readSecretAges });
  let allEnvironments = config.environments.map((e) => e.name);
  let completed = 0;
  let lastFatal: string | undefined;
  let stopping: Promise<void> | undefined;

  const onRequest = (lane: string) => (outcome: LaneOutcome, targets: string[], trigger: Trigger) => {
    const what = { lane, targets: targets.length === 0 ? 'all' : targets.join(','), trigger: trigger.label, outcome };
    if (outcome === 'skipped') {
      metrics.recordSkip(lane);
      log.warn(what, `${lane}: the previous run of the same target is still running; this tick is skipped`);
    } else if (outcome === 'queued' || outcome === 'coalesced') log.info(what, `${lane}: a run is in flight; one follow-up run will follow it`);
  };

  const reconcileLane = createLane<ReconcileReport>({
    name: 'reconcile',
    onRequest: onRequest('reconcile'),
    async run(targets, signal, reasons) {
      const environments = targets.length === 0 ? allEnvironments : targets;
      const began = performance.now();
      const trigger = reasons[0]?.split(' ')[0] ?? 'unknown';
      log.info({ environments, reasons }, 'reconcile: start');
      try {
        if (deps.syncRepository !== undefined) {
          const { commit } = await deps.syncRepository();
          log.info({ commit }, 'reconcile: repository at the tracked branch');
        }
        const report = await deps.reconcile(environments, signal);
        const seconds = (performance.now() - began) / 1000;
        metrics.recordReconcile(report, seconds, trigger, now());
        completed++;
        lastFatal = undefined;
        for (const { env, apps } of report.environments) {
          for (const app of apps) if (app.status !== 'in-sync') log.info({ environment: env, app: app.app, status: app.status, detail: app.detail }, `${env}/${app.app}: ${app.status}`);
        }
        log.info({ environments, exitCode: report.exitCode, seconds: Number(seconds.toFixed(3)), aborted: signal.aborted }, 'reconcile: done');
        return report;
      } catch (error) {
        const seconds = (performance.now() - began) / 1000;
        metrics.recordReconcileFailure(seconds, trigger);
        lastFatal = error instanceof Error ? error.message : String(error);
        log.error({ environments, err: lastFatal }, 'reconcile: failed');
        throw error;
      }
    },
  });

  const rotate = deps.rotate;
  const rotationLane =
    rotate === undefined
      ? undefined
      : createLane<RotationRunResult[]>({
          name: 'rotation',
          onRequest: onRequest('rotation'),
          async run(targets, signal) {
            try {
              const results = await rotate(targets, signal);
              const counts = new Map<string, number>();
              for (const r of results) {
                counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
                log.info({ secret: r.secret, outcome: r.outcome }, `rotation ${r.secret}: ${r.outcome}: ${r.message}`);
              }
              for (const [outcome, count] of counts) metrics.recordRotation(outcome, count);
              return results;
            } catch (error) {
              metrics.recordRotation('failed', 1);
              log.error({ err: error instanceof Error ? error.message : String(error) }, 'rotation: failed');
              throw error;
            }
          },
        });

  const deliveries = createDeliveryCache(config.deliveryCacheSize ?? 1000);
  const webhook = config.webhook;
  const ready = (): { ready: boolean; detail: string } => {
    if (stopping !== undefined) return { ready: false, detail: 'shutting down' };
    if (lastFatal !== undefined) return { ready: false, detail: `the last reconcile failed: ${lastFatal}` };
    if (completed > 0) return { ready: true, detail: `ready: ${completed} reconcile run(s) completed` };
    if (reconcileLane.busy) return { ready: true, detail: 'ready: the first reconcile is in progress' };
    return { ready: false, detail: 'no reconcile has run yet' };
  };
  let server: RunningServer;
  try {
    server = await startHttpServer(
      { host: config.host, port: config.port, maxBodyBytes: config.maxBodyBytes },
      {
        ready,
        metrics: () => metrics.render(),
        webhook:
          webhook === undefined
            ? undefined
            : (headers, body) =>
                handleGithubDelivery(headers, body, {
                  secret: webhook.secret,
                  branch: webhook.branch,
                  deliveries,
                  trigger: (label) => reconcileLane.request([], { source: 'webhook', label }),
                }),
        onWebhookReply: (reply) => {
          metrics.recordWebhook(reply.outcome);
          log.info({ status: reply.status, outcome: reply.outcome }, `webhook: ${reply.message}`);
        },
        onError: (error) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'http: request failed'),
      },
    );
  } catch (error) {
    await Promise.all([reconcileLane.close(), rotationLane?.close()]);
    throw error;
  }
  const cronLog = {
    info: (m: string) => log.debug(m),
    warn: (m: string) => log.warn(m),
    error: (m: string | Error) => log.error(String(m)),
    debug: (m: string | Error) => log.debug(String(m)),
  };
  const lanes = { reconcile: reconcileLane, rotation: rotationLane };
  let schedules = startSchedules(config, lanes, cronLog);
  log.info({ url: server.url, schedules: schedules.entries, webhook: webhook === undefined ? 'off' : `tracking ${webhook.branch}` }, 'serve: listening');
  if (config.reconcileAtStart !== false) reconcileLane.request([], { source: 'startup', label: 'startup' });

  return {
    url: server.url,
    metrics,
    reconcileLane,
    get schedules() {
      return schedules;
    },
    async reschedule(spec) {
      if (stopping !== undefined) return;
      await schedules.stop();
      // shutdown() may have begun meanwhile; it stopped the old schedules, so none are started.
      if (stopping !== undefined) return;
      schedules = startSchedules(spec, lanes, cronLog);
      allEnvironments = spec.environments.map((e) => e.name);
      log.info({ schedules: schedules.entries }, 'serve: schedules reloaded from the new configuration');
    },
    ready,
    shutdown(reason) {
      stopping ??= (async () => {
        log.info({ reason, inFlight: reconcileLane.busy }, 'serve: shutting down; the app in flight finishes (or rolls back), nothing new starts');
        await schedules.stop();
        const closing = server.close();
        await Promise.all([reconcileLane.close(), rotationLane?.close()]);
        await closing;
        log.info({ reconcileRuns: reconcileLane.runs, skipped: reconcileLane.skipped }, 'serve: stopped');
      })();
      return stopping;
    },
  };
}
