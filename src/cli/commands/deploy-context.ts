// What recover, rollback and history share: the repository, a connector and the session deps.

import { createConnector } from '../../apply/connect.js';
import type { SessionDeps } from '../../apply/session-factory.js';
import { loadRepository, requireValidRepository, type LoadedRepository } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';
import { parseSeconds } from './apply-run.js';

export interface DeployCommandOptions {
  env?: string;
  config?: string;
  stateDir?: string;
  lockWait?: string;
  requestTimeout?: string;
  breakStaleLock?: boolean;
}

export async function openDeployContext(ctx: CliContext, options: DeployCommandOptions): Promise<{ repo: LoadedRepository; deps: SessionDeps; close: () => Promise<void> }> {
  const lockWaitMs = parseSeconds(options.lockWait, 0, '--lock-wait');
  const repo = requireValidRepository(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }));
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root, concurrency: 4, timeoutMs: parseSeconds(options.requestTimeout, 30, '--request-timeout') });
  const deps: SessionDeps = {
    connect: connector.connect,
    stateDir: resolveStateDir(repo.root, options.stateDir),
    redactor: ctx.redactor,
    env: ctx.env,
    now: () => new Date(),
    notice: (message) => ctx.err(`notice: ${message}\n`),
    concurrency: 4,
    lockWaitMs,
    breakStaleLock: options.breakStaleLock === true,
  };
  return { repo, deps, close: () => connector.closeAll() };
}

export function environmentNamed(repo: LoadedRepository, name: string) {
  const environment = repo.environments.find((e) => e.name === name);
  if (environment === undefined) throw new UsageError(`unknown environment \`${name}\`; the config declares ${repo.environments.map((e) => e.name).join(', ')}`);
  return environment;
}
