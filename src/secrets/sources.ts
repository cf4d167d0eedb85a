// Where secret values come from: an environment variable, a file, or a command's stdout (run with
// execFile, never a shell, so nothing in the config is interpreted). Each value is registered with
// the Redactor before this function returns, and errors name the source, never the value.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { DifyGitopsError } from '../errors.js';
import type { Redactor } from './redactor.js';

export type SecretSource = { env: string } | { file: string } | { command: readonly string[] };

export interface SecretSourceContext {
  env: NodeJS.ProcessEnv;
  /** Base for relative file paths and the command's working directory. */
  cwd: string;
  redactor: Redactor;
  /** Kills a command that runs longer than this. */
  commandTimeoutMs?: number;
}

export class SecretSourceError extends DifyGitopsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('E_SECRET_SOURCE', message, options);
  }
}

const MAX_SECRET_BYTES = 64 * 1024;

export function describeSource(source: SecretSource): string {
  if ('env' in source) return `environment variable ${source.env}`;
  if ('file' in source) return `file ${source.file}`;
  return `command ${source.command[0] ?? '(empty)'}`;
}

export async function readSecretSource(source: SecretSource, ctx: SecretSourceContext): Promise<string> {
  const value = await readRaw(source, ctx);
  if (value === '') throw new SecretSourceError(`${describeSource(source)} gave an empty secret`);
  return ctx.redactor.add(value);
}

async function readRaw(source: SecretSource, ctx: SecretSourceContext): Promise<string> {
  if ('env' in source) {
    const value = ctx.env[source.env];
    if (value === undefined) throw new SecretSourceError(`environment variable ${source.env} is not set`);
    ctx.redactor.add(value);
    return value;
  }
  if ('file' in source) {
    const path = isAbsolute(source.file) ? source.file : resolve(ctx.cwd, source.file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new SecretSourceError(`cannot read secret file ${source.file} (${code})`);
    }
    if (Buffer.byteLength(text) > MAX_SECRET_BYTES) throw new SecretSourceError(`secret file ${source.file} is larger than 64 KiB`);
    // A trailing newline is how editors and `echo` end files; it is never part of a key.
    return ctx.redactor.add(text.replace(/\r?\n$/, ''));
  }
  return runCommand(source.command, ctx);
}

function runCommand(argv: readonly string[], ctx: SecretSourceContext): Promise<string> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') return Promise.reject(new SecretSourceError('secret command is empty'));
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      args,
      { cwd: ctx.cwd, env: ctx.env, timeout: ctx.commandTimeoutMs ?? 30_000, maxBuffer: MAX_SECRET_BYTES, shell: false, windowsHide: true },
      (error, stdout) => {
        // Register whatever came out before deciding, so even a failing command's output is masked.
        const value = stdout.replace(/\r?\n$/, '');
        ctx.redactor.add(value);
        if (error) {
          const reason = error.killed ? 'timed out' : `exited with ${String(error.code ?? 'an error')}`;
          reject(new SecretSourceError(`secret command ${file} ${reason}`));
          return;
        }
        resolvePromise(value);
      },
    );
  });
}
