// What a command implementation receives instead of reaching for globals: output streams that
// always redact, the redactor itself, the environment and the working directory.

import { Redactor } from '../secrets/redactor.js';

export interface CliContext {
  redactor: Redactor;
  /** Writes to stdout, redacted. No newline is added. */
  out(text: string): void;
  /** Writes to stderr, redacted. No newline is added. */
  err(text: string): void;
  /** stdout is an interactive terminal (colour, progress). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function createCliContext(
  options: { env?: NodeJS.ProcessEnv; cwd?: string; redactor?: Redactor } = {},
): CliContext {
  const redactor = options.redactor ?? new Redactor();
  return {
    redactor,
    out: (text) => void process.stdout.write(redactor.redact(text)),
    err: (text) => void process.stderr.write(redactor.redact(text)),
    isTTY: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
  };
}
