// `runApp()`: one request to one repository app in one environment, with the answer streamed to
// `onChunk` as it arrives when asked. Resolves the app like broadcast does (manifest target, own
// API key); an app that cannot be resolved is an error before anything is sent. The result is
// the run envelope (envelope.ts).

import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { createConnector } from '../apply/connect.js';
import { loadRepo, type RepositoryOptions } from '../broadcast/broadcast.js';
import { invokeApp } from '../broadcast/invoke-app.js';
import { resolveTargets } from '../broadcast/resolve-targets.js';
import { selectBroadcastApps } from '../broadcast/select-apps.js';
import { DEFAULT_TIMEOUT_MS } from '../broadcast/send.js';
import type { AppRequest } from '../broadcast/types.js';
import { DifyGitopsError } from '../errors.js';
import { Redactor } from '../secrets/redactor.js';
import { resolveStateDir } from '../state/state-dir.js';
import { buildRunEnvelope, type RunEnvelope } from './envelope.js';

export interface RunAppOptions extends RepositoryOptions {
  environment: string;
  app: string;
  request: AppRequest;
  /** Use the streaming endpoint (agent-chat always streams). */
  stream?: boolean;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Each answer chunk as it arrives (streaming only). */
  onChunk?: (text: string) => void;
}

export class AppNotRunnableError extends DifyGitopsError {
  constructor(message: string, code: string) {
    super(`E_${code.toUpperCase().replace(/-/g, '_')}`, message);
  }
}

export async function runApp(options: RunAppOptions): Promise<RunEnvelope> {
  const redactor = options.redactor ?? new Redactor();
  const env = options.env ?? process.env;
  const repo = await loadRepo(options, redactor, env);
  const [desired] = selectBroadcastApps(repo, options.environment, { kind: 'apps', apps: [options.app] });
  const connector = createConnector({ redactor, env, cwd: repo.root, concurrency: 2 });
  try {
    const client = await connector.connect(repo.environments.find((e) => e.name === options.environment)!);
    const [target] = await resolveTargets(client, [desired!], { environment: options.environment, stateDir: resolveStateDir(repo.root, options.stateDir), limit: pLimit(1) });
    if (target === undefined || 'error' in target) throw new AppNotRunnableError(target?.error ?? `cannot resolve ${options.app}`, target?.errorCode ?? 'unresolved');
    const stream = options.stream === true;
    const invocation = await invokeApp(target.service, target.mode, options.request, {
      stream,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.onChunk === undefined ? {} : { onChunk: options.onChunk }),
    });
    return buildRunEnvelope({
      id: randomUUID(),
      app: target.app,
      environment: options.environment,
      appId: target.appId,
      mode: target.mode,
      streamed: stream || target.mode === 'agent-chat',
      invocation,
      finishedAt: new Date(),
    });
  } finally {
    await connector.closeAll();
  }
}
