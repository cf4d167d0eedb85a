// Puts the preview report into the pull request's plan comment for the environment, so the PR
// keeps ONE sticky comment per environment: the section sits between two hidden markers at the
// end of the comment's last part and is replaced on every run. The plan job rewrites its comment
// on each push (dropping the old section), and the preview job, which runs after it, adds the
// new one. Without a plan comment yet, a plan-family comment holding only the section is made
// (the next plan replaces it).

import { parseMarker } from './comment-marker.js';
import type { GitHub } from './client.js';
import type { ActionsContext } from './actions-env.js';
import { planCommentFamily } from './render-plan-comment.js';
import { GITHUB_COMMENT_LIMIT } from './split-comment.js';
import { ensureStickyComment } from './sticky-comment.js';

const START = '<!-- dify-gitops-previews:start -->';
const END = '<!-- dify-gitops-previews:end -->';

/** The body with its previews section replaced (or appended). Pure. */
export function withPreviewSection(body: string, section: string): string {
  const start = body.indexOf(START);
  const end = body.indexOf(END);
  const kept = start >= 0 && end > start ? `${body.slice(0, start)}${body.slice(end + END.length)}` : body;
  const base = kept.replace(/\s+$/, '');
  const block = `${START}\n${section.trim()}\n${END}`;
  const joined = base === '' ? block : `${base}\n\n---\n\n${block}`;
  if (joined.length <= GITHUB_COMMENT_LIMIT) return joined;
  const short = `${START}\n### Preview apps\n\nThe preview report is too long for this comment; it is in the job log.\n${END}`;
  return base === '' ? short : `${base}\n\n---\n\n${short}`;
}

export interface PostPreviewCommentOptions {
  gh: GitHub;
  actionsContext: ActionsContext;
  issueNumber: number;
  environment: string;
  /** The Markdown of the section (render-previews.ts). */
  section: string;
  /** Only comments by this login count as ours. */
  author?: string | undefined;
}

export async function postPreviewComment(options: PostPreviewCommentOptions): Promise<{ action: 'created' | 'updated' | 'unchanged'; url: string }> {
  const { gh, actionsContext: actions, issueNumber } = options;
  const { owner, repo } = actions;
  const family = planCommentFamily(options.environment);
  const comments = await gh.paginate(gh.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const ours = comments
    .map((c) => ({ c, marker: parseMarker(c.body) }))
    .filter(({ c, marker }) => marker?.family === family && (options.author === undefined || c.user?.login === options.author))
    .sort((a, b) => a.marker!.part - b.marker!.part || a.c.id - b.c.id);
  const last = ours.at(-1);
  if (last === undefined) {
    const result = await ensureStickyComment({ gh, owner, repo, issueNumber, marker: family, headSha: actions.pullRequest?.headSha ?? actions.sha, parts: [withPreviewSection('', options.section)], ...(options.author === undefined ? {} : { author: options.author }) });
    const first = result.comments[0]!;
    return { action: first.action, url: first.url };
  }
  const body = withPreviewSection(last.c.body ?? '', options.section);
  if (body === last.c.body) return { action: 'unchanged', url: last.c.html_url };
  const { data } = await gh.rest.issues.updateComment({ owner, repo, comment_id: last.c.id, body });
  return { action: 'updated', url: data.html_url };
}
