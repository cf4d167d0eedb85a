// Demo chapter: someone edits apps in the dev Dify UI — one publishes a prompt change, one only
// saves a draft — and `reconcile` tells the two apart under dev's drift policy (warn). Then git
// wins again through apply, and a second reconcile costs one app-list page, counted by the
// simulator.

import type { CliContext } from '../cli/context.js';
import { run as runApply } from '../cli/commands/apply-run.js';
import { run as runReconcile } from '../cli/commands/reconcile-run.js';
import type { DifyClient } from '../dify/index.js';
import { DifyGitopsError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { SeededApp } from './chapters-live.js';
import { commandContext } from './command-context.js';
import type { Story } from './story.js';
import type { DemoWorkspace } from './workspace.js';

export async function chapterDrift(story: Story, ctx: CliContext, ws: DemoWorkspace, client: DifyClient, deployed: readonly SeededApp[]): Promise<void> {
  const sub = commandContext(ctx, ws);
  story.chapter('Drift: edits made in the Dify UI are detected, published or draft-only');
  const triage = appIdOf(deployed, 'ticket-triage');
  const assistant = appIdOf(deployed, 'support-assistant');
  await editPromptInUi(client, triage, 'Answer in a friendlier tone.', { publish: true });
  story.say('in the dev UI: ticket-triage gets a prompt edit and is published; support-assistant gets a draft edit, not published');
  await editPromptInUi(client, assistant, 'Sign every answer with "— the support team".', { publish: false });

  story.say('$ dify-gitops reconcile --env dev     (dev policy: drift = warn)');
  const code = await runReconcile(sub, { env: ['dev'], github: false, revision: 'd4e5f6a' });
  if (code !== ExitCode.Changes) throw new DifyGitopsError('E_DEMO', `reconcile should report drift with exit 2, got ${code}`);
  story.ok('exit 2: published drift reported (a GitHub issue per environment in Actions); the draft-only edit is told apart and left alone');

  story.say('$ dify-gitops apply --env dev --app ticket-triage     (git wins; heal policy does this by itself)');
  const applied = await runApply(sub, { env: 'dev', app: ['ticket-triage'], revision: 'd4e5f6a', message: 'Pro customers get high priority too' });
  if (applied !== ExitCode.Ok) throw new DifyGitopsError('E_DEMO', `apply should put git back, got ${applied}`);

  const sim = ws.simulators.dev!;
  const before = sim.stats().total;
  const again = await runReconcile({ ...sub, out: () => undefined }, { env: ['dev'], github: false, draftCheck: false });
  const requests = sim.stats().total - before;
  story.ok(`reconcile again: exit ${again}, ${requests} requests for ${deployed.length} apps (app-list pages + login + version; unchanged apps are not exported)`);
}

function appIdOf(deployed: readonly SeededApp[], name: string): string {
  const found = deployed.find((d) => d.desired.name === name);
  if (found === undefined) throw new DifyGitopsError('E_DEMO', `the demo expected ${name} in dev`);
  return found.appId;
}

/** What a person does in the Dify UI: append a sentence to the first LLM prompt of the draft, then maybe publish. */
async function editPromptInUi(client: DifyClient, appId: string, sentence: string, options: { publish: boolean }): Promise<void> {
  const draft = await client.drafts.get(appId);
  if (draft === null) throw new DifyGitopsError('E_DEMO', `app ${appId} has no draft`);
  const graph = structuredClone(draft.graph) as { nodes?: { data?: Record<string, unknown> }[] };
  const llm = graph.nodes?.find((n) => n.data?.type === 'llm');
  const prompts = llm?.data?.prompt_template;
  if (!Array.isArray(prompts) || prompts.length === 0) throw new DifyGitopsError('E_DEMO', `app ${appId} has no LLM prompt to edit`);
  const last = prompts[prompts.length - 1] as { text?: string };
  last.text = `${last.text ?? ''}\n${sentence}`;
  await client.drafts.sync(appId, {
    graph,
    features: draft.features ?? {},
    hash: draft.hash,
    // The UI sends secrets back masked; Dify keeps their stored values.
    environment_variables: draft.environment_variables.map((v) => (v.value_type === 'secret' ? { ...v, value: '[__HIDDEN__]' } : v)),
    conversation_variables: draft.conversation_variables,
  });
  if (options.publish) await client.versions.publish(appId);
}
