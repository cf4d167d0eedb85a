// `dify-gitops fmt`: flags and help only. The implementation (fmt-run.ts) is imported when the
// command runs.

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('fmt')
    .summary('rewrite DSL files in canonical form (sorted keys, like a Dify export)')
    .description(
      'Formats Dify DSL files: keys sorted at every level (the order Dify\n' +
        'exports) and dependencies sorted. Strings and comments are kept exactly,\n' +
        'so a Dify export stays as it is. Formatting never changes what a file\n' +
        'means, and formatting twice changes nothing.\n\n' +
        'Without paths, formats every DSL file under workflows/ (YAML with `app`,\n' +
        '`workflow` or `model_config`, and `kind` or `version`; other YAML such as\n' +
        'app manifests is skipped).\n\n' +
        'Exit codes: 0 done, or nothing to change with --check; 1 a file would\n' +
        'change (--check), or a file could not be read or parsed.',
    )
    .argument('[paths...]', 'DSL files or directories (default: workflows/)')
    .option('--check', 'do not write; list the files that would change and exit 1 if any')
    .addHelpText('after', '\nExamples:\n  dify-gitops fmt\n  dify-gitops fmt --check\n  dify-gitops fmt workflows/ticket-triage/ticket-triage.dsl.yml')
    .action(lazyAction(() => import('./fmt-run.js').then((m) => m.run)));
}
