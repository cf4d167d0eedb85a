// `dify-gitops check-output`: flags and help only. The implementation (check-output-run.ts) is
// imported when the command runs.

import { Option, type Command } from 'commander';
import { lazyAction } from '../run-command.js';

export function define(program: Command): void {
  program
    .command('check-output')
    .summary('repair an LLM output and validate it against an output schema')
    .description(
      'Reads an LLM output (a file, or stdin with `-` or no file), extracts the JSON from it (code fences, ' +
        'surrounding prose), repairs it (trailing commas, single quotes, comments, truncation, Python literals), ' +
        'validates it against an output schema and applies the fallback policy.\n\n' +
        'Exit codes: 0 valid (possibly after repair), or a null/default fallback stood in for an invalid output ' +
        '(reported as usedFallback); 1 invalid with --fallback fail, or an error (bad schema, bad flags).',
    )
    .argument('[file]', 'file holding the output; `-` or nothing reads stdin')
    .requiredOption('--schema <name-or-path>', 'output schema: a name in --schemas-dir, or a path to a .yaml/.json schema file')
    .option('--schemas-dir <dir>', 'directory of <name>.schema.yaml files', 'schemas/outputs')
    .option('--pointer <json-pointer>', 'the input is a JSON document (e.g. a Dify response); check the value at this pointer, e.g. /answer or /data/outputs/result')
    .addOption(new Option('--fallback <policy>', 'what an invalid output becomes').choices(['fail', 'null', 'default']))
    .option('--default <json>', 'the fallback value (implies --fallback default); must satisfy the schema')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  dify-gitops check-output --schema ticket answer.txt\n' +
        '  curl … /v1/workflows/run | dify-gitops check-output --schema ticket --pointer /data/outputs/result\n' +
        '  dify-gitops check-output --schema ticket --default \'{"priority":"low"}\' --format json answer.txt',
    )
    .action(lazyAction(() => import('./check-output-run.js').then((m) => m.run)));
}
