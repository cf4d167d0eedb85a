// `dify-gitops fmt`: flags and help only. The implementation (fmt-run.ts) is imported when the
// command runs.

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('fmt')
    .summary('rewrite DSL files in canonical form (sorted keys, like a Dify export)')
    .description(
      'Formats Dify DSL files: keys sorted at every level (the order Dify exports), dependencies\n' +
        'sorted, block style, two-space indent. Comments and the style of each string are kept.\n' +
        'Formatting never changes what a file means, and formatting twice changes nothing.\n\n' +
        'Without paths, formats every DSL file under workflows/ (YAML files with `app`, `workflow` or\n' +
        '`model_config`, and `kind` or `version`; other YAML such as app manifests is skipped).\n\n' +
        'Exit codes: 0 done (or, with --check, nothing to change); 1 a file would change (--check)\n' +
        'or could not be read or parsed.',
    )
    .argument('[paths...]', 'DSL files or directories (default: workflows/)')
    .option('--check', 'do not write; list the files that would change and exit 1 if any')
    .addHelpText('after', '\nExamples:\n  dify-gitops fmt\n  dify-gitops fmt --check\n  dify-gitops fmt workflows/ticket-triage/ticket-triage.dsl.yml')
    .action(lazyAction(() => import('./fmt-run.js').then((m) => m.run)));
}
