// node-cron tasks that feed the lanes: one per environment at its reconcile interval, one per
// rotation schedule, and a sweep that lets rotations left waiting (grace periods) finish. Ticks
// only ask a lane for a run; the lane decides whether it starts, queues or is skipped. Times are
// UTC, as the rotation planner reads schedules in UTC.

import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import { intervalToSchedule } from './interval-schedule.js';
import type { Lane } from './lane.js';

export interface ScheduleSpec {
  /** Reconcile interval per environment. */
  environments: ReadonlyArray<{ name: string; intervalMs: number }>;
  /** Rotated secrets with their cron schedule (those without one are rotated only by the sweep when a step is pending). */
  rotations: ReadonlyArray<{ name: string; schedule: string | undefined }>;
  /** node-cron expression of the rotation sweep; default every minute. */
  rotationSweep?: string;
}

export interface Schedules {
  /** What was scheduled, for the startup log. */
  readonly entries: ReadonlyArray<{ target: string; expression: string; everyTicks: number }>;
  stop(): Promise<void>;
}

const TIMEZONE = 'Etc/UTC';

export function startSchedules(spec: ScheduleSpec, lanes: { reconcile: Lane; rotation: Lane | undefined }, logger?: CronLogger): Schedules {
  const tasks: ScheduledTask[] = [];
  const entries: { target: string; expression: string; everyTicks: number }[] = [];
  const add = (target: string, expression: string, everyTicks: number, onTick: () => void): void => {
    let ticks = 0;
    const task = createTask(
      expression,
      () => {
        ticks++;
        if (ticks % everyTicks === 0) onTick();
      },
      { timezone: TIMEZONE, name: `dify-gitops ${target}`, noOverlap: false, ...(logger === undefined ? {} : { logger }) },
    );
    tasks.push(task);
    entries.push({ target, expression, everyTicks });
  };
  for (const environment of spec.environments) {
    const { expression, everyTicks } = intervalToSchedule(environment.intervalMs);
    add(`reconcile ${environment.name}`, expression, everyTicks, () => void lanes.reconcile.request([environment.name], { source: 'schedule', label: `interval ${environment.name}` }));
  }
  const rotation = lanes.rotation;
  if (rotation !== undefined && spec.rotations.length > 0) {
    for (const secret of spec.rotations) {
      if (secret.schedule === undefined) continue;
      add(`rotate ${secret.name}`, secret.schedule, 1, () => void rotation.request([secret.name], { source: 'schedule', label: `schedule ${secret.name}` }));
    }
    add('rotation sweep', spec.rotationSweep ?? '30 * * * * *', 1, () => void rotation.request([], { source: 'schedule', label: 'rotation sweep' }));
  }
  for (const task of tasks) void task.start();
  return {
    entries,
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
