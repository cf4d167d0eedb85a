// `npm start`: the whole story of dify-gitops on built-in simulators, in under a minute. It works
// on a temporary copy of this repository's example apps, so it never changes the checkout.

import { join } from 'node:path';
import type { CliContext } from '../cli/context.js';
import { packageRoot } from '../cli/package-info.js';
import { createConnector } from '../apply/connect.js';
import { loadRepository } from '../config/index.js';
import type { LoadedRepository } from '../config/types.js';
import { formatDiagnostic } from '../diagnostics.js';
import { demoKeyRotation } from '../rotation/index.js';
import { DifyGitopsError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { chapterBadChange, chapterGoodChange, chapterPlanAndApply } from './chapters-deploy.js';
import { chapterBroadcast } from './chapter-broadcast.js';
import { chapterDrift } from './chapter-drift.js';
import { chapterCallApps, chapterListAndExport, findDeployed } from './chapters-live.js';
import { createStory, type Story } from './story.js';
import { createDemoWorkspace, fillSecretEnv, type DemoWorkspace } from './workspace.js';

export async function run(ctx: CliContext): Promise<ExitCode> {
  const story = createStory(ctx);
  ctx.out('dify-gitops: your Dify apps as code. A tour on built-in Dify simulators.\n');

  story.chapter('Start three Dify environments (built-in simulator)');
  const ws = await createDemoWorkspace(packageRoot(), ctx.redactor);
  const connector = createConnector({ redactor: ctx.redactor, env: ws.env, cwd: ws.root });
  try {
    for (const [name, sim] of Object.entries(ws.simulators)) story.say(`${name.padEnd(8)} Dify ${sim.profile.name} at ${sim.url}`);
    story.say(`working copy of the example repository: ${ws.root}`);

    const repo = await chapterValidate(story, ctx, ws);
    const dev = repo.environments.find((e) => e.name === 'dev');
    if (!dev) throw new DifyGitopsError('E_DEMO', 'the example repository has no dev environment');

    story.chapter('Log in to dev through the Dify client');
    const client = await connector.connect(dev);
    const info = await client.serverInfo();
    await client.login();
    story.ok(`Dify ${info.version.raw}: logged in (${info.authMode})`);

    await chapterPlanAndApply(story, ctx, ws);
    const deployed = await findDeployed(repo, client);
    await chapterListAndExport(story, client, deployed);
    await chapterCallApps(story, repo, client, deployed);
    await chapterGoodChange(story, ctx, ws);
    await chapterBadChange(story, ctx, ws);
    await chapterDrift(story, ctx, ws, client, deployed);

    story.chapter('Rotate an app API key with zero downtime');
    await demoKeyRotation({
      repo,
      environment: 'dev',
      app: 'ticket-triage',
      connect: connector.connect,
      redactor: ctx.redactor,
      env: ws.env,
      stateDir: join(ws.root, '.dify-gitops'),
      say: (line) => story.say(line),
      ok: (line) => story.ok(line),
    });

    await chapterBroadcast(story, ctx, ws);

    story.chapter('Where to go next');
    story.show(
      [
        'dify-gitops validate                 lint the repository (file:line:col diagnostics)',
        'dify-gitops plan --env prod          what would change, node by node (--out for a saved plan)',
        'dify-gitops apply --env prod         deploy with health checks and automatic rollback',
        'dify-gitops reconcile --env prod     drift: warn, heal or adopt, by policy (cheap when nothing changed)',
        'dify-gitops serve --webhook-secret-env GITHUB_WEBHOOK_SECRET   the controller: schedules, webhooks, /metrics',
        'dify-gitops watch --env dev --apply  re-plan (and apply to dev) on every save',
        'dify-gitops preview --env dev --pr 12   preview apps for a pull request, results in its comment',
        'dify-gitops rotate                   rotate what is due: app keys, secret env vars, provider keys',
        'dify-gitops broadcast --env dev --all --query "…"   one request to many apps in parallel',
        'dify-gitops diff old.yml new.yml     a node-level semantic diff of two DSL files',
        'dify-gitops fmt --check              canonical DSL formatting',
        'dify-gitops simulator --port 5001    a local Dify API to try everything against',
        'docs/tutorial.md                     from an empty repository to a deploy on your own Dify',
        'README.md                            configuration, every command, GitHub Actions',
      ].join('\n'),
    );
    story.end();
    return ExitCode.Ok;
  } finally {
    await connector.closeAll();
    await ws.close();
  }
}

async function chapterValidate(story: Story, ctx: CliContext, ws: DemoWorkspace): Promise<LoadedRepository> {
  story.chapter('Validate the repository');
  const repo = await loadRepository({ cwd: ws.root, env: ws.env, redactor: ctx.redactor });
  for (const d of repo.diagnostics) story.say(formatDiagnostic(d));
  if (!repo.valid) throw new DifyGitopsError('E_DEMO', 'the example repository does not validate');
  story.ok(`${repo.apps.length} apps × ${repo.environments.length} environments: config, manifests, DSL and output schemas are valid`);
  for (const app of repo.apps) story.say(`${app.name.padEnd(22)} ${app.mode.padEnd(14)} ${app.dslFile}`);
  const filled = fillSecretEnv(repo, ws.env, ctx.redactor);
  if (filled.length > 0) story.say(`secrets for this run generated into ${filled.length} environment variables (${filled.join(', ')}); they print as ***`);
  else story.say('every secret comes from your environment variables; they print as ***');
  return repo;
}
