// The error vocabulary of dify-gitops. One base class with a stable string `code`
// (match on it, never on messages) and the standard `cause`. Only src/cli maps errors
// to exit codes; everything else throws or returns results.

import { ExitCode } from './exit-codes.js';

export class DifyGitopsError extends Error {
  readonly code: string;
  /** The process exit code the CLI uses when this error ends a command. */
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: ExitCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.Error;
  }
}

/** Bad user input: a config, manifest or DSL file, or a command-line argument. */
export class UsageError extends DifyGitopsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('E_USAGE', message, options);
  }
}

/** A file could not be read or parsed; `file`, `line` and `col` say where. */
export class InputError extends DifyGitopsError {
  readonly file: string;
  readonly line: number | undefined;
  readonly col: number | undefined;

  constructor(
    code: string,
    message: string,
    where: { file: string; line?: number | undefined; col?: number | undefined },
    options: { cause?: unknown } = {},
  ) {
    const at = where.line === undefined ? where.file : `${where.file}:${where.line}:${where.col ?? 1}`;
    super(code, `${at}: ${message}`, options);
    this.file = where.file;
    this.line = where.line;
    this.col = where.col;
  }
}

/** A command that wants a particular exit code without being an error (e.g. "changes present"). */
export class ExitRequest extends DifyGitopsError {
  constructor(exitCode: ExitCode, message = '') {
    super('E_EXIT', message, { exitCode });
  }
}

/** An invariant broke: a bug in dify-gitops, not in the user's input. */
export class InternalError extends DifyGitopsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('E_INTERNAL', message, { ...options, exitCode: ExitCode.Internal });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
