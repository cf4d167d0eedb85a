// `dify-gitops apply`: flags and help only. The implementation (apply-run.ts) is imported when
// the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('apply')
    .summary('deploy git to Dify: snapshot, import, publish, health-check, roll back on failure')
    .description(
      'For each app with changes, each step journaled before it runs: lock (environment, app); snapshot\n' +
        'the live version with secrets (0600, in the git-ignored state directory); render the DSL for the\n' +
        'environment (overrides, dataset and tool mapping, secrets); import (confirm a pending import only\n' +
        'when policies.allowPendingImport); for workflow and advanced-chat apps run the health checks on the\n' +
        'imported draft first (the draft gate: failing, the draft is put back and nothing is published);\n' +
        'publish with marked_name = the git revision; run the health checks on the new version; on failure\n' +
        'restore the previous version and check it again.\n' +
        'An earlier run left half done (crash, kill -9) is finished or rolled back first.\n\n' +
        'Exit codes: 0 applied and healthy (or nothing to do); 1 error before any change; 3 a deploy failed\n' +
        'its health checks: stopped at the draft gate (nothing published) or rolled back (live restored and healthy); 4 rollback failed or the state\n' +
        'is unknown: a human must look (what is live is printed).',
    )
    .option('--env <name>', 'apply this environment only')
    .option('--app <name...>', 'apply these apps only')
    .option('--plan <file>', 'apply exactly this saved plan; refuse if git or Dify changed since it was made')
    .option('--dry-run', 'print the plan and stop')
    .option('--concurrency <n>', 'apps applied at once', '4')
    .option('--lock-wait <seconds>', 'wait this long for another apply to release an app, then fail', '0')
    .option('--no-draft-gate', 'publish without first running the health checks on the imported draft (the checks after publish still run)')
    .option('--break-stale-lock', 'break a lock whose expiry has passed (it is reported)')
    .option('--request-timeout <seconds>', 'give up on one Dify request after this long (runs of health checks have their own timeout)', '30')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .option('--revision <rev>', 'marked_name of the published version (default: git rev-parse --short HEAD)')
    .option('--message <text>', 'marked_comment of the published version (default: the commit subject)')
    .option('--github-deployment', 'in GitHub Actions: record a GitHub deployment per environment (in progress, then success, failure or rolled back), linked to the run')
    .addHelpText('after', '\nExamples:\n  dify-gitops apply --env staging\n  dify-gitops plan --out plan.json && dify-gitops apply --plan plan.json')
    .action(lazyAction(() => import('./apply-run.js').then((m) => m.run)));
}
