// `dify-gitops history`: flags and help only (implementation: history-run.ts).

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('history')
    .summary("an app's published versions in Dify (with marked names) and dify-gitops' journal")
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--app <name>', 'app (manifest name)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .action(lazyAction(() => import('./history-run.js').then((m) => m.run)));
}
