// drift policy `adopt`: bring what was published in the Dify UI into git by a pull request, one
// per environment (branch `dify-gitops/adopt-<env>`), rewritten on every run so it always holds
// the current live state. Each drifted app's DSL file gets git's document with the live app's
// workflow (or model config) and app fields, formatted like `fmt`; the body is the semantic diff
// git → live. Secret values are never written (live documents hold them blank).

import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { stringify } from 'yaml';
import type { DesiredApp } from '../config/types.js';
import { WORKFLOW_MODES, diffDsl, formatDsl, renderDiffMarkdown, type DslDocument } from '../dsl/index.js';
import { comparableDsl } from '../plan/comparable.js';
import { placeholderSecretValues, renderDesiredDsl } from '../plan/render-desired.js';
import type { LiveApp } from '../plan/types.js';
import type { ReconcileGitHub } from './types.js';

export interface AdoptItem {
  desired: DesiredApp;
  live: LiveApp;
}

/** GitHub's limit on a pull request body is 65,536 characters; leave room for the header. */
const BODY_BUDGET = 60_000;

export async function adoptPullRequest(github: ReconcileGitHub, repoRoot: string, environment: string, items: readonly AdoptItem[]): Promise<{ action: string; url: string; number: number }> {
  const prefix = await gitPrefix(repoRoot);
  const files: Record<string, string> = {};
  const sections: string[] = [];
  for (const { desired, live } of items) {
    files[posix.join(prefix, desired.source.dslFile)] = adoptedText(desired, live);
    sections.push(`### ${desired.name}\n\n${renderDiffMarkdown(adoptDiff(desired, live))}`);
  }
  const base = github.base ?? (await github.gh.rest.repos.get({ owner: github.owner, repo: github.repo })).data.default_branch;
  let body =
    `Apps in \`${environment}\` were published in the Dify UI with changes git does not have. Merging this pull request makes git match what is live.\n` +
    `Review environment-specific values: the live app carries \`${environment}\`'s overrides, which this commit writes into the shared DSL file.\n\n${sections.join('\n\n')}`;
  if (body.length > BODY_BUDGET) body = `${body.slice(0, BODY_BUDGET)}\n\n_(cut: run \`dify-gitops reconcile --env ${environment}\` to see every change)_`;
  // Loaded on first use: octokit stays out of a serve that never adopts.
  const { ensureFilesPullRequest } = await import('../github/pull-requests.js');
  const result = await ensureFilesPullRequest({
    gh: github.gh,
    owner: github.owner,
    repo: github.repo,
    base,
    branch: `dify-gitops/adopt-${environment}`,
    files,
    commitMessage: `Adopt live changes from ${environment}: ${items.map((i) => i.desired.name).join(', ')}`,
    title: `Adopt drift from ${environment}`,
    body,
  });
  return { action: result.action, url: result.url, number: result.number };
}

/** The semantic diff from git (rendered for this environment) to the live published app. */
export function adoptDiff(desired: DesiredApp, live: LiveApp): ReturnType<typeof diffDsl> {
  const want = comparableDsl(renderDesiredDsl(desired, live.draftEnvironmentVariables, placeholderSecretValues(desired)), desired.policies.ignore);
  return diffDsl(want, comparableDsl(live.published ?? { app: {} }, desired.policies.ignore));
}

/** Git's document with the live content: what the DSL file becomes. Pure. */
export function adoptedDocument(desired: DesiredApp, live: LiveApp): DslDocument {
  const git = structuredClone(desired.source.dsl.dsl);
  const published = live.published;
  if (published === null) return git;
  const app = { ...git.app, ...published.app };
  if (WORKFLOW_MODES.includes(desired.source.mode) && published.workflow !== undefined) return { ...git, app, workflow: published.workflow };
  return { ...git, app, ...(published.model_config === undefined ? {} : { model_config: published.model_config }) };
}

export function adoptedText(desired: DesiredApp, live: LiveApp): string {
  const text = stringify(adoptedDocument(desired, live), { lineWidth: 0 });
  const formatted = formatDsl(text, desired.source.dslFile);
  return formatted.ok ? formatted.text : text;
}

/** Where the config's directory is inside its git repository (`''` at the top or outside git). */
function gitPrefix(cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--show-prefix'], { cwd, timeout: 10_000, windowsHide: true }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
}
