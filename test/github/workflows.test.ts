// The GitHub Actions files we ship: the example workflows users copy (docs/examples/workflows),
// the project's own CI, and action.yml. Parsed with the yaml package and held to the rules in
// docs/github-actions.md: actions pinned by commit SHA with a version comment, least-privilege
// permissions, no pull_request_target, one never-cancelled concurrency group per environment for
// apply, and no `${{ }}` expressions spliced into shell scripts.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../src/diagnostics.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = path.join(repoRoot, 'docs/examples/workflows');
const OWN_CI = path.join(repoRoot, '.github/workflows');

/** The SHAs we verified against the upstream tags. */
const VERIFIED: Record<string, { sha: string; version: string }> = {
  'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  'actions/setup-node': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/cache': { sha: '0400d5f644dc74513175e3cd8d07132dd4860809', version: 'v4.2.4' },
};

type Json = Record<string, unknown>;

function load(file: string): { text: string; doc: Json } {
  const text = readFileSync(file, 'utf8');
  const parsed = parseDocument(text);
  expect(parsed.errors.map((e) => e.message), file).toEqual([]);
  return { text, doc: parsed.toJS() as Json };
}

function files(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

function jobsOf(doc: Json): [string, Json][] {
  return Object.entries((doc.jobs ?? {}) as Record<string, Json>);
}

function stepsOf(job: Json): Json[] {
  return (job.steps ?? []) as Json[];
}

function usesOf(step: Json): string {
  return typeof step.uses === 'string' ? step.uses : '';
}

/** Every `uses:` line of the raw text with its trailing comment, so the version comment is checked too. */
function usesLines(text: string): { ref: string; comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(?:\s*#\s*(.*))?$/gm)].map((m) => ({ ref: m[1]!, comment: (m[2] ?? '').trim() }));
}

const examples = files(EXAMPLES);
const allWorkflows = [...examples, ...files(OWN_CI)];

describe('workflow files', () => {
  it('finds the five example workflows and the project CI', () => {
    expect(examples.map((f) => path.basename(f)).sort()).toEqual(['apply.yml', 'plan.yml', 'preview-cleanup.yml', 'reconcile.yml', 'rotate.yml']);
    expect(allWorkflows.length).toBeGreaterThanOrEqual(5);
  });

  it.each([...allWorkflows, path.join(repoRoot, 'action.yml')])('%s: pins every action to a full commit SHA with a version comment', (file) => {
    const { text } = load(file);
    const uses = usesLines(text);
    expect(uses.length, file).toBeGreaterThan(0);
    for (const { ref, comment } of uses) {
      const [name, sha] = ref.split('@') as [string, string | undefined];
      expect(sha, `${file}: ${ref}`).toMatch(/^[0-9a-f]{40}$/);
      expect(comment, `${file}: ${ref} needs a version comment`).toMatch(/^v\d+\.\d+\.\d+/);
      const verified = VERIFIED[name];
      if (verified !== undefined) expect(`${sha} ${comment}`, `${file}: ${name}`).toBe(`${verified.sha} ${verified.version}`);
    }
  });

  it.each(allWorkflows)('%s: sets permissions, never uses pull_request_target, checks out without persisting the token', (file) => {
    const { doc, text } = load(file);
    expect(doc.permissions, `${file}: top-level permissions`).toBeDefined();
    const on = doc.on as Json | string | string[];
    const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
    expect(events, file).not.toContain('pull_request_target');
    expect(text).not.toMatch(/pull_request_target\s*:/);
    for (const [name, job] of jobsOf(doc)) {
      for (const step of stepsOf(job).filter((s) => usesOf(s).startsWith('actions/checkout@'))) {
        expect((step.with as Json | undefined)?.['persist-credentials'], `${file}: job ${name} checkout`).toBe(false);
      }
    }
  });

  it.each(examples)('%s: grants permissions per job, nothing at workflow level', (file) => {
    const { doc } = load(file);
    expect(doc.permissions, file).toEqual({});
    for (const [name, job] of jobsOf(doc)) {
      expect(job.permissions, `${file}: job ${name}`).toBeDefined();
      for (const [scope, level] of Object.entries(job.permissions as Json)) {
        expect(['read', 'write', 'none'], `${file}: ${name}.${scope}`).toContain(level);
      }
    }
  });

  it('plan: validate runs for forks without secrets; the live plan is skipped for forks and may comment', () => {
    const { doc } = load(path.join(EXAMPLES, 'plan.yml'));
    expect(Object.keys(doc.on as Json)).toEqual(['pull_request']);
    const jobs = Object.fromEntries(jobsOf(doc));
    expect(jobs.validate!.if).toBeUndefined();
    expect(JSON.stringify(jobs.validate)).not.toContain('secrets.');
    expect(jobs.validate!.permissions).toEqual({ contents: 'read' });
    expect(jobs.plan!.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(jobs.plan!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', checks: 'write' });
    expect(stepsOf(jobs.plan!).find((s) => s.id === 'plan')?.with).toEqual({ command: 'plan' });
  });

  it('apply: one never-cancelled concurrency group per environment, deployments: write, staging before prod', () => {
    const { doc } = load(path.join(EXAMPLES, 'apply.yml'));
    expect(Object.keys(doc.on as Json).sort()).toEqual(['push', 'workflow_dispatch']);
    const jobs = jobsOf(doc);
    expect(jobs.map(([name]) => name)).toEqual(['apply-staging', 'apply-prod']);
    for (const [name, job] of jobs) {
      const environment = job.environment as string;
      expect(environment, name).toMatch(/^(staging|prod)$/);
      expect(job.concurrency, name).toEqual({ group: `dify-gitops-${environment}`, 'cancel-in-progress': false });
      expect(job.permissions, name).toEqual({ contents: 'read', deployments: 'write' });
      expect(stepsOf(job).find((s) => usesOf(s).startsWith('dify-gitops/'))?.with, name).toEqual({ command: 'apply', environment });
    }
    expect(Object.fromEntries(jobs)['apply-prod']!.needs).toBe('apply-staging');
  });

  it.each(allWorkflows)('%s: caches only reconcile memory and the app registry, never snapshots (they hold secrets)', (file) => {
    const { doc } = load(file);
    for (const [name, job] of jobsOf(doc)) {
      for (const step of stepsOf(job).filter((s) => usesOf(s).startsWith('actions/cache@'))) {
        const paths = String((step.with as Json).path).trim().split('\n').map((p) => p.trim());
        expect(paths, `${file} ${name}`).toEqual(['.dify-gitops/reconcile', '.dify-gitops/apps']);
      }
    }
  });

  it('reconcile keeps its memory between runs: a cache per environment restored by prefix', () => {
    const { doc } = load(path.join(EXAMPLES, 'reconcile.yml'));
    for (const [name, job] of jobsOf(doc)) {
      const environment = job.environment as string;
      const steps = stepsOf(job);
      const cache = steps.findIndex((s) => usesOf(s).startsWith('actions/cache@'));
      const run = steps.findIndex((s) => usesOf(s).startsWith('dify-gitops/'));
      expect(cache, name).toBeGreaterThanOrEqual(0);
      expect(cache, name).toBeLessThan(run);
      expect((steps[cache]!.with as Json)['restore-keys'], name).toBe(`dify-gitops-reconcile-${environment}-`);
    }
  });

  it('reconcile and rotate share the environment\'s concurrency group and ask only for what they need', () => {
    const reconcile = load(path.join(EXAMPLES, 'reconcile.yml')).doc;
    expect(Object.keys(reconcile.on as Json).sort()).toEqual(['schedule', 'workflow_dispatch']);
    for (const [name, job] of jobsOf(reconcile)) {
      expect(job.concurrency, name).toEqual({ group: `dify-gitops-${String(job.environment)}`, 'cancel-in-progress': false });
      expect(job.permissions, name).toEqual({ contents: 'write', 'pull-requests': 'write', issues: 'write' });
    }
    const rotate = load(path.join(EXAMPLES, 'rotate.yml')).doc;
    for (const [name, job] of jobsOf(rotate)) {
      expect(job.concurrency, name).toEqual({ group: `dify-gitops-${String(job.environment)}`, 'cancel-in-progress': false });
      expect(job.permissions, name).toEqual({ contents: 'read' });
      expect(stepsOf(job).find((s) => usesOf(s).startsWith('dify-gitops/'))?.with).toMatchObject({ command: 'rotate', 'github-token': '${{ secrets.DIFY_GITOPS_SECRETS_TOKEN }}' });
    }
  });
});

describe('action.yml', () => {
  const { doc } = load(path.join(repoRoot, 'action.yml'));

  it('is a composite action with the documented inputs and outputs', () => {
    expect(Object.keys(doc.inputs as Json)).toEqual(['command', 'environment', 'config', 'github-token', 'github-reporting', 'args', 'working-directory', 'node-version']);
    expect(Object.keys(doc.outputs as Json)).toEqual(['exit-code', 'has-changes', 'plan-file']);
    expect((doc.runs as Json).using).toBe('composite');
  });

  it('never splices an expression into a shell script (inputs reach scripts as environment variables)', () => {
    const steps = ((doc.runs as Json).steps ?? []) as Json[];
    const scripts = steps.filter((s) => typeof s.run === 'string').map((s) => s.run as string);
    expect(scripts.length).toBe(2);
    for (const script of scripts) expect(script).not.toContain('${{');
  });

  it('ships a problem matcher that reads the diagnostics dify-gitops prints', () => {
    const matcher = JSON.parse(readFileSync(path.join(repoRoot, '.github/problem-matchers/dify-gitops.json'), 'utf8')) as { problemMatcher: { owner: string; pattern: { regexp: string }[] }[] };
    const [positioned, wholeFile] = matcher.problemMatcher.map((m) => new RegExp(m.pattern[0]!.regexp));
    const at: Diagnostic = { file: 'workflows/bot/bot.dsl.yml', line: 3, col: 5, severity: 'error', code: 'DSL001', message: 'missing end node: add one' };
    const file: Diagnostic = { ...at, line: 0, col: 0, severity: 'warning', code: 'config-x' };
    expect(positioned!.exec(formatDiagnostic(at))?.slice(1)).toEqual(['workflows/bot/bot.dsl.yml', '3', '5', 'error', 'DSL001', 'missing end node: add one']);
    expect(wholeFile!.exec(formatDiagnostic(at))).toBeNull();
    expect(wholeFile!.exec(formatDiagnostic(file))?.slice(1)).toEqual(['workflows/bot/bot.dsl.yml', 'warning', 'config-x', 'missing end node: add one']);
    expect(positioned!.exec(formatDiagnostic({ ...at, severity: 'info' }))).toBeNull();
  });
});
