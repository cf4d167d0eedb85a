// Demo chapter: one question to every deployed dev app at once, through the same `broadcast()`
// the CLI and the library expose, with each answer checked after repair where a schema applies.

import type { CliContext } from '../cli/context.js';
import { broadcast, renderBroadcastText } from '../broadcast/index.js';
import type { Story } from './story.js';
import type { DemoWorkspace } from './workspace.js';

export async function chapterBroadcast(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<void> {
  story.chapter('Broadcast one request to every app in parallel');
  story.say('dify-gitops broadcast --env dev --all --query "…" --inputs {"ticket": "…"}');
  const report = await broadcast({
    cwd: ws.root,
    env: ws.env,
    redactor: ctx.redactor,
    environment: 'dev',
    select: { kind: 'all' },
    request: {
      query: 'My March invoice was charged twice. What should I do?',
      inputs: {
        ticket: 'My March invoice was charged twice. What should I do?',
        product: 'Acme Widgets',
        version: '2.4.1',
        changes: 'Fix double charges on invoices',
      },
    },
  });
  story.show(renderBroadcastText(report));
  const ok = report.results.filter((r) => r.status === 'ok').length;
  story.ok(`${ok} of ${report.results.length} apps answered; one app's failure never stops the others`);
}
