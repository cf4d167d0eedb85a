// One sticky comment per pull request and family (e.g. the plan for `production`), possibly in
// several parts when the body is longer than one comment. ensureStickyComment converges the PR
// to exactly the given parts: it edits ours in place (found by their hidden marker), creates the
// parts that are missing and retires the ones no longer needed. Retiring either deletes, or hides
// the comment as OUTDATED through GraphQL `minimizeComment`; when that mutation is refused (no
// permission, an old GitHub Enterprise Server) the comment is edited down to a short "outdated"
// note instead. Either way its marker is retired first, so it is never picked up again.

import { InternalError } from '../errors.js';
import type { GitHub } from './client.js';
import {
  MARKER_RESERVE,
  parseMarker,
  renderMarker,
  retireBody,
  validateFamily,
  validateSha,
  type CommentMarker,
} from './comment-marker.js';
import { GITHUB_COMMENT_LIMIT } from './split-comment.js';

export interface EnsureStickyCommentOptions {
  gh: GitHub;
  owner: string;
  repo: string;
  issueNumber: number;
  /** The family, e.g. `plan:production`. */
  marker: string;
  /** The head commit the parts describe; recorded in the marker. */
  headSha?: string | undefined;
  /** Bodies from splitMarkdown(…, { reserve: MARKER_RESERVE }). An empty list retires every part. */
  parts: readonly string[];
  /** Refuse to post more comments than this (default 10). */
  maxComments?: number;
  /**
   * 'edit' (default): edit the existing parts in place, whatever commit they describe.
   * 'repost': parts describing another commit are hidden as outdated and fresh parts are posted at
   * the bottom of the conversation (Atlantis' "hide previous plan comments").
   */
  strategy?: 'edit' | 'repost';
  /** Parts no longer needed (the body shrank, or duplicates from racing runs): 'delete' (default) or 'hide'. */
  surplus?: 'delete' | 'hide';
  /** Only comments by this login count as ours, e.g. `github-actions[bot]`. */
  author?: string;
}

export type CommentAction = 'created' | 'updated' | 'unchanged';
export type RetireAction = 'deleted' | 'minimized' | 'marked-outdated';

export interface StickyCommentResult {
  comments: { part: number; id: number; url: string; action: CommentAction }[];
  retired: { id: number; action: RetireAction }[];
}

interface OwnComment {
  id: number;
  nodeId: string;
  url: string;
  body: string;
  marker: CommentMarker;
}

export async function ensureStickyComment(options: EnsureStickyCommentOptions): Promise<StickyCommentResult> {
  const { gh, owner, repo, issueNumber, parts } = options;
  validateFamily(options.marker);
  validateSha(options.headSha);
  const maxComments = options.maxComments ?? 10;
  if (parts.length > maxComments) {
    throw new InternalError(`sticky comment ${options.marker}: ${parts.length} parts exceed maxComments ${maxComments}; split with maxParts`);
  }
  const bodies = parts.map((part, index) => {
    const marker = renderMarker({ family: options.marker, part: index + 1, parts: parts.length, sha: options.headSha });
    const body = `${marker}\n${part}`;
    if (body.length > GITHUB_COMMENT_LIMIT) {
      throw new InternalError(
        `sticky comment ${options.marker}: part ${index + 1} is ${body.length} characters, over GitHub's ${GITHUB_COMMENT_LIMIT}; ` +
          `split with splitMarkdown(body, { reserve: ${MARKER_RESERVE} })`,
      );
    }
    return body;
  });

  const own = await listOwnComments(options);
  const reusable = options.strategy === 'repost' ? own.filter((c) => c.marker.sha === options.headSha) : own;
  const outdated = own.filter((c) => !reusable.includes(c));
  // Newest wins when racing runs left two comments for the same part.
  const byPart = new Map<number, OwnComment>();
  for (const comment of [...reusable].sort((a, b) => a.id - b.id)) byPart.set(comment.marker.part, comment);

  const result: StickyCommentResult = { comments: [], retired: [] };
  for (const [index, body] of bodies.entries()) {
    const part = index + 1;
    const existing = byPart.get(part);
    if (existing === undefined) {
      const { data } = await gh.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
      result.comments.push({ part, id: data.id, url: data.html_url, action: 'created' });
    } else if (existing.body === body) {
      result.comments.push({ part, id: existing.id, url: existing.url, action: 'unchanged' });
    } else {
      const { data } = await gh.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      result.comments.push({ part, id: data.id, url: data.html_url, action: 'updated' });
    }
  }

  const kept = new Set(result.comments.map((c) => c.id));
  const surplus = reusable.filter((c) => !kept.has(c.id));
  for (const comment of surplus) {
    result.retired.push({ id: comment.id, action: await retireComment(options, comment, options.surplus ?? 'delete') });
  }
  // Hidden only now, so the pull request is never without a current plan comment.
  for (const comment of outdated) {
    result.retired.push({ id: comment.id, action: await retireComment(options, comment, 'hide') });
  }
  return result;
}

async function listOwnComments(options: EnsureStickyCommentOptions): Promise<OwnComment[]> {
  const { gh, owner, repo, issueNumber } = options;
  const comments = await gh.paginate(gh.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const own: OwnComment[] = [];
  for (const comment of comments) {
    const marker = parseMarker(comment.body);
    if (marker === undefined || marker.family !== options.marker) continue;
    if (options.author !== undefined && comment.user?.login !== options.author) continue;
    own.push({ id: comment.id, nodeId: comment.node_id, url: comment.html_url, body: comment.body ?? '', marker });
  }
  return own;
}

async function retireComment(
  options: EnsureStickyCommentOptions,
  comment: OwnComment,
  how: 'delete' | 'hide',
): Promise<RetireAction> {
  const { gh, owner, repo } = options;
  if (how === 'delete') {
    await gh.rest.issues.deleteComment({ owner, repo, comment_id: comment.id });
    return 'deleted';
  }
  // Marker first: a crash after this leaves a visible old comment, never a hidden current one.
  await gh.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body: retireBody(comment.body) });
  if (await minimizeAsOutdated(gh, comment.nodeId)) return 'minimized';
  await gh.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body: outdatedBody(comment, options.headSha) });
  return 'marked-outdated';
}

const MINIMIZE = `mutation($id: ID!, $classifier: ReportedContentClassifiers!) {
  minimizeComment(input: { subjectId: $id, classifier: $classifier }) { minimizedComment { isMinimized } }
}`;

/** False when GitHub refuses (GraphQL errors, 4xx): the caller falls back to editing the comment. */
async function minimizeAsOutdated(gh: GitHub, nodeId: string): Promise<boolean> {
  try {
    const data = await gh.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } } | null }>(MINIMIZE, {
      id: nodeId,
      classifier: 'OUTDATED',
    });
    return data.minimizeComment?.minimizedComment.isMinimized === true;
  } catch {
    return false;
  }
}

function outdatedBody(comment: OwnComment, headSha: string | undefined): string {
  const marker = retireBody(renderMarker(comment.marker));
  const was = comment.marker.sha === undefined ? '' : ` for commit ${comment.marker.sha.slice(0, 12)}`;
  const now = headSha === undefined ? '' : ` (now at ${headSha.slice(0, 12)})`;
  return `${marker}\n_This comment${was} is outdated${now}._`;
}

