// `dify-gitops simulator`: flags and help only. The implementation (simulator-run.ts) is
// imported when the command runs.

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('simulator')
    .summary('run a local Dify API simulator (console + service API) for tests and demos')
    .description(
      'Serves a simulated Dify on 127.0.0.1: the console API (login, apps, DSL import/export,\n' +
        'draft, publish, versions) and the service API, behaving like the chosen Dify release.\n' +
        'Prints one line with its URL and serves until SIGINT or SIGTERM.\n\n' +
        'Profiles: 1.0.0, 1.9.1, 1.12.1, 1.14.1 (default). See docs/simulator.md for what differs.\n' +
        'The owner account is created from --email/--password (the setup step done ahead of time).\n' +
        'With --state, the whole world (including secrets) is kept in that file, mode 0600.',
    )
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--profile <version>', 'Dify release to behave like: 1.0.0 | 1.9.1 | 1.12.1 | 1.14.1', '1.14.1')
    .requiredOption('--email <email>', 'email of the owner account')
    .requiredOption('--password <password>', 'password of the owner account')
    .option('--admin-api-key <key>', 'accept ADMIN_API_KEY console auth (needs --workspace-id)')
    .option('--workspace-id <uuid>', 'id of the simulated workspace (X-WORKSPACE-ID for the admin key)')
    .option('--latency-ms <n>', 'delay on every answer (requests are handled on arrival)', '0')
    .option('--state <file>', 'load the world from this file and save it after every change')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops simulator --port 5001 --email admin@example.com --password Passw0rd!\n' +
        '  dify-gitops simulator --profile 1.9.1 --email a@b.c --password x --state .sim/state.json',
    )
    .action(lazyAction(() => import('./simulator-run.js').then((m) => m.run)));
}
