// The files a pull request changes: `git diff --name-only --relative <base>...HEAD`, run in the
// repository root (the merge base, so commits on the base branch after the fork point do not
// count). The base defaults to origin/$GITHUB_BASE_REF in Actions, else origin/main.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DifyGitopsError } from '../errors.js';

const run = promisify(execFile);

export function defaultBase(env: NodeJS.ProcessEnv): string {
  const base = env.GITHUB_BASE_REF;
  return base !== undefined && base !== '' ? `origin/${base}` : 'origin/main';
}

export async function changedFilesSince(root: string, base: string): Promise<string[]> {
  if (base.startsWith('-')) throw new DifyGitopsError('E_PREVIEW_BASE', `--base ${base} is not a git ref`);
  try {
    const { stdout } = await run('git', ['diff', '--name-only', '--relative', `${base}...HEAD`, '--'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (error instanceof Error ? error.message : String(error));
    throw new DifyGitopsError('E_PREVIEW_BASE', `cannot compare with the base ${base} (git diff: ${stderr}); fetch it (actions/checkout with fetch-depth: 0) or pass --base <ref>, or --all`);
  }
}
