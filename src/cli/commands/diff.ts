// `dify-gitops diff`: flags and help only. The implementation (diff-run.ts) is imported when the
// command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('diff')
    .summary('semantic diff of two DSL files (nodes, edges, prompts, models, variables)')
    .description(
      'Compares two Dify DSL files after normalisation: editor-only fields (positions, sizes,\n' +
        'selection), export artefacts (dependency order, blanked trigger fields, tool credential ids)\n' +
        'and key order are ignored, so only changes that affect the app are shown. Secret values are\n' +
        'never printed.\n\n' +
        'Each side is a file path, or git:<rev>:<path> to read the file at a git revision\n' +
        '(path relative to the current directory), e.g. git:HEAD~1:workflows/a/a.dsl.yml.\n\n' +
        'Exit codes: 0 no differences; 2 differences; 1 error (unreadable or invalid file).',
    )
    .argument('<old>', 'the old DSL: a file or git:<rev>:<path>')
    .argument('<new>', 'the new DSL: a file or git:<rev>:<path>')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--ignore <pattern...>', 'extra ignore rules: JSON-pointer patterns with * and ** (see docs/dsl.md)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops diff exported.yml workflows/a/a.dsl.yml\n' +
        '  dify-gitops diff git:main:workflows/a/a.dsl.yml workflows/a/a.dsl.yml --format markdown\n' +
        "  dify-gitops diff old.yml new.yml --ignore '/workflow/graph/nodes/*/data/retry_config'",
    )
    .action(lazyAction(() => import('./diff-run.js').then((m) => m.run)));
}
