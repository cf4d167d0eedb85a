// `dify-gitops plan`: flags and help only. The implementation (plan-run.ts) is imported when the
// command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('plan')
    .summary('show what apply would change in each Dify environment')
    .description(
      'Reads the live state of every selected app (published version, draft, app detail) and prints,\n' +
        'per environment and app, one action: create, update (import + publish), update-model-config\n' +
        '(chat, agent-chat, completion: live at once), replace-required (the mode changed), no-op, or\n' +
        'draft-only-drift (the UI draft differs but the published version matches git), with the\n' +
        'semantic diff, the import outcome to expect, the secrets that will be set (names only) and\n' +
        'preflight findings.\n\n' +
        'Exit codes: 0 success (with --detailed-exitcode: no changes); 2 changes present (only with\n' +
        '--detailed-exitcode); 1 error, or an entry that apply would refuse (blocked).',
    )
    .option('--env <name>', 'plan this environment only')
    .option('--app <name...>', 'plan these apps only')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--out <file>', 'also write the plan file (digests of desired and live state) for `apply --plan`')
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none')
    .option('--concurrency <n>', 'apps observed at once per environment', '8')
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .option('--revision <rev>', 'git revision to show (default: git rev-parse --short HEAD)')
    .option('--message <text>', 'commit subject or PR title to show (default: git log -1)')
    .option('--github-comment', 'in GitHub Actions on a pull request: post the plan as one sticky comment per environment, annotate lint findings, write the job summary')
    .addHelpText('after', '\nExamples:\n  dify-gitops plan --env staging\n  dify-gitops plan --format markdown --out plan.json --detailed-exitcode')
    .action(lazyAction(() => import('./plan-run.js').then((m) => m.run)));
}
