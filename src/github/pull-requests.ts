// Proposes file changes as a pull request through the Git data API, without a clone: one commit
// on top of the base branch (tree built from the base tree plus our files), a branch we own and
// force-move, and one open pull request for that branch. Running it again with the same files is
// a no-op, so reconcile can call it on every cycle (e.g. "adopt what was edited in the Dify UI").

import { UsageError } from '../errors.js';
import { GitHubApiError, type GitHub } from './client.js';

export interface EnsureFilesPullRequestOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  /** The branch the pull request targets, e.g. `main`. */
  base: string;
  /** Our branch, e.g. `dify-gitops/adopt-production`; it is rewritten on every change. */
  branch: string;
  /** Repository path → new content, or null to delete the file. */
  files: Readonly<Record<string, string | null>>;
  commitMessage: string;
  title: string;
  body: string;
  draft?: boolean;
}

export interface EnsureFilesPullRequestResult {
  /** 'unchanged': the branch already held these files on the current base and the PR text matched. */
  action: 'created' | 'updated' | 'unchanged';
  number: number;
  url: string;
  commitSha: string;
}

export async function ensureFilesPullRequest(options: EnsureFilesPullRequestOptions): Promise<EnsureFilesPullRequestResult> {
  const { gh, owner, repo, base, branch } = options;
  validateBranch(branch);
  validateBranch(base);
  const paths = Object.keys(options.files);
  if (paths.length === 0) throw new UsageError('ensureFilesPullRequest: no files to change');
  for (const path of paths) validatePath(path);

  const baseSha = (await gh.rest.git.getRef({ owner, repo, ref: `heads/${base}` })).data.object.sha;
  const baseTree = (await gh.rest.git.getCommit({ owner, repo, commit_sha: baseSha })).data.tree.sha;
  const tree = await gh.rest.git.createTree({
    owner,
    repo,
    base_tree: baseTree,
    tree: paths.map((path) => {
      const content = options.files[path];
      return typeof content === 'string'
        ? { path, mode: '100644' as const, type: 'blob' as const, content }
        : { path, mode: '100644' as const, type: 'blob' as const, sha: null };
    }),
  });

  const branchSha = await findBranch(gh, owner, repo, branch);
  const current = branchSha === undefined ? undefined : (await gh.rest.git.getCommit({ owner, repo, commit_sha: branchSha })).data;
  let commitSha: string;
  let moved = false;
  if (current !== undefined && current.tree.sha === tree.data.sha && current.parents.length === 1 && current.parents[0]!.sha === baseSha) {
    commitSha = current.sha;
  } else {
    const commit = await gh.rest.git.createCommit({ owner, repo, message: options.commitMessage, tree: tree.data.sha, parents: [baseSha] });
    commitSha = commit.data.sha;
    moved = true;
    if (current === undefined) await gh.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commitSha });
    // Our branch, rebuilt on the current base: a force move is intended.
    else await gh.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commitSha, force: true });
  }

  const open = await gh.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, base, state: 'open', per_page: 10 });
  const pull = open.data[0];
  if (pull === undefined) {
    const { data } = await gh.rest.pulls.create({
      owner,
      repo,
      head: branch,
      base,
      title: options.title,
      body: options.body,
      draft: options.draft ?? false,
    });
    return { action: 'created', number: data.number, url: data.html_url, commitSha };
  }
  if (pull.title === options.title && (pull.body ?? '') === options.body) {
    return { action: moved ? 'updated' : 'unchanged', number: pull.number, url: pull.html_url, commitSha };
  }
  const { data } = await gh.rest.pulls.update({ owner, repo, pull_number: pull.number, title: options.title, body: options.body });
  return { action: 'updated', number: data.number, url: data.html_url, commitSha };
}

async function findBranch(gh: GitHub, owner: string, repo: string, branch: string): Promise<string | undefined> {
  try {
    return (await gh.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return undefined;
    throw error;
  }
}

function validateBranch(name: string): void {
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.startsWith('-') || name.includes('..') || name.endsWith('/') || name.endsWith('.lock')) {
    throw new UsageError(`branch name "${name}" is not a safe git branch name`);
  }
}

function validatePath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new UsageError(`file path "${path}" must be relative to the repository root, without . or .. segments`);
  }
}
