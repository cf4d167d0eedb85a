// Per-simulator bookkeeping that must not be persisted: active requests per app (Dify's Redis
// rate-limit hash behind max_active_requests) and running tasks with their stop flags. Kept in a
// WeakMap keyed by the world, so each simulator has its own and nothing outlives it.

import { invalidParam } from '../http/errors.js';
import type { SimApp } from '../state.js';
import type { SimWorld } from '../world.js';

export interface RunTask {
  id: string;
  appId: string;
  stopped: boolean;
  /** Wakes pauses when the task is stopped. */
  readonly wakers: Set<() => void>;
}

interface Runtime {
  active: Map<string, number>;
  tasks: Map<string, RunTask>;
}

const runtimes = new WeakMap<SimWorld, Runtime>();

function runtimeOf(world: SimWorld): Runtime {
  let runtime = runtimes.get(world);
  if (!runtime) {
    runtime = { active: new Map(), tasks: new Map() };
    runtimes.set(world, runtime);
  }
  return runtime;
}

/**
 * RateLimit.enter: counts this request against app.max_active_requests (0/null = unlimited).
 * Returns the exit function; Dify answers 400 invalid_param because the error subclasses ValueError.
 */
export function enterRateLimit(world: SimWorld, app: SimApp): () => void {
  const runtime = runtimeOf(world);
  const limit = app.max_active_requests ?? 0;
  const current = runtime.active.get(app.id) ?? 0;
  if (limit > 0 && current >= limit) {
    throw invalidParam(
      `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${app.id} is ${limit}.`,
    );
  }
  runtime.active.set(app.id, current + 1);
  let exited = false;
  return () => {
    if (exited) return;
    exited = true;
    runtime.active.set(app.id, Math.max(0, (runtime.active.get(app.id) ?? 1) - 1));
  };
}

export function activeRequests(world: SimWorld, appId: string): number {
  return runtimeOf(world).active.get(appId) ?? 0;
}

export function startTask(world: SimWorld, appId: string): RunTask {
  const task: RunTask = { id: world.newId(), appId, stopped: false, wakers: new Set() };
  runtimeOf(world).tasks.set(task.id, task);
  return task;
}

export function endTask(world: SimWorld, task: RunTask): void {
  runtimeOf(world).tasks.delete(task.id);
}

/** AppQueueManager.set_stop_flag: unknown or finished tasks are ignored (the caller still gets success). */
export function stopTask(world: SimWorld, appId: string, taskId: string): void {
  const task = runtimeOf(world).tasks.get(taskId);
  if (!task || task.appId !== appId) return;
  task.stopped = true;
  for (const wake of task.wakers) wake();
}

/** Waits `ms` unless the task is stopped or the client goes away first. */
export function pause(ms: number, task: RunTask, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || task.stopped || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      task.wakers.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    task.wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
