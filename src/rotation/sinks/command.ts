// Command sink: runs a program (argv, no shell) and writes the key to its standard input, exactly
// as is (no newline added), so the key never appears in a process listing. The command must exit
// 0; its stderr is kept (redacted, last 2 KB) for the error message.

import { spawn } from 'node:child_process';
import { DifyGitopsError } from '../../errors.js';
import type { Redactor } from '../../secrets/redactor.js';

const STDERR_KEEP = 2048;

export class SinkCommandError extends DifyGitopsError {
  constructor(message: string) {
    super('E_SINK_COMMAND', message);
  }
}

export function runCommandSink(argv: readonly string[], value: string, options: { env: NodeJS.ProcessEnv; cwd: string; redactor: Redactor; timeoutMs: number }): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') return Promise.reject(new SinkCommandError('sink command is empty'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, shell: false, stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true, timeout: options.timeoutMs });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('error', (error: NodeJS.ErrnoException) => reject(new SinkCommandError(`sink command ${file} could not start (${error.code ?? error.message})`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal !== null ? `was killed (${signal})` : `exited with ${String(code)}`;
      const tail = options.redactor.redact(stderr.trim());
      reject(new SinkCommandError(`sink command ${file} ${why}${tail === '' ? '' : `: ${tail}`}`));
    });
    // A command that exits without reading its input gives EPIPE: its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(value);
  });
}
