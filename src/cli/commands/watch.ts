// `dify-gitops watch`: flags and help only. The implementation (watch-run.ts) is imported when
// the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('watch')
    .summary('re-validate and re-plan on every save; with --apply, deploy to a dev environment automatically')
    .description(
      'Watches workflows/, schemas/ and the config file. After each burst of changes (debounced; editors\'\n' +
        'atomic saves and renames count once) it re-validates the repository and prints the plan, exactly as\n' +
        '`plan` does. With --apply it runs `apply` instead, only for environments marked `dev: true` in the\n' +
        'config: --apply with a non-dev environment is refused. Stops on Ctrl-C. See docs/watch.md.\n\n' +
        'Exit codes: 0 stopped by SIGINT/SIGTERM; 1 bad flags or --apply for a non-dev environment.',
    )
    .option('--env <name>', 'plan (or apply) this environment only')
    .option('--app <name...>', 'these apps only')
    .option('--apply', 'apply each change automatically (dev environments only)')
    .addOption(new Option('--format <format>', 'plan output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--debounce <ms>', 'quiet time after the last change before re-planning', '300')
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .addHelpText('after', '\nExamples:\n  dify-gitops watch --env dev\n  dify-gitops watch --env dev --apply')
    .action(lazyAction(() => import('./watch-run.js').then((m) => m.run)));
}
