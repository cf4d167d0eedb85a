// `dify-gitops serve`: flags and help only. The implementation (serve-run.ts) is imported when
// the command runs.

import type { Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('serve')
    .summary('run the controller: reconcile on each environment\'s interval and on GitHub pushes, rotate secrets on schedule')
    .description(
      'Runs until SIGTERM or SIGINT. Reconciles each environment every policies.reconcileInterval (node-cron,\n' +
        'UTC) and on every push to the tracked branch (POST /webhooks/github, HMAC-verified); rotates the\n' +
        'secrets under rotation: on their schedules. Runs of the same target never overlap: a tick during a\n' +
        'run is skipped and counted, a burst of pushes becomes at most one follow-up run. Before each\n' +
        'reconcile the working clone (--repo) is fetched and checked out at origin/<branch>.\n' +
        'Endpoints: /healthz, /readyz, /metrics (Prometheus), POST /webhooks/github. Logs: JSON lines\n' +
        '(pino) on stdout, secrets redacted. See docs/serve.md.\n\n' +
        'Exit codes: 0 stopped by SIGTERM/SIGINT after the app in flight finished (or was rolled back);\n' +
        '1 bad flags, invalid repository or the port is taken; with --once, the reconcile\'s exit code.',
    )
    .option('--port <n>', 'HTTP port (0: any free port, printed in the log)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--repo <dir>', 'the working clone to reconcile from (default: the current directory)')
    .option('--branch <name>', 'the tracked branch: webhooks for other branches are ignored; git sync checks it out', 'main')
    .option('--no-git-sync', 'do not fetch and check out the branch before each reconcile (reconcile the directory as it is)')
    .option('--webhook-secret-env <NAME>', 'environment variable holding the GitHub webhook secret; without it the webhook endpoint is off')
    .option('--env <name...>', 'serve these environments only (schedules, webhooks and rotations)')
    .option('--once', 'sync and reconcile once, print the log, exit with the reconcile\'s exit code')
    .option('--max-body <bytes>', 'largest webhook body accepted (413 beyond)', String(5 * 1024 * 1024))
    .option('--log-level <level>', 'pino log level: debug, info, warn, error', 'info')
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in --repo or a parent)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .addHelpText('after', '\nExamples:\n  DIFY_WEBHOOK_SECRET=… dify-gitops serve --repo /srv/flows --branch main --webhook-secret-env DIFY_WEBHOOK_SECRET --port 8080')
    .action(lazyAction(() => import('./serve-run.js').then((m) => m.run)));
}
