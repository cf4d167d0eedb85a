// `dify-gitops validate`: flags and help only. The implementation (validate-run.ts) is imported
// when the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('validate')
    .summary('check the repository (config, manifests, DSL, output schemas) without contacting Dify')
    .description(
      'Loads dify-gitops.yaml, every app manifest, DSL file and output schema, checks them against the ' +
        'JSON Schemas and each other, lints the DSL, and prints every problem as ' +
        '`file:line:col: severity code message`, then a summary line.\n\n' +
        'With DSL paths (files, or directories holding *.dsl.yml files), only those DSL files are parsed ' +
        'and linted; no config is needed.\n\n' +
        'Exit codes: 0 no errors (warnings allowed); 1 errors found, or the config could not be found.',
    )
    .argument('[paths...]', 'DSL files or directories to lint instead of the whole repository')
    .option('--env <name>', 'run per-environment checks (secret bindings, dataset mappings) for this environment only')
    .option('--config <path>', 'the root config file (default: $DIFY_GITOPS_CONFIG, else dify-gitops.yaml in this or a parent directory)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops validate\n' +
        '  dify-gitops validate --env prod --format json\n' +
        '  dify-gitops validate workflows/ticket-triage/ticket-triage.dsl.yml',
    )
    .action(lazyAction(() => import('./validate-run.js').then((m) => m.run)));
}
