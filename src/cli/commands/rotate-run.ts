// `dify-gitops rotate` implementation: load the repository, check the selection, rotateDue, print.

import { createConnector } from '../../apply/connect.js';
import { loadRepository, requireValidRepository } from '../../config/index.js';
import { suggestion } from '../../config/field-path.js';
import { UsageError } from '../../errors.js';
import type { ExitCode } from '../../exit-codes.js';
import { createGitHubClient } from '../../github/client.js';
import { renderRotationJson, renderRotationText, rotateDue } from '../../rotation/index.js';
import { ensureStateDir, resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';

export interface RotateOptions {
  env?: string;
  secret?: string[];
  force?: boolean;
  dryRun?: boolean;
  wait?: boolean;
  format?: 'text' | 'json';
  config?: string;
  stateDir?: string;
  lockWait?: string;
  breakStaleLock?: boolean;
}

export async function run(ctx: CliContext, options: RotateOptions): Promise<ExitCode> {
  const lockWaitMs = Number(options.lockWait ?? '0') * 1000;
  if (!Number.isFinite(lockWaitMs) || lockWaitMs < 0) throw new UsageError(`--lock-wait must be a number of seconds, not ${options.lockWait}`);
  const repo = requireValidRepository(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }));
  const known = repo.rotations.map((r) => r.name);
  for (const name of options.secret ?? []) {
    if (!known.includes(name)) {
      const where = options.env === undefined ? '' : ` in environment ${options.env}`;
      throw new UsageError(`no secret \`${name}\` under rotation:${where}${suggestion(name, known)}${known.length === 0 ? ' (none are configured)' : `; known: ${known.join(', ')}`}`);
    }
  }
  const stateDir = options.dryRun === true ? resolveStateDir(repo.root, options.stateDir) : await ensureStateDir(resolveStateDir(repo.root, options.stateDir));
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root });
  const log = { debug: () => undefined, info: () => undefined, warn: (m: string) => ctx.err(`warning: ${m}\n`), error: (m: string) => ctx.err(`error: ${m}\n`) };
  try {
    const report = await rotateDue(
      {
        repo,
        stateDir,
        connect: connector.connect,
        redactor: ctx.redactor,
        env: ctx.env,
        now: () => new Date(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        log: (message) => ctx.err(`${message}\n`),
        wait: options.wait !== false,
        pollMs: 5000,
        github: (token) => createGitHubClient({ token, baseUrl: ctx.env.GITHUB_API_URL ?? 'https://api.github.com', redactor: ctx.redactor, log }),
        lockWaitMs,
        breakStaleLock: options.breakStaleLock === true,
      },
      { environment: options.env, secrets: options.secret, force: options.force === true, dryRun: options.dryRun === true },
    );
    ctx.out(options.format === 'json' ? renderRotationJson(report) : renderRotationText(report, { dryRun: options.dryRun === true }));
    return report.exitCode;
  } finally {
    await connector.closeAll();
  }
}
