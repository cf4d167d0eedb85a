// Turns the selected repository apps into callable targets in one environment: one app listing,
// then per app the live app its manifest target means (src/plan/find-target.ts: appId, exact
// name for adopt, the remembered id or the app name for create) and an app API key (found or
// created by src/health/api-key.ts; the token is registered with the Redactor, never printed).
// An app that cannot be resolved becomes an error target; the others go ahead.

import type { LimitFunction } from 'p-limit';
import { loadAppRegistry } from '../apply/app-registry.js';
import type { DesiredApp } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import { ensureAppApiKey } from '../health/api-key.js';
import { findTarget } from '../plan/find-target.js';
import { ensureStateDir } from '../state/state-dir.js';
import type { BroadcastTarget } from './types.js';

export interface ResolveTargetsOptions {
  environment: string;
  /** The state directory: created-app ids (apps/) and the ids of our API keys (keys/). */
  stateDir: string;
  limit: LimitFunction;
}

export async function resolveTargets(client: DifyClient, desired: readonly DesiredApp[], options: ResolveTargetsOptions): Promise<BroadcastTarget[]> {
  const [apps, registry] = await Promise.all([client.apps.list(), loadAppRegistry(options.stateDir, options.environment)]);
  await ensureStateDir(options.stateDir);
  return Promise.all(
    desired.map((app) =>
      options.limit(async (): Promise<BroadcastTarget> => {
        const match = findTarget(app, apps, registry);
        if (match.kind === 'absent') {
          return { app: app.name, appId: null, mode: null, errorCode: 'app-absent', error: `${app.name} does not exist in environment ${options.environment} yet (target create: run apply first)` };
        }
        if (match.kind === 'error') return { app: app.name, appId: null, mode: null, errorCode: match.code, error: match.message };
        const { id, mode } = match.summary;
        try {
          const key = await ensureAppApiKey(client, options.stateDir, options.environment, id);
          return { app: app.name, appId: id, mode, service: client.service(key) };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { app: app.name, appId: id, mode, errorCode: 'no-api-key', error: `cannot get an API key for ${app.name}: ${message}` };
        }
      }),
    ),
  );
}
