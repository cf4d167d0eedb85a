// Demo chapters that deploy: plan and apply dev from git, then a good change and a bad one. They
// run the real command implementations (what a user types) against the demo workspace, with their
// output indented under the chapter heading.

import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../cli/context.js';
import { run as runApply } from '../cli/commands/apply-run.js';
import { run as runHistory } from '../cli/commands/history-run.js';
import { run as runPlan } from '../cli/commands/plan-run.js';
import { loadRepository } from '../config/index.js';
import { DifyGitopsError } from '../errors.js';
import { desiredDocuments } from '../github/plan-reporting.js';
import { renderPlanCommentBody } from '../github/render-plan-comment.js';
import { parsePlanFile } from '../plan/plan-file.js';
import { ExitCode } from '../exit-codes.js';
import type { Story } from './story.js';
import type { DemoWorkspace } from './workspace.js';

const TRIAGE_DSL = 'workflows/ticket-triage/ticket-triage.dsl.yml';

export async function chapterPlanAndApply(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = indented(ctx, ws);
  story.chapter('Plan dev against git: every app is new there');
  expectCode(await runPlan(sub, { env: 'dev', revision: 'a1b2c3d', message: 'Initial import' }), [ExitCode.Ok, ExitCode.Changes], 'plan');

  story.chapter('Apply dev: snapshot, import, publish, health checks');
  expectCode(await runApply(sub, { env: 'dev', revision: 'a1b2c3d', message: 'Initial import' }), [ExitCode.Ok], 'apply');
}

export async function chapterGoodChange(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = indented(ctx, ws);
  story.chapter('A reviewed change: apply shows its plan node by node, then ships it');
  await editTriage(ws, (text) => text.replace('Enterprise customers get\n            at least high.', 'Enterprise and pro customers\n            get at least high.'));
  story.say(`edited ${TRIAGE_DSL}: one sentence of the classify prompt`);
  const comment = await writePullRequestComment(sub, ws);
  story.ok(`the pull-request comment \`plan --github-comment\` would post (summary table, Mermaid graph, diff): ${comment}`);
  expectCode(await runApply(sub, { env: 'dev', revision: 'd4e5f6a', message: 'Pro customers get high priority too' }), [ExitCode.Ok], 'apply');
}

export async function chapterBadChange(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = indented(ctx, ws);
  story.chapter('A bad change: it breaks the output schema, fails its health check and is rolled back');
  await editTriage(ws, (text) => text.replace('"priority": "high"', '"priority": "sky-high"'));
  story.say(`edited ${TRIAGE_DSL}: the model now answers priority "sky-high", which schemas/outputs/ticket-triage.schema.yaml forbids`);
  const code = await runApply(sub, { env: 'dev', revision: 'bad0bad', message: 'Experiment with priorities' });
  expectCode(code, [ExitCode.RolledBack], 'apply of the bad change');
  story.ok('exit code 3: the deploy failed its health checks and the previous version is live again');

  story.chapter('History: Dify versions with their git revisions, and the journal');
  expectCode(await runHistory(sub, { env: 'dev', app: 'ticket-triage' }), [ExitCode.Ok], 'history');
}

/** Plans dev to a plan file, then renders the sticky PR comment for it, as `plan --github-comment` would post it. */
async function writePullRequestComment(sub: CliContext, ws: DemoWorkspace): Promise<string> {
  const planPath = join(ws.root, 'plan-dev.json');
  const quiet: CliContext = { ...sub, out: () => undefined };
  expectCode(await runPlan(quiet, { env: 'dev', out: planPath, revision: 'd4e5f6a', message: 'Pro customers get high priority too' }), [ExitCode.Ok, ExitCode.Changes], 'plan');
  const plan = parsePlanFile(await readFile(planPath, 'utf8'), planPath);
  const repo = await loadRepository({ cwd: ws.root, env: ws.env, redactor: sub.redactor });
  const body = renderPlanCommentBody({ plan, environment: 'dev', desired: desiredDocuments(repo.desired, 'dev'), diagnostics: repo.diagnostics });
  // Outside the temporary workspace, so it survives the demo for the reader to open.
  const path = join(tmpdir(), 'dify-gitops-demo-pr-comment.md');
  await writeFile(path, sub.redactor.redact(body));
  return path;
}

async function editTriage(ws: DemoWorkspace, edit: (text: string) => string): Promise<void> {
  const path = join(ws.root, TRIAGE_DSL);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new DifyGitopsError('E_DEMO', `the demo edit to ${TRIAGE_DSL} did not apply; the example app changed`);
  await writeFile(path, after);
}

function expectCode(code: ExitCode, expected: readonly ExitCode[], what: string): void {
  if (!expected.includes(code)) throw new DifyGitopsError('E_DEMO', `${what} exited ${code}; the demo expected ${expected.join(' or ')}`);
}

/** The same context, rooted in the demo workspace, with output indented under the chapter. */
function indented(ctx: CliContext, ws: DemoWorkspace): CliContext {
  const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ');
  return { ...ctx, isTTY: false, cwd: ws.root, env: ws.env, out: (text) => ctx.out(indent(text)), err: (text) => ctx.err(indent(text)) };
}
