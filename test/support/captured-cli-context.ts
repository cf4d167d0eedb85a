// A CliContext whose stdout and stderr are captured strings (redacted exactly as the real one
// redacts), for calling command implementations directly in tests.
import { Redactor } from '../../src/secrets/redactor.js';
import type { CliContext } from '../../src/cli/context.js';

export interface CapturedCliContext extends CliContext {
  stdout(): string;
  stderr(): string;
}

export function capturedCliContext(options: { cwd: string; env?: NodeJS.ProcessEnv; redactor?: Redactor }): CapturedCliContext {
  const redactor = options.redactor ?? new Redactor();
  let out = '';
  let err = '';
  return {
    redactor,
    out: (text) => void (out += redactor.redact(text)),
    err: (text) => void (err += redactor.redact(text)),
    isTTY: false,
    env: options.env ?? {},
    cwd: options.cwd,
    stdout: () => out,
    stderr: () => err,
  };
}
