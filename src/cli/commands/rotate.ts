// `dify-gitops rotate`: flags and help only. The implementation (rotate-run.ts) is imported when
// the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('rotate')
    .summary('rotate the secrets that are due: app API keys, secret env vars, provider credentials')
    .description(
      'Rotates each secret under `rotation:` in dify-gitops.yaml whose schedule fired since its last\n' +
        'attempt, in four resumable steps (create, set, test, finish; AWS Secrets Manager style). A\n' +
        'rotation left half done by a crash is resumed first. App keys: mint, prove with a service-API\n' +
        'call, deliver to the sinks, wait the grace period and until the old key is unused, delete it.\n' +
        'Env vars and provider credentials: write, publish or switch, health-check, roll back on failure.\n' +
        'The ledger (state directory, rotation/<name>.json) holds version ids, never values.\n\n' +
        'Exit codes: 0 rotated, waiting or nothing due; 1 an error (the old secret stays current; a\n' +
        'rotation that got past its first change resumes on the next run); 3 a new secret failed its proof\n' +
        'or health checks and was rolled back; 4 a human must look (message says what).',
    )
    .option('--env <name>', 'only secrets of this environment')
    .option('--secret <name...>', 'only these secrets')
    .option('--force', 'rotate the selected secrets even if they are not due')
    .option('--dry-run', 'say what is due and stop')
    .option('--no-wait', 'do not wait out an app key\'s grace period: deliver, then let a later run delete the old key')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .option('--lock-wait <seconds>', 'wait this long for another run holding a secret or app, then fail', '0')
    .option('--break-stale-lock', 'break a lock whose expiry has passed (it is reported)')
    .addHelpText('after', '\nExamples:\n  dify-gitops rotate --dry-run\n  dify-gitops rotate --env prod --secret triage-api-key --force')
    .action(lazyAction(() => import('./rotate-run.js').then((m) => m.run)));
}
