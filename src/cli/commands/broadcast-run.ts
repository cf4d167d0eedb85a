// `dify-gitops broadcast` implementation: parse the flags, broadcast, print the report. Progress
// (apps done / total) is one rewritten stderr line on a TTY, nothing otherwise. Exit 0 when every
// app passed, 2 when some did not, 1 (thrown) when nothing could be sent.

import { broadcast, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, renderBroadcastJson, renderBroadcastText } from '../../broadcast/index.js';
import { ExitCode } from '../../exit-codes.js';
import type { CliContext } from '../context.js';
import { parseConcurrency, parseRequest, parseSelection, parseTimeout } from './broadcast-flags.js';
import { progressReporter } from './progress.js';

export interface BroadcastCliOptions {
  env: string;
  apps?: string;
  all?: boolean;
  tag?: string;
  query?: string;
  inputs?: string;
  user?: string;
  schema?: string;
  output?: string;
  stream?: boolean;
  concurrency?: string;
  timeout?: string;
  format?: 'text' | 'json';
  config?: string;
  stateDir?: string;
}

/** Some app failed, timed out, erred or answered invalid output (shares the value 2 with "changes"). */
export const SOME_APPS_FAILED = ExitCode.Changes;

export async function run(ctx: CliContext, options: BroadcastCliOptions): Promise<ExitCode> {
  const select = parseSelection(options);
  const request = parseRequest(options);
  const concurrency = parseConcurrency(options.concurrency, DEFAULT_CONCURRENCY);
  const timeoutMs = parseTimeout(options.timeout, DEFAULT_TIMEOUT_MS);
  const progress = progressReporter(ctx, 'broadcast');
  try {
    const report = await broadcast({
      environment: options.env,
      select,
      request,
      concurrency,
      timeoutMs,
      stream: options.stream === true,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.output === undefined ? {} : { output: options.output }),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
      cwd: ctx.cwd,
      env: ctx.env,
      redactor: ctx.redactor,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.done();
    ctx.out(options.format === 'json' ? renderBroadcastJson(report) : renderBroadcastText(report));
    return report.totals.failed === 0 ? ExitCode.Ok : SOME_APPS_FAILED;
  } finally {
    progress.done();
  }
}
