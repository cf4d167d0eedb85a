// `dify-gitops recover`: flags and help only (implementation: recover-run.ts).

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('recover')
    .summary('finish or roll back applies that a crash or kill left half done')
    .description(
      'Reads the open journals in the state directory (one per app whose apply, rollback or recovery\n' +
        'did not finish) and, per app: closes it if nothing had changed; finishes it if the new version is\n' +
        'live and passes its health checks; otherwise restores the snapshot taken before the change.\n' +
        'apply does this by itself before anything else.\n\n' +
        'Exit codes: 0 nothing to recover, or recovered; 1 error; 3 rolled back; 4 a human must look.',
    )
    .option('--env <name>', 'recover this environment only')
    .option('--app <name...>', 'recover these apps only')
    .option('--lock-wait <seconds>', 'wait this long for a lock held by a running apply', '0')
    .option('--break-stale-lock', 'break a lock whose expiry has passed (it is reported)')
    .option('--request-timeout <seconds>', 'give up on one Dify request after this long', '30')
    .option('--config <path>', 'the root config file')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .action(lazyAction(() => import('./recover-run.js').then((m) => m.run)));
}
