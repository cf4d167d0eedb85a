// `dify-gitops run` implementation. The callback secret is read (and registered with the
// Redactor) before anything is sent, so a missing variable fails fast. With --stream the answer
// chunks go to stdout as they arrive; the summary, errors and the delivery status go to stderr.

import type { DeliveryResult } from '../../callbacks/index.js';
import { deliverCallback } from '../../callbacks/index.js';
import { DEFAULT_TIMEOUT_MS } from '../../broadcast/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { runApp, type RunEnvelope } from '../../run/index.js';
import { readSecretSource } from '../../secrets/sources.js';
import type { CliContext } from '../context.js';
import { parseRequest, parseTimeout } from './broadcast-flags.js';

export interface RunCliOptions {
  env: string;
  app: string;
  query?: string;
  inputs?: string;
  user?: string;
  stream?: boolean;
  timeout?: string;
  callbackUrl?: string;
  callbackSecretEnv?: string;
  callbackRetries?: string;
  format?: 'text' | 'json';
  config?: string;
  stateDir?: string;
}

/** The run itself failed: Dify answered HTTP 200 with status failed (shares the value 2). */
export const RUN_FAILED = ExitCode.Changes;

export async function run(ctx: CliContext, options: RunCliOptions): Promise<ExitCode> {
  const request = parseRequest(options);
  const timeoutMs = parseTimeout(options.timeout, DEFAULT_TIMEOUT_MS);
  const callback = await readCallback(ctx, options);
  const json = options.format === 'json';
  let streamed = false;
  const envelope = await runApp({
    environment: options.env,
    app: options.app,
    request,
    stream: options.stream === true,
    timeoutMs,
    cwd: ctx.cwd,
    env: ctx.env,
    redactor: ctx.redactor,
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    ...(json || options.stream !== true
      ? {}
      : {
          onChunk: (text: string) => {
            streamed = true;
            ctx.out(text);
          },
        }),
  });
  const delivery = callback === undefined ? null : await deliverCallback({ url: callback.url, body: envelope, secret: callback.secret, retries: callback.retries });
  if (json) ctx.out(`${JSON.stringify({ ...envelope, callback: delivery }, null, 2)}\n`);
  else {
    ctx.out(finalText(envelope, streamed));
    ctx.err(`${summary(envelope)}\n`);
    if (delivery !== null) ctx.err(`${deliveryLine(delivery)}\n`);
  }
  if (envelope.status === 'error' || envelope.status === 'timeout' || (delivery !== null && !delivery.delivered)) return ExitCode.Error;
  return envelope.status === 'failed-run' ? RUN_FAILED : ExitCode.Ok;
}

async function readCallback(ctx: CliContext, options: RunCliOptions): Promise<{ url: string; secret: string; retries: number } | undefined> {
  if (options.callbackUrl === undefined && options.callbackSecretEnv === undefined) return undefined;
  if (options.callbackUrl === undefined || options.callbackSecretEnv === undefined) throw new UsageError('--callback-url and --callback-secret-env go together');
  if (!/^https?:\/\//i.test(options.callbackUrl)) throw new UsageError('--callback-url must be an http:// or https:// URL');
  const retries = Number(options.callbackRetries ?? '3');
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new UsageError(`--callback-retries must be an integer from 0 to 10, not ${options.callbackRetries}`);
  const secret = await readSecretSource({ env: options.callbackSecretEnv }, { env: ctx.env, cwd: ctx.cwd, redactor: ctx.redactor });
  return { url: options.callbackUrl, secret, retries };
}

/** What stdout ends with: the end of a streamed answer's line, or the whole answer of a successful run. */
function finalText(envelope: RunEnvelope, streamed: boolean): string {
  if (streamed) return '\n';
  if (envelope.status !== 'ok') return '';
  if (envelope.answer !== null) return `${envelope.answer}\n`;
  return envelope.outputs === null ? '' : `${JSON.stringify(envelope.outputs, null, 2)}\n`;
}

function summary(envelope: RunEnvelope): string {
  const parts = [`${envelope.status}: ${envelope.app} (${envelope.mode}) in ${envelope.environment}`, `${envelope.latencyMs} ms`];
  if (envelope.usage !== null) parts.push(`${envelope.usage.totalTokens} tokens`);
  const run = envelope.ids.workflowRunId ?? envelope.ids.messageId;
  if (run !== null) parts.push(`${envelope.ids.workflowRunId === null ? 'message' : 'run'} ${run}`);
  const line = parts.join(', ');
  return envelope.error === null ? line : `${line}\n  ${envelope.error.message}`;
}

function deliveryLine(delivery: DeliveryResult): string {
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`;
  return delivery.delivered
    ? `callback delivered (HTTP ${delivery.status}, ${attempts})`
    : `callback NOT delivered: ${delivery.failure ?? 'unknown failure'} after ${attempts}`;
}
