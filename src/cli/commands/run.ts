// `dify-gitops run`: flags and help only. The implementation (run-run.ts) is imported when the
// command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('run')
    .summary('run one app once; stream the answer, or POST the result to a signed callback')
    .description(
      'Runs one repository app in one environment through the service API (the endpoint follows the ' +
        'app\'s mode) and prints the answer: the answer text of chat-family and completion apps, the ' +
        'outputs object (JSON) of workflow apps. With --stream, the answer is printed as it arrives. ' +
        'With --callback-url, the result envelope (docs/run.md) is POSTed there, signed with the secret ' +
        'held by the environment variable named by --callback-secret-env (docs/callbacks.md), with ' +
        'retries and backoff.\n\n' +
        'Exit codes: 0 the run succeeded (and the callback, if any, was delivered); 2 the run itself ' +
        'failed (Dify answered HTTP 200 with status failed); 1 an error: bad flags, Dify unreachable, ' +
        'an HTTP error from the app, a timeout, or a callback that was not delivered.',
    )
    .requiredOption('--env <name>', 'the environment')
    .requiredOption('--app <name>', 'the repository app')
    .option('--query <text>', 'the query (chat-family and completion apps)')
    .option('--inputs <json>', 'the inputs, a JSON object')
    .option('--user <id>', 'the end-user id sent to Dify', 'dify-gitops')
    .option('--stream', 'print the answer as it arrives (agent-chat apps always stream)')
    .option('--timeout <duration>', 'give up after this long, e.g. 60s, 2m', '60s')
    .option('--callback-url <url>', 'POST the signed result envelope here')
    .option('--callback-secret-env <name>', 'environment variable holding the callback signing secret')
    .option('--callback-retries <n>', 'extra delivery attempts after a network error, 429 or 5xx', '3')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops run --env staging --app triage --query "My order is late" --stream\n' +
        '  dify-gitops run --env prod --app summarize --inputs \'{"url":"https://example.com"}\' \\\n' +
        '      --callback-url https://hooks.example.com/dify --callback-secret-env HOOK_SECRET --format json',
    )
    .action(lazyAction(() => import('./run-run.js').then((m) => m.run)));
}
