// `dify-gitops rollback` implementation.

import { rollbackApp } from '../../apply/rollback-app.js';
import { renderApplyText } from '../../apply/render-result.js';
import { createSessions } from '../../apply/session-factory.js';
import { UsageError } from '../../errors.js';
import type { ExitCode } from '../../exit-codes.js';
import type { CliContext } from '../context.js';
import { environmentNamed, openDeployContext, type DeployCommandOptions } from './deploy-context.js';

export async function run(ctx: CliContext, options: DeployCommandOptions & { env: string; app: string; to?: string }): Promise<ExitCode> {
  const { repo, deps, close } = await openDeployContext(ctx, options);
  try {
    const environment = environmentNamed(repo, options.env);
    const desired = repo.desired.find((d) => d.environment === options.env && d.name === options.app);
    if (desired === undefined) throw new UsageError(`app \`${options.app}\` is not deployed to ${options.env} in this repository`);
    const sessions = await createSessions(repo.root, deps);
    const result = await rollbackApp(await sessions.sessionFor(environment), desired, options.to ?? 'previous');
    ctx.out(renderApplyText({ plan: { formatVersion: 1, createdAt: '', revision: null, servers: {}, entries: [] }, recovered: [], results: [result], exitCode: result.exitCode }).replace(/^apply /m, 'rollback ').replace('Apply finished', 'Rollback finished'));
    return result.exitCode;
  } finally {
    await close();
  }
}
