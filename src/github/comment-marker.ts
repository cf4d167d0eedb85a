// The hidden HTML comment that opens every comment dify-gitops owns on a pull request:
//   <!-- dify-gitops:plan:production:part-2/3 sha=0123abc -->
// It names the comment family (`plan:production`), the part, and the head commit it describes,
// so later runs find their own comments without any state of their own. Pure.

import { InternalError } from '../errors.js';

export interface CommentMarker {
  /** The comment family, e.g. `plan:production`: one sticky comment (set of parts) per family. */
  family: string;
  part: number;
  parts: number;
  sha: string | undefined;
}

const FAMILY = /^[A-Za-z0-9_.:/@+-]{1,100}$/;
const LIVE = /^<!-- dify-gitops:(\S+?):part-(\d+)\/(\d+)(?: sha=([0-9A-Za-z]+))? -->/;
/** Retired comments keep a marker that no longer matches LIVE, so they are never picked up again. */
const RETIRED_PREFIX = '<!-- dify-gitops-retired:';

/** Upper bound of `renderMarker(...)` plus its newline, for `splitMarkdown({ reserve })`. */
export const MARKER_RESERVE = 256;

export function validateFamily(family: string): void {
  if (!FAMILY.test(family) || family.includes('--') || /:part-\d/.test(family)) {
    throw new InternalError(
      `comment marker "${family}" must be 1-100 characters of letters, digits and _.:/@+- without "--" or ":part-"`,
    );
  }
}

export function renderMarker(marker: CommentMarker): string {
  const sha = marker.sha === undefined ? '' : ` sha=${marker.sha}`;
  return `<!-- dify-gitops:${marker.family}:part-${marker.part}/${marker.parts}${sha} -->`;
}

/** The marker at the very start of a comment body, if it is one of ours and still live. */
export function parseMarker(body: string | undefined | null): CommentMarker | undefined {
  const match = LIVE.exec(body ?? '');
  if (match === null) return undefined;
  return { family: match[1]!, part: Number(match[2]), parts: Number(match[3]), sha: match[4] };
}

/** The body with its live marker turned into a retired one (content kept, so a hidden comment can still be read). */
export function retireBody(body: string): string {
  return body.replace(/^<!-- dify-gitops:/, RETIRED_PREFIX);
}

export function validateSha(sha: string | undefined): void {
  if (sha !== undefined && !/^[0-9A-Za-z]{1,64}$/.test(sha)) {
    throw new InternalError(`comment marker sha "${sha}" must be letters and digits (a commit sha)`);
  }
}

/** The marker that opens an issue body dify-gitops owns, e.g. `<!-- dify-gitops:issue:drift:production -->`. */
export function renderIssueMarker(family: string): string {
  return `<!-- dify-gitops:issue:${family} -->`;
}

export function hasIssueMarker(body: string | undefined | null, family: string): boolean {
  return (body ?? '').startsWith(renderIssueMarker(family));
}
