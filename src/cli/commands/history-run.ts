// `dify-gitops history` implementation: Dify's version list for the app (newest first, the live one
// marked) and the journal history of applies, rollbacks and recoveries in this state directory.

import { loadAppRegistry } from '../../apply/app-registry.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { findTarget } from '../../plan/find-target.js';
import { Journal } from '../../state/journal.js';
import type { CliContext } from '../context.js';
import { environmentNamed, openDeployContext, type DeployCommandOptions } from './deploy-context.js';

export async function run(ctx: CliContext, options: DeployCommandOptions & { env: string; app: string; format?: 'text' | 'json' }): Promise<ExitCode> {
  const { repo, deps, close } = await openDeployContext(ctx, options);
  try {
    const environment = environmentNamed(repo, options.env);
    const desired = repo.desired.find((d) => d.environment === options.env && d.name === options.app);
    if (desired === undefined) throw new UsageError(`app \`${options.app}\` is not deployed to ${options.env} in this repository`);
    const journal = await new Journal(deps.stateDir).history(options.env, options.app);
    const client = await deps.connect(environment);
    const match = findTarget(desired, await client.apps.list(), await loadAppRegistry(deps.stateDir, options.env));
    const app = match.kind === 'found' ? match.summary : undefined;
    const versions = app === undefined || (app.mode !== 'workflow' && app.mode !== 'advanced-chat') ? [] : (await client.versions.list(app.id)).filter((v) => v.version !== 'draft');
    const live = app?.workflow?.id ?? null;
    if (options.format === 'json') {
      ctx.out(`${JSON.stringify({ app: app ? { id: app.id, name: app.name, mode: app.mode, publishedWorkflowId: live } : null, versions: versions.map((v) => ({ id: v.id, version: v.version, markedName: v.marked_name ?? '', markedComment: v.marked_comment ?? '', live: v.id === live })), journal }, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const lines = [app === undefined ? `${options.env}/${options.app}: not found in Dify (${match.kind === 'error' ? match.message : 'not created yet'})` : `${options.env}/${options.app}: app ${app.id} (${app.mode})`, ''];
    lines.push('Published versions (newest first):');
    if (versions.length === 0) lines.push('  (none)');
    for (const v of versions) lines.push(`  ${v.id === live ? '*' : ' '} ${v.version}  ${v.id}  ${v.marked_name ? `"${v.marked_name}"` : '-'}${v.marked_comment ? `  ${v.marked_comment}` : ''}`);
    lines.push('', 'Journal (oldest first):');
    if (journal.length === 0) lines.push('  (none)');
    for (const r of journal) {
      const revision = typeof r.context.revision === 'string' ? r.context.revision : '';
      lines.push(`  ${r.startedAt}  ${r.operation} ${revision}  → ${r.outcome?.status ?? 'open'}${r.outcome?.message ? `: ${r.outcome.message}` : ''}`);
      lines.push(`    steps: ${r.steps.map((s) => `${s.step}${s.status === 'done' ? '' : `(${s.status})`}`).join(' → ')}`);
    }
    ctx.out(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    await close();
  }
}
