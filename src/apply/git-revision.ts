// The git revision being deployed, for the published version's marked_name (≤ 20 characters)
// and marked_comment (≤ 100): --revision/--message flags first, then DIFY_GITOPS_REVISION /
// DIFY_GITOPS_REVISION_SUBJECT (CI can pass a PR title there), then `git` in the repository.

import { execFile } from 'node:child_process';
import type { PlanRevision } from '../plan/types.js';

export const MARKED_NAME_MAX = 20;
export const MARKED_COMMENT_MAX = 100;

export async function readGitRevision(options: { cwd: string; env: NodeJS.ProcessEnv; revision?: string | undefined; message?: string | undefined }): Promise<PlanRevision | null> {
  const id = options.revision ?? options.env.DIFY_GITOPS_REVISION ?? (await git(options.cwd, ['rev-parse', '--short=12', 'HEAD']));
  if (id === undefined || id === '') return null;
  const subject = options.message ?? options.env.DIFY_GITOPS_REVISION_SUBJECT ?? (await git(options.cwd, ['log', '-1', '--format=%s'])) ?? '';
  return fitRevision({ id, subject });
}

/** Clips to Dify's limits (a longer marked_name or marked_comment is a 400). */
export function fitRevision(revision: PlanRevision): PlanRevision {
  return { id: revision.id.slice(0, MARKED_NAME_MAX), subject: clip(revision.subject, MARKED_COMMENT_MAX) };
}

export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}
