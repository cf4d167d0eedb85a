// `dify-gitops preview` implementation: refuse anything but a dev environment, then either clean
// up previews or build them for the apps the pull request changes, print the report and (with
// --github-comment) put it into the pull request's plan comment.

import { readFileSync } from 'node:fs';
import { createConnector } from '../../apply/connect.js';
import { loadRepository, requireValidRepository } from '../../config/index.js';
import type { DesiredApp, LoadedRepository } from '../../config/types.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { ActionsEnvError, readActionsContext, type ActionsContext } from '../../github/actions-env.js';
import { selectChangedApps } from '../../preview/changed-apps.js';
import { cleanupPreviews } from '../../preview/cleanup-previews.js';
import { changedFilesSince, defaultBase } from '../../preview/git-changes.js';
import { parseAge, parsePullRequestNumber } from '../../preview/naming.js';
import { previewFailed, renderCleanupText, renderPreviewMarkdown, renderPreviewText } from '../../preview/render-previews.js';
import { runPreviews } from '../../preview/run-previews.js';
import type { PreviewRunResult } from '../../preview/types.js';
import { resolveStateDir } from '../../state/state-dir.js';
import type { CliContext } from '../context.js';
import { parseSeconds } from './apply-run.js';
import { environmentNamed } from './deploy-context.js';
import { parseConcurrency } from './plan-run.js';

export interface PreviewOptions {
  env: string;
  pr?: string;
  base?: string;
  all?: boolean;
  app?: string[];
  secrets?: 'none' | 'bind';
  githubComment?: boolean;
  cleanup?: boolean;
  olderThan?: string;
  concurrency?: string;
  requestTimeout?: string;
  format?: 'text' | 'json';
  config?: string;
  stateDir?: string;
}

export async function run(ctx: CliContext, options: PreviewOptions): Promise<ExitCode> {
  const repo = requireValidRepository(await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor }));
  const environment = environmentNamed(repo, options.env);
  if (!environment.dev) {
    throw new UsageError(`${environment.name} is not a dev environment (dev: true in ${repo.configFile}); previews are only made there, so a pull request never touches a production Dify`);
  }
  const actions = options.githubComment === true ? readActions(ctx) : undefined;
  const prFromEvent = actions?.pullRequest?.number;
  const pr = options.pr !== undefined ? parsePullRequestNumber(options.pr) : prFromEvent;
  const olderThanMs = options.olderThan === undefined ? undefined : parseAge(options.olderThan);
  const concurrency = parseConcurrency(options.concurrency, 4);
  const stateDir = resolveStateDir(repo.root, options.stateDir);
  const connector = createConnector({ redactor: ctx.redactor, env: ctx.env, cwd: repo.root, concurrency: Math.max(concurrency, 4), timeoutMs: parseSeconds(options.requestTimeout, 30, '--request-timeout') });
  try {
    const client = await connector.connect(environment);
    if (options.cleanup === true) {
      if (pr === undefined && olderThanMs === undefined) throw new UsageError('--cleanup needs --pr <number> or --older-than <age>');
      const result = await cleanupPreviews({ client, environment: environment.name, stateDir, pr, olderThanMs, now: () => new Date() });
      ctx.out(options.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderCleanupText(result));
      return ExitCode.Ok;
    }
    if (pr === undefined) throw new UsageError('preview needs --pr <number> (or --github-comment on a pull_request event)');
    const { apps, selectedBy } = await selectApps(ctx, repo, environment.name, options);
    const secrets = options.secrets ?? 'none';
    const results = await runPreviews({ client, environment: environment.name, apps, pr, secrets, stateDir, secretContext: { env: ctx.env, cwd: repo.root, redactor: ctx.redactor }, concurrency });
    const report: PreviewRunResult = { environment: environment.name, pr, selected: apps.map((a) => a.name), selectedBy, results, secrets };
    ctx.out(options.format === 'json' ? `${JSON.stringify(ctx.redactor.redactDeep(report), null, 2)}\n` : renderPreviewText(report));
    if (actions !== undefined) await comment(ctx, actions, pr, environment.name, renderPreviewMarkdown(report));
    return results.some(previewFailed) ? ExitCode.Error : ExitCode.Ok;
  } finally {
    await connector.closeAll();
  }
}

async function selectApps(ctx: CliContext, repo: LoadedRepository, environment: string, options: PreviewOptions): Promise<{ apps: DesiredApp[]; selectedBy: string }> {
  const inEnv = repo.desired.filter((d) => d.environment === environment);
  if (options.app !== undefined && options.app.length > 0) {
    const unknown = options.app.filter((name) => !inEnv.some((d) => d.name === name));
    if (unknown.length > 0) throw new UsageError(`--app: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not deployed to ${environment}; apps there: ${inEnv.map((d) => d.name).join(', ')}`);
    return { apps: inEnv.filter((d) => options.app!.includes(d.name)), selectedBy: `--app ${options.app.join(' ')}` };
  }
  if (options.all === true) return { apps: inEnv, selectedBy: '--all' };
  const base = options.base ?? defaultBase(ctx.env);
  const changedFiles = await changedFilesSince(repo.root, base);
  return { apps: selectChangedApps(inEnv, { changedFiles, configFile: repo.configFile }), selectedBy: `changed since ${base}` };
}

function readActions(ctx: CliContext): ActionsContext {
  try {
    return readActionsContext({ env: ctx.env, readFile: (p) => readFileSync(p, 'utf8'), redactor: ctx.redactor, require: ['pullRequest'] });
  } catch (error) {
    if (error instanceof ActionsEnvError) throw new UsageError(`--github-comment: ${error.message}`, { cause: error });
    throw error;
  }
}

async function comment(ctx: CliContext, actions: ActionsContext, pr: number, environment: string, section: string): Promise<void> {
  const { createGitHubClient } = await import('../../github/client.js');
  const { postPreviewComment } = await import('../../github/preview-comment.js');
  const gh = createGitHubClient({ token: actions.token, baseUrl: actions.apiUrl, redactor: ctx.redactor });
  const posted = await postPreviewComment({ gh, actionsContext: actions, issueNumber: pr, environment, section: ctx.redactor.redact(section) });
  ctx.err(`preview report in the plan comment for ${environment}: ${posted.action} ${posted.url}\n`);
}
