// `dify-gitops rollback`: flags and help only (implementation: rollback-run.ts).

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('rollback')
    .summary('make an older published version live again (health-checked, itself reversible)')
    .description(
      'Restores a published version of one app into the draft (Dify ≥ 1.13.3: the restore endpoint;\n' +
        'older: re-import of that version exported with secrets), publishes it with a marked_name that\n' +
        'says it is a rollback, and runs the app\'s health checks; if they fail, the version live before\n' +
        'is restored. --to takes `previous` (default: the version live before the last apply), a git\n' +
        'revision (matched against marked names) or a workflow version id.\n\n' +
        'Exit codes: 0 rolled back and healthy; 1 error before any change; 3 the chosen version was\n' +
        'unhealthy and the previous state was restored; 4 a human must look.',
    )
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--app <name>', 'app (manifest name)')
    .option('--to <target>', 'previous | <git rev> | <workflow id>', 'previous')
    .option('--lock-wait <seconds>', 'wait this long for a lock held by a running apply', '0')
    .option('--break-stale-lock', 'break a lock whose expiry has passed (it is reported)')
    .option('--config <path>', 'the root config file')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .action(lazyAction(() => import('./rollback-run.js').then((m) => m.run)));
}
