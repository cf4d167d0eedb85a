// `dify-gitops preview`: flags and help only. The implementation (preview-run.ts) is imported
// when the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('preview')
    .summary('pull-request preview apps in a dev environment: build, publish, health-check; clean up')
    .description(
      'For each app a pull request changes (git diff --name-only <base>...HEAD: its manifest directory,\n' +
        'an output schema its checks use, or the root config), create or update a preview copy in a dev\n' +
        'environment (dev: true) named "<app> [pr-<n>]" and tagged dify-gitops-preview and pr-<n>; import\n' +
        "the PR's DSL, publish it and run the app's health checks. With --github-comment the results go\n" +
        "into the pull request's plan comment for that environment (one sticky comment).\n" +
        'Previews get no secrets (secret variables are empty) unless --secrets bind, which uses the\n' +
        "environment's own bindings from the app manifests.\n\n" +
        '--cleanup deletes previews: those of --pr <n> (a closed pull request), or those older than\n' +
        '--older-than <age> (a scheduled clean-up).\n\n' +
        'Exit codes: 0 every preview built and healthy (or cleaned up); 1 a preview failed or an error.',
    )
    .requiredOption('--env <name>', 'the dev environment the previews live in')
    .option('--pr <number>', 'the pull request (default: the one the GitHub Actions event names, with --github-comment)')
    .option('--base <ref>', 'compare with this git ref (default: origin/$GITHUB_BASE_REF, else origin/main)')
    .option('--all', 'preview every app, not only the changed ones')
    .option('--app <name...>', 'preview these apps only (no git diff)')
    .addOption(new Option('--secrets <mode>', 'secrets for previews: none (empty) or bind (the environment bindings)').choices(['none', 'bind']).default('none'))
    .option('--github-comment', "in GitHub Actions: put the results into the pull request's plan comment")
    .option('--cleanup', 'delete preview apps (with --pr or --older-than) instead of building them')
    .option('--older-than <age>', 'with --cleanup: previews created longer ago than this (e.g. 7d, 12h)')
    .option('--concurrency <n>', 'previews built at once', '4')
    .option('--request-timeout <seconds>', 'give up on one Dify request after this long', '30')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .addHelpText('after', '\nExamples:\n  dify-gitops preview --env dev --pr 12 --base origin/main\n  dify-gitops preview --env dev --cleanup --pr 12\n  dify-gitops preview --env dev --cleanup --older-than 7d')
    .action(lazyAction(() => import('./preview-run.js').then((m) => m.run)));
}
