// `dify-gitops broadcast`: flags and help only. The implementation (broadcast-run.ts) is imported
// when the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('broadcast')
    .summary('send the same request to many apps in parallel and compare the answers')
    .description(
      'Sends one request to every selected app of an environment through the service API, at most ' +
        '--concurrency at a time, each with its own timeout. The endpoint follows each app\'s mode ' +
        '(workflow: /v1/workflows/run with the inputs; chat, advanced-chat, agent-chat: ' +
        '/v1/chat-messages with query and inputs; completion: /v1/completion-messages). Reports per app ' +
        'the status (ok, failed-run, error, timeout), latency, tokens, the answer (cut short) and, with ' +
        '--schema, whether the answer satisfies that output schema after repair; then the totals. ' +
        'dify-gitops finds or creates its own API key per app; keys are never printed.\n\n' +
        'Exit codes: 0 every app ok (and valid); 2 some app failed, timed out, erred or was invalid; ' +
        '1 an error before anything was sent (bad flags, invalid repository, Dify unreachable).',
    )
    .requiredOption('--env <name>', 'the environment')
    .option('--apps <a,b,c>', 'these repository apps (comma-separated)')
    .option('--all', 'every repository app of the environment')
    .option('--tag <tag>', 'repository apps whose manifest tags include this tag')
    .option('--query <text>', 'the query (chat-family and completion apps)')
    .option('--inputs <json>', 'the inputs, a JSON object')
    .option('--user <id>', 'the end-user id sent to Dify', 'dify-gitops')
    .option('--schema <name>', 'check each answer against this output schema of the repository (after repair)')
    .option('--output <name>', 'with --schema, for workflow apps: check this output variable, not the whole outputs object')
    .option('--stream', 'use the streaming endpoints (agent-chat apps always stream)')
    .option('--concurrency <n>', 'apps called at once', '8')
    .option('--timeout <duration>', 'per-app timeout, e.g. 60s, 1m30s, 500ms', '60s')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <path>', 'the root config file (default: dify-gitops.yaml in this or a parent directory)')
    .option('--state-dir <dir>', 'state directory (default: .dify-gitops beside the config)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops broadcast --env staging --all --inputs \'{"topic":"tides"}\'\n' +
        '  dify-gitops broadcast --env prod --tag support --query "My order is late" --schema ticket --format json',
    )
    .action(lazyAction(() => import('./broadcast-run.js').then((m) => m.run)));
}
