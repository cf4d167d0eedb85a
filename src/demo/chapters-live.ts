// Demo chapters that look at the simulated Dify directly: list and export what is live (secrets blanked by Dify), and call each app through the service API with its health-check
// inputs, so the deterministic stub model's answers are visible.

import type { DesiredApp, LoadedRepository } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import type { Story } from './story.js';

export interface SeededApp {
  desired: DesiredApp;
  appId: string;
}

/** The dev apps that apply created, matched to their manifests by the name in the DSL. */
export async function findDeployed(repo: LoadedRepository, client: DifyClient): Promise<SeededApp[]> {
  const live = await client.apps.list();
  const found: SeededApp[] = [];
  for (const desired of repo.desired.filter((d) => d.environment === 'dev')) {
    const app = live.find((a) => a.name === desired.source.dsl.dsl.app?.name);
    if (app) found.push({ desired, appId: app.id });
  }
  return found;
}

export async function chapterListAndExport(story: Story, client: DifyClient, seeded: readonly SeededApp[]): Promise<void> {
  story.chapter('List and export what is live');
  const apps = await client.apps.list();
  for (const app of apps) story.say(`${app.name.padEnd(24)} ${String(app.mode).padEnd(14)} published: ${app.workflow?.id.slice(0, 8) ?? '—'}`);
  const triage = seeded.find((s) => s.desired.source.mode === 'workflow');
  if (!triage) return;
  const exported = await client.dsl.export(triage.appId, {});
  const secretLine = exported.split('\n').findIndex((line) => line.includes('value_type: secret'));
  story.say(`export of ${triage.desired.name} without include_secret: Dify blanks secret values, so git never sees them:`);
  const lines = exported.split('\n');
  story.show(lines.slice(Math.max(0, secretLine - 7), secretLine + 1).join('\n'));
}

export async function chapterCallApps(story: Story, repo: LoadedRepository, client: DifyClient, seeded: readonly SeededApp[]): Promise<void> {
  story.chapter('Call the apps through the service API');
  void repo;
  for (const { desired, appId } of seeded) {
    const check = desired.healthChecks[0];
    if (!check) continue;
    const key = await client.apiKeys.create(appId);
    const service = client.service(key.token);
    const started = Date.now();
    const mode = desired.source.mode;
    let answer: string;
    let tokens: number | undefined;
    if (mode === 'workflow') {
      const run = await service.runWorkflow({ user: 'demo', inputs: check.inputs });
      answer = JSON.stringify(run.data.outputs);
      tokens = run.data.total_tokens;
    } else if (mode === 'completion') {
      const reply = await service.completion({ user: 'demo', inputs: check.inputs, query: check.query ?? '' });
      answer = reply.answer;
      tokens = usageTokens(reply.metadata);
    } else {
      const reply = await service.chat({ user: 'demo', inputs: check.inputs, query: check.query ?? 'Hello' });
      answer = reply.answer;
      tokens = usageTokens(reply.metadata);
    }
    story.say(`${desired.name} (${mode}, ${Date.now() - started} ms, ${tokens ?? '?'} tokens):`);
    story.show(truncate(answer, 300));
  }
}

function usageTokens(metadata: Record<string, unknown> | undefined): number | undefined {
  const usage = metadata?.usage;
  if (usage === null || typeof usage !== 'object') return undefined;
  const total = (usage as Record<string, unknown>).total_tokens;
  return typeof total === 'number' ? total : undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
