// `broadcast()`: the same request to many apps of one environment, from a dify-gitops repository.
// Loads and validates the repository, selects the apps, compiles the output schema, connects to
// the environment with a connection pool as large as the concurrency, resolves each app to its
// live id and API key, then sends (send.ts). Anything that goes wrong before sending throws (a
// DifyGitopsError: the CLI exits 1); per-app problems are results.

import pLimit from 'p-limit';
import { createConnector } from '../apply/connect.js';
import { loadRepository, requireValidRepository } from '../config/index.js';
import type { LoadedRepository } from '../config/types.js';
import { UsageError } from '../errors.js';
import { Redactor } from '../secrets/redactor.js';
import { resolveStateDir } from '../state/state-dir.js';
import { loadOutputCheck } from './output-check.js';
import { resolveTargets } from './resolve-targets.js';
import { selectBroadcastApps } from './select-apps.js';
import { broadcastToTargets, DEFAULT_CONCURRENCY, type SendOptions } from './send.js';
import type { BroadcastReport, BroadcastSelection, BroadcastTarget } from './types.js';

export interface RepositoryOptions {
  /** The root config file; default: dify-gitops.yaml in `cwd` or a parent ($DIFY_GITOPS_CONFIG wins). */
  config?: string;
  /** Default process.cwd(). */
  cwd?: string;
  /** Where login secrets and `urlEnv` are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default `.dify-gitops` beside the config. */
  stateDir?: string;
  /** Every secret read (logins, app keys) is registered here; pass yours to redact your own output. */
  redactor?: Redactor;
}

export interface BroadcastOptions extends RepositoryOptions, Omit<SendOptions, 'check'> {
  environment: string;
  select: BroadcastSelection;
  /** An output schema's name in the repository: each answer is validated after repair. */
  schema?: string;
  /** Workflow apps: with `schema`, check this output variable instead of the whole outputs object. */
  output?: string;
}

export async function broadcast(options: BroadcastOptions): Promise<BroadcastReport> {
  if (options.output !== undefined && options.schema === undefined) throw new UsageError('--output names the output a --schema checks; give --schema too');
  const redactor = options.redactor ?? new Redactor();
  const env = options.env ?? process.env;
  const repo = await loadRepo(options, redactor, env);
  const desired = selectBroadcastApps(repo, options.environment, options.select);
  const check = options.schema === undefined ? undefined : loadOutputCheck(repo, options.schema, options.output);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const connector = createConnector({ redactor, env, cwd: repo.root, concurrency });
  try {
    const environment = repo.environments.find((e) => e.name === options.environment)!;
    const client = await connector.connect(environment);
    const targets: BroadcastTarget[] = await resolveTargets(client, desired, {
      environment: environment.name,
      stateDir: resolveStateDir(repo.root, options.stateDir),
      limit: pLimit(concurrency),
    });
    return await broadcastToTargets(environment.name, targets, { ...options, concurrency, ...(check === undefined ? {} : { check }) });
  } finally {
    await connector.closeAll();
  }
}

export async function loadRepo(options: RepositoryOptions & { environment: string }, redactor: Redactor, env: NodeJS.ProcessEnv): Promise<LoadedRepository> {
  return requireValidRepository(
    await loadRepository({ cwd: options.cwd ?? process.cwd(), configPath: options.config, env, onlyEnvironment: options.environment, redactor }),
  );
}
