// Delivers a new app API key to every configured sink, in order. One failing sink stops the
// delivery: the old key stays valid (it is deleted only after every sink holds the new one), and
// the next run delivers again from the first sink.

import type { RotationSink } from '../../config/types.js';
import { DifyGitopsError } from '../../errors.js';
import { runCommandSink } from './command.js';
import { writeFileSink } from './file.js';
import type { SinkContext } from './types.js';

export type { SinkContext } from './types.js';

export function describeSink(sink: RotationSink): string {
  if (sink.kind === 'githubSecret') return `GitHub ${sink.environment === undefined ? 'repository' : `environment ${sink.environment}`} secret ${sink.owner}/${sink.repo} ${sink.name}`;
  if (sink.kind === 'file') return `file ${sink.display}`;
  return `command ${sink.argv[0] ?? ''}`;
}

export async function deliverToSink(sink: RotationSink, value: string, ctx: SinkContext): Promise<void> {
  ctx.redactor.add(value);
  if (sink.kind === 'file') return writeFileSink(sink.path, value);
  if (sink.kind === 'command') return runCommandSink(sink.argv, value, { env: ctx.env, cwd: ctx.cwd, redactor: ctx.redactor, timeoutMs: ctx.commandTimeoutMs ?? 60_000 });
  const token = ctx.env[sink.tokenEnv];
  if (token === undefined || token === '') throw new SinkTokenMissingError(sink);
  // Loaded on first use: libsodium and octokit stay out of processes that never write a GitHub secret.
  const { putActionsSecret } = await import('../../github/actions-secrets.js');
  await putActionsSecret({ gh: await ctx.github(token), owner: sink.owner, repo: sink.repo, environment: sink.environment, name: sink.name, value, redactor: ctx.redactor });
}

export class SinkTokenMissingError extends DifyGitopsError {
  constructor(sink: Extract<RotationSink, { kind: 'githubSecret' }>) {
    super('E_SINK_TOKEN', `${describeSink(sink)}: environment variable ${sink.tokenEnv} (a token allowed to write Actions secrets) is not set`);
  }
}
