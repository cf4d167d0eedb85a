// The only place that turns errors into exit codes. Commands return an exit code or throw a
// DifyGitopsError; nothing else calls process.exit. Unknown errors are bugs: they print a short,
// redacted message (the stack only with DIFY_GITOPS_DEBUG=1) and exit 70.

import { DifyGitopsError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { createCliContext, type CliContext } from './context.js';

export type CommandImpl<Args extends unknown[]> = (ctx: CliContext, ...args: Args) => Promise<ExitCode | void>;

/** Wraps a lazily imported command implementation as a commander action. */
export function lazyAction<Args extends unknown[]>(
  load: () => Promise<CommandImpl<Args>>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    const ctx = createCliContext();
    // In GitHub Actions every secret is masked in the log (::add-mask::) the moment it is
    // registered; loaded only there, so local runs never pay for @actions/core.
    if (ctx.env.GITHUB_ACTIONS === 'true') (await import('../github/mask.js')).maskSecretsInActions(ctx.redactor, { env: ctx.env });
    process.exitCode = await runCommand(ctx, async () => (await load())(ctx, ...args));
  };
}

export async function runCommand(ctx: CliContext, body: () => Promise<ExitCode | void>): Promise<ExitCode> {
  try {
    return (await body()) ?? ExitCode.Ok;
  } catch (error) {
    return reportError(ctx, error);
  }
}

export function reportError(ctx: CliContext, error: unknown): ExitCode {
  if (error instanceof DifyGitopsError) {
    if (error.message !== '') ctx.err(`dify-gitops: ${error.message}\n`);
    if (ctx.env.DIFY_GITOPS_DEBUG === '1' && error.stack) ctx.err(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.err(`dify-gitops: internal error: ${message}\n`);
  if (ctx.env.DIFY_GITOPS_DEBUG === '1' && error instanceof Error && error.stack) ctx.err(`${error.stack}\n`);
  else ctx.err('This is a bug in dify-gitops. Re-run with DIFY_GITOPS_DEBUG=1 for details and report it.\n');
  return ExitCode.Internal;
}
