// One GitHub issue per environment (marker `drift:<env>`; per shard when sharded) that reconcile
// keeps current: opened or updated while drift remains, closed once it is gone. Draft-only drift
// is listed but never opens the issue on its own (nothing live changed).

import { ensureIssue, type EnsureIssueResult } from '../github/issues.js';
import type { ReconcileAppResult, ReconcileGitHub, ReconcileStatus } from './types.js';
import type { Shard } from './shard.js';

const OPENS_ISSUE: readonly ReconcileStatus[] = ['drift', 'adopted', 'rolled-back', 'heal-failed', 'skipped-failed-revision'];
const LISTED: readonly ReconcileStatus[] = [...OPENS_ISSUE, 'draft-only-drift'];
const BODY_BUDGET = 60_000;

export function driftMarker(environment: string, shard: Shard | undefined): string {
  return shard === undefined || shard.count === 1 ? `drift:${environment}` : `drift:${environment}:shard-${shard.index + 1}/${shard.count}`;
}

export function hasIssueWorthyDrift(results: readonly ReconcileAppResult[]): boolean {
  return results.some((r) => OPENS_ISSUE.includes(r.status));
}

/** The issue body (without the marker). Pure. */
export function renderDriftIssue(environment: string, results: readonly ReconcileAppResult[], runUrl: string | undefined): string {
  const listed = results.filter((r) => LISTED.includes(r.status));
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `dify-gitops reconcile found apps in \`${environment}\` that differ from git.`,
    '',
    '| app | status | detail |',
    '|---|---|---|',
    ...listed.map((r) => `| ${cell(r.app)} | ${r.status} | ${cell(r.detail ?? '')} |`),
    '',
    'This issue is updated by every reconcile and closed when the drift is gone.',
  ];
  if (runUrl !== undefined) lines.push(`Last run: ${runUrl}`);
  const body = lines.join('\n');
  return body.length <= BODY_BUDGET ? body : `${body.slice(0, BODY_BUDGET)}\n\n_(cut: run \`dify-gitops reconcile --env ${environment}\` for the whole list)_`;
}

export function reportDriftIssue(github: ReconcileGitHub, environment: string, shard: Shard | undefined, results: readonly ReconcileAppResult[]): Promise<EnsureIssueResult> {
  const open = hasIssueWorthyDrift(results);
  return ensureIssue({
    gh: github.gh,
    owner: github.owner,
    repo: github.repo,
    marker: driftMarker(environment, shard),
    title: `Drift in ${environment}${shard === undefined || shard.count === 1 ? '' : ` (shard ${shard.index + 1}/${shard.count})`}`,
    body: open ? renderDriftIssue(environment, results, github.runUrl) : `No drift in \`${environment}\` any more: git and Dify agree.${github.runUrl === undefined ? '' : `\n\nLast run: ${github.runUrl}`}`,
    state: open ? 'open' : 'closed',
  });
}
