// The example workflows for previews: the preview job in plan.yml runs the action after plan, only
// for the same repository (forks get no secrets) and only where a dev environment is named, with
// the dev login alone; the clean-up runs when a pull request closes and on a schedule.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = path.join(repoRoot, 'docs/examples/workflows');
type Json = Record<string, unknown>;
const load = (name: string) => parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Json;
const secretsIn = (value: unknown) => [...new Set([...JSON.stringify(value).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]))].sort();

describe('preview example workflows', () => {
  it('plan.yml: the preview job follows plan, skips forks and unconfigured repositories, holds only the dev login', () => {
    const jobs = load('plan.yml').jobs as Record<string, Json>;
    const preview = jobs.preview!;
    expect(preview.needs).toBe('plan');
    expect(preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository && vars.DIFY_PREVIEW_ENV != ''");
    expect(preview.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(secretsIn(preview)).toEqual(['DIFY_DEV_EMAIL', 'DIFY_DEV_PASSWORD']);
    const steps = preview.steps as Json[];
    expect((steps[0]!.with as Json)['fetch-depth']).toBe(0);
    // The action adds --github-comment on a pull request and takes the number from the event.
    expect(String(steps.at(-1)!.uses)).toMatch(/^dify-gitops\/dify-gitops@[0-9a-f]{40}$/);
    expect(steps.at(-1)!.with).toEqual({ command: 'preview', environment: '${{ vars.DIFY_PREVIEW_ENV }}' });
  });

  it('preview-cleanup.yml: on a closed pull request and on a schedule', () => {
    const doc = load('preview-cleanup.yml');
    expect(doc.on).toEqual({ pull_request: { types: ['closed'] }, schedule: [{ cron: '17 3 * * *' }] });
    const cleanup = (doc.jobs as Record<string, Json>).cleanup!;
    expect(cleanup.if).toContain("github.event_name == 'schedule' || github.event.pull_request.head.repo.full_name == github.repository");
    expect(secretsIn(cleanup)).toEqual(['DIFY_DEV_EMAIL', 'DIFY_DEV_PASSWORD']);
    const byEvent = (cleanup.steps as Json[]).filter((step) => typeof step.uses === 'string' && step.uses.startsWith('dify-gitops/'));
    expect(byEvent.map((step) => [step.if, (step.with as Json).command, (step.with as Json).args])).toEqual([
      ["github.event_name == 'pull_request'", 'preview', '--cleanup --pr ${{ github.event.pull_request.number }}'],
      ["github.event_name == 'schedule'", 'preview', '--cleanup --older-than 7d'],
    ]);
  });
});
