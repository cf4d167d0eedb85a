// `dify-gitops reconcile`: flags and help only. The implementation (reconcile-run.ts) is
// imported when the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('reconcile')
    .summary('compare git with every live app and act by each app\'s drift policy (warn, heal, adopt), prune, suspend')
    .description(
      'Compares each app in git with what is live and acts by its policies.drift: warn reports it (and keeps\n' +
        'one GitHub issue per environment current); heal re-applies git through apply (health checks and\n' +
        'rollback; one attempt per git revision, backoff between attempts); adopt opens or updates a pull\n' +
        'request that writes the live app into git. UI drafts with unpublished edits are reported as\n' +
        'draft-only drift and never overwritten. Apps unchanged since the last reconcile (app list and git)\n' +
        'are not read again. Managed apps removed from git are deleted when policies.prune is on (after a\n' +
        'snapshot; never when git wants no apps at all). See docs/reconcile.md.\n\n' +
        'Exit codes: 0 in sync (or all drift healed; draft-only drift is reported, not failed); 2 drift remains\n' +
        '(warn, adopt, prune off); 3 a heal was rolled back; 1 error; 4 a human must act (a failed revision is\n' +
        'not retried, a rollback failed, the prune guard refused).',
    )
    .option('--env <name...>', 'reconcile these environments only')
    .option('--app <name...>', 'reconcile these apps only (prune then considers only these names)')
    .option('--shard <i/n>', 'reconcile shard i of n (1 ≤ i ≤ n): a stable subset by hash of environment and app')
    .option('--retry-failed', 'retry heals of git revisions that failed before (and skip the backoff)')
    .option('--no-draft-check', 'do not read unchanged workflow apps\' drafts (saves one request per app; draft-only drift is then seen only when the app list changes)')
    .option('--concurrency <n>', 'apps compared at once per environment', '8')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--github', 'report to GitHub (drift issue, adopt pull requests); fails without GITHUB_TOKEN and GITHUB_REPOSITORY. Default: on when both are set')
    .option('--no-github', 'do not report to GitHub even when GITHUB_TOKEN and GITHUB_REPOSITORY are set')
    .option('--base <branch>', 'base branch of adopt pull requests (default: the repository\'s default branch)')
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .option('--revision <rev>', 'the git revision (marked_name of a heal\'s publish; default: git rev-parse --short HEAD)')
    .addHelpText('after', '\nExamples:\n  dify-gitops reconcile --env prod\n  dify-gitops reconcile --shard 2/4 --format json')
    .action(lazyAction(() => import('./reconcile-run.js').then((m) => m.run)));
}
