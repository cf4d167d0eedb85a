// Before each reconcile of `serve`: bring the working clone to the tip of the tracked branch.
// `git fetch origin <branch>` then `git checkout --force --detach origin/<branch>`: the clone is
// the controller's own, so local edits are discarded; the state directory is git-ignored and
// survives. execFile, never a shell: the branch name is an argument, not a command line.

import { execFile } from 'node:child_process';
import { DifyGitopsError } from '../errors.js';

export class GitSyncError extends DifyGitopsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('E_GIT_SYNC', message, options);
  }
}

export interface GitSyncOptions {
  repoDir: string;
  branch: string;
  remote?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** A branch name git would accept and that cannot be read as an option. */
export function checkBranchName(branch: string): string {
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(branch) || branch.startsWith('-') || branch.includes('..') || branch.endsWith('/') || branch.endsWith('.lock')) {
    throw new GitSyncError(`--branch: \`${branch}\` is not a branch name this controller accepts`);
  }
  return branch;
}

/** Fetches and checks out the branch tip; returns the commit now checked out. */
export async function syncRepository(options: GitSyncOptions): Promise<{ commit: string }> {
  const remote = options.remote ?? 'origin';
  const branch = checkBranchName(options.branch);
  const git = (args: string[]): Promise<string> => runGit(options, args);
  await git(['fetch', '--quiet', '--prune', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
  await git(['checkout', '--quiet', '--force', '--detach', `refs/remotes/${remote}/${branch}`]);
  return { commit: (await git(['rev-parse', 'HEAD'])).trim() };
}

function runGit(options: GitSyncOptions, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: options.repoDir, env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0' }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error === null) return resolve(stdout);
        const detail = stderr.trim().split('\n').slice(-3).join(' ') || error.message;
        reject(new GitSyncError(`git ${args[0] ?? ''} in ${options.repoDir} failed: ${detail}`, { cause: error }));
      },
    );
  });
}
