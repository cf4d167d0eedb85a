// A CliContext that records what a command prints, for testing command implementations
// in-process against real files and a real git.

import type { CliContext } from '../../src/cli/context.js';
import { Redactor } from '../../src/secrets/redactor.js';

export interface CapturedCli {
  ctx: CliContext;
  stdout: () => string;
  stderr: () => string;
}

export function captureCli(cwd: string, env: NodeJS.ProcessEnv = process.env): CapturedCli {
  let out = '';
  let err = '';
  const redactor = new Redactor();
  const ctx: CliContext = {
    redactor,
    out: (text) => void (out += redactor.redact(text)),
    err: (text) => void (err += redactor.redact(text)),
    isTTY: false,
    env,
    cwd,
  };
  return { ctx, stdout: () => out, stderr: () => err };
}
