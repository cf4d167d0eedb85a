// One issue per concern (e.g. drift in `production`), found by a hidden marker at the top of its
// body and a label: ensureIssue opens it, keeps its text current, reopens it when the concern
// returns, and closes it when the concern is gone. Used by reconcile for drift reports.

import type { GitHub } from './client.js';
import { hasIssueMarker, renderIssueMarker, validateFamily } from './comment-marker.js';
import { GITHUB_COMMENT_LIMIT } from './split-comment.js';
import { InternalError } from '../errors.js';

export interface EnsureIssueOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  /** The concern, e.g. `drift:production`; written as a hidden marker. */
  marker: string;
  title: string;
  body: string;
  /** 'open': the concern exists (create, update or reopen). 'closed': it is gone (close if open). */
  state: 'open' | 'closed';
  /** Issues are looked up by this label, so only a few are listed (default `dify-gitops`). */
  label?: string;
}

export type IssueAction = 'created' | 'updated' | 'reopened' | 'closed' | 'unchanged' | 'absent';

export interface EnsureIssueResult {
  action: IssueAction;
  number: number | undefined;
  url: string | undefined;
}

export async function ensureIssue(options: EnsureIssueOptions): Promise<EnsureIssueResult> {
  const { gh, owner, repo } = options;
  validateFamily(options.marker);
  const label = options.label ?? 'dify-gitops';
  const body = `${renderIssueMarker(options.marker)}\n${options.body}`;
  if (body.length > GITHUB_COMMENT_LIMIT) {
    throw new InternalError(`issue ${options.marker}: body is ${body.length} characters, over GitHub's ${GITHUB_COMMENT_LIMIT}`);
  }
  const issues = await gh.paginate(gh.rest.issues.listForRepo, { owner, repo, state: 'all', labels: label, per_page: 100 });
  // The list includes pull requests; newest first, so a reopened concern reuses its latest issue.
  const existing = issues
    .filter((issue) => issue.pull_request === undefined && hasIssueMarker(issue.body, options.marker))
    .sort((a, b) => b.number - a.number)[0];

  if (options.state === 'closed') {
    if (existing === undefined) return { action: 'absent', number: undefined, url: undefined };
    if (existing.state === 'closed') return { action: 'unchanged', number: existing.number, url: existing.html_url };
    const { data } = await gh.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      title: options.title,
      body,
      state: 'closed',
      state_reason: 'completed',
    });
    return { action: 'closed', number: data.number, url: data.html_url };
  }

  if (existing === undefined) {
    const { data } = await gh.rest.issues.create({ owner, repo, title: options.title, body, labels: [label] });
    return { action: 'created', number: data.number, url: data.html_url };
  }
  const reopen = existing.state === 'closed';
  if (!reopen && existing.title === options.title && existing.body === body) {
    return { action: 'unchanged', number: existing.number, url: existing.html_url };
  }
  const { data } = await gh.rest.issues.update({
    owner,
    repo,
    issue_number: existing.number,
    title: options.title,
    body,
    ...(reopen ? { state: 'open' as const } : {}),
  });
  return { action: reopen ? 'reopened' : 'updated', number: data.number, url: data.html_url };
}
