// `dify-gitops demo` (what `npm start` runs): the whole story on built-in simulators.
import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('demo')
    .description('tell the whole story on built-in Dify simulators (what `npm start` runs); changes nothing on disk')
    .action(lazyAction(async () => (await import('../../demo/run-demo.js')).run));
}
