// `dify-gitops recover` implementation.

import { worstExitCode } from '../../apply/apply-all.js';
import { recoverOpen } from '../../apply/recover-all.js';
import { renderApplyText } from '../../apply/render-result.js';
import { createSessions } from '../../apply/session-factory.js';
import { ExitCode } from '../../exit-codes.js';
import type { CliContext } from '../context.js';
import { openDeployContext, type DeployCommandOptions } from './deploy-context.js';

export async function run(ctx: CliContext, options: DeployCommandOptions & { app?: string[] }): Promise<ExitCode> {
  const { repo, deps, close } = await openDeployContext(ctx, options);
  try {
    const environments = repo.environments.filter((e) => options.env === undefined || e.name === options.env);
    const sessions = await createSessions(repo.root, deps);
    const recovered = await recoverOpen(environments, repo.desired, sessions, deps, options.app);
    if (recovered.length === 0) {
      ctx.out('Nothing to recover: no interrupted runs.\n');
      return ExitCode.Ok;
    }
    const exitCode = worstExitCode(recovered.map((r) => r.exitCode));
    ctx.out(renderApplyText({ plan: { formatVersion: 1, createdAt: '', revision: null, servers: {}, entries: [] }, recovered, results: [], exitCode }).replace(/Nothing to apply[^\n]*\n/, '').replace(/Apply finished/, 'Recover finished'));
    return exitCode;
  } finally {
    await close();
  }
}
