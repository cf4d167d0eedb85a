// Demo chapters that deploy: plan and apply dev from git, then a good change and two bad ones:
// one stopped at the draft gate (a workflow app: checks fail on the imported draft, nothing is
// published) and one that only the checks after going live can catch (a completion app, whose
// model config is live at once and has no draft), rolled back. They run the real command
// implementations (what a user types) against the demo workspace, output indented under the
// chapter heading; the live facts they print are read back through the Dify client.

import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnector } from '../apply/connect.js';
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
import { commandContext } from './command-context.js';
import type { Story } from './story.js';
import type { DemoWorkspace } from './workspace.js';

const TRIAGE_DSL = 'workflows/ticket-triage/ticket-triage.dsl.yml';
const NOTES_DSL = 'workflows/release-notes-writer/release-notes-writer.dsl.yml';

export async function chapterPlanAndApply(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = commandContext(ctx, ws);
  story.chapter('Plan dev against git: every app is new there');
  expectCode(await runPlan(sub, { env: 'dev', revision: 'a1b2c3d', message: 'Initial import' }), [ExitCode.Ok, ExitCode.Changes], 'plan');

  story.chapter('Apply dev: snapshot, import, checks on the draft, publish, checks on the live version');
  expectCode(await runApply(sub, { env: 'dev', revision: 'a1b2c3d', message: 'Initial import' }), [ExitCode.Ok], 'apply');
}

export async function chapterGoodChange(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = commandContext(ctx, ws);
  story.chapter('A reviewed change: apply shows its plan node by node, then ships it');
  await editTriage(ws, (text) => text.replace('Enterprise customers get\n            at least high.', 'Enterprise and pro customers\n            get at least high.'));
  story.say(`edited ${TRIAGE_DSL}: one sentence of the classify prompt`);
  const comment = await writePullRequestComment(sub, ws);
  story.ok(`the pull-request comment \`plan --github-comment\` would post (summary table, Mermaid graph, diff): ${comment}`);
  expectCode(await runApply(sub, { env: 'dev', revision: 'd4e5f6a', message: 'Pro customers get high priority too' }), [ExitCode.Ok], 'apply');
}

/** Both bad-change stories, then the history (the story order `npm start` had before). */
export async function chapterBadChange(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  await chapterBadChangeDraftGate(story, ctx, ws);
  await chapterBadChangeRolledBack(story, ctx, ws);
  await chapterHistory(story, ctx, ws);
}

/** (a) A workflow app: the checks fail on the imported draft, so it is never published. */
export async function chapterBadChangeDraftGate(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = commandContext(ctx, ws);
  story.chapter('A bad change stopped at the draft gate: its checks fail on the draft, nothing goes live');
  await editFile(ws, TRIAGE_DSL, (text) => text.replace('"priority": "high"', '"priority": "sky-high"'));
  story.say(`edited ${TRIAGE_DSL}: the model now answers priority "sky-high", which schemas/outputs/ticket-triage.schema.yaml forbids`);
  const before = await readLive(ctx, ws, 'ticket-triage');
  const code = await runApply(sub, { env: 'dev', revision: 'bad0bad', message: 'Experiment with priorities' });
  expectCode(code, [ExitCode.RolledBack], 'apply of the bad workflow change');
  const after = await readLive(ctx, ws, 'ticket-triage');
  if (after.published !== before.published || after.draftHash !== before.draftHash) {
    throw new DifyGitopsError('E_DEMO', `the draft gate let something through: published ${before.published} → ${after.published}, draft ${before.draftHash} → ${after.draftHash}`);
  }
  story.ok(`exit code 3, nothing live touched: published version ${after.published} before and after; the draft is back (hash ${after.draftHash.slice(0, 12)}…)`);
  await editFile(ws, TRIAGE_DSL, (text) => text.replace('"priority": "sky-high"', '"priority": "high"'));
  story.say('the author reverts the edit in git');
}

/** (b) A completion app: its model config is live the moment it is saved, so only the checks after that can catch it. */
export async function chapterBadChangeRolledBack(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  const sub = commandContext(ctx, ws);
  story.chapter('A bad change only the live checks can catch: a completion app has no draft, so it is rolled back');
  await editFile(ws, NOTES_DSL, (text) => text.replace('RESPOND: ## {{product}} {{version}}', 'RESPOND: Release {{version}} of {{product}}'));
  story.say(`edited ${NOTES_DSL}: the heading loses its "## ", which the writes-a-heading check requires`);
  story.say('completion apps have no draft to run: the new model config is live at once, then checked');
  const code = await runApply(sub, { env: 'dev', app: ['release-notes-writer'], revision: 'bad1bad', message: 'Friendlier heading' });
  expectCode(code, [ExitCode.RolledBack], 'apply of the bad completion change');
  const after = await readLive(ctx, ws, 'release-notes-writer');
  if (!after.prompt.includes('RESPOND: ## {{product}} {{version}}')) throw new DifyGitopsError('E_DEMO', 'the completion app was not rolled back to its previous prompt');
  story.ok('exit code 3: it failed its check after going live, and the previous model config is live again');
  await editFile(ws, NOTES_DSL, (text) => text.replace('RESPOND: Release {{version}} of {{product}}', 'RESPOND: ## {{product}} {{version}}'));
  story.say('the author reverts the edit in git');
}

export async function chapterHistory(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  story.chapter('History: Dify versions with their git revisions, and the journal');
  expectCode(await runHistory(commandContext(ctx, ws), { env: 'dev', app: 'ticket-triage' }), [ExitCode.Ok], 'history');
}

/** What is live in dev for one app, read through the Dify client. */
async function readLive(ctx: CliContext, ws: DemoWorkspace, name: string): Promise<{ published: string; draftHash: string; prompt: string }> {
  const repo = await loadRepository({ cwd: ws.root, env: ws.env, redactor: ctx.redactor });
  const desired = repo.desired.find((d) => d.environment === 'dev' && d.name === name);
  const dev = repo.environments.find((e) => e.name === 'dev');
  if (!desired || !dev) throw new DifyGitopsError('E_DEMO', `the example repository has no dev/${name}`);
  const connector = createConnector({ redactor: ctx.redactor, env: ws.env, cwd: ws.root });
  try {
    const client = await connector.connect(dev);
    const summary = (await client.apps.list()).find((a) => a.name === desired.source.dsl.dsl.app?.name);
    if (!summary) throw new DifyGitopsError('E_DEMO', `${name} is not deployed in dev`);
    const app = await client.apps.get(summary.id);
    const draft = desired.source.mode === 'workflow' ? await client.drafts.get(summary.id) : null;
    const prompt = (app.model_config as { pre_prompt?: unknown } | null)?.pre_prompt;
    return { published: app.workflow?.id ?? 'none', draftHash: draft?.hash ?? '', prompt: typeof prompt === 'string' ? prompt : '' };
  } finally {
    await connector.closeAll();
  }
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
  await editFile(ws, TRIAGE_DSL, edit);
}

async function editFile(ws: DemoWorkspace, file: string, edit: (text: string) => string): Promise<void> {
  const path = join(ws.root, file);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new DifyGitopsError('E_DEMO', `the demo edit to ${file} did not apply; the example app changed`);
  await writeFile(path, after);
}

function expectCode(code: ExitCode, expected: readonly ExitCode[], what: string): void {
  if (!expected.includes(code)) throw new DifyGitopsError('E_DEMO', `${what} exited ${code}; the demo expected ${expected.join(' or ')}`);
}
