// The pure parts of previews: which apps a pull request changes, names and ages, the comment
// section (replaced in place, never duplicated) and its table.

import { describe, expect, it } from 'vitest';
import type { DesiredApp } from '../../src/config/types.js';
import { withPreviewSection } from '../../src/github/preview-comment.js';
import { selectChangedApps } from '../../src/preview/changed-apps.js';
import { parseAge, parsePullRequestNumber, previewName, previewTags } from '../../src/preview/naming.js';
import { previewFailed, renderPreviewMarkdown } from '../../src/preview/render-previews.js';
import type { PreviewRunResult } from '../../src/preview/types.js';

function app(name: string, schemaFile?: string): DesiredApp {
  const schema = schemaFile === undefined ? undefined : { name: 'verdict', file: schemaFile };
  return {
    name,
    source: { manifestFile: `workflows/${name}/app.yaml`, dslFile: `workflows/${name}/${name}.dsl.yml` },
    healthChecks: [{ name: 'c', expect: { schema } }],
  } as unknown as DesiredApp;
}

describe('selectChangedApps', () => {
  const apps = [app('alpha', 'schemas/outputs/verdict.schema.yaml'), app('beta'), app('gamma')];
  const select = (files: string[]) => selectChangedApps(apps, { changedFiles: files, configFile: 'dify-gitops.yaml' }).map((a) => a.name);

  it('picks apps whose manifest, DSL or directory changed', () => {
    expect(select(['workflows/beta/beta.dsl.yml'])).toEqual(['beta']);
    expect(select(['workflows/gamma/app.yaml', 'README.md'])).toEqual(['gamma']);
    expect(select(['workflows/alpha/prompts/extra.txt'])).toEqual(['alpha']);
    expect(select(['workflows/alphabet/x.yml'])).toEqual([]); // a prefix of a name is not the directory
  });
  it('picks apps whose checks use a changed output schema; the root config changes every app', () => {
    expect(select(['schemas/outputs/verdict.schema.yaml'])).toEqual(['alpha']);
    expect(select(['dify-gitops.yaml'])).toEqual(['alpha', 'beta', 'gamma']);
    expect(select(['docs/x.md'])).toEqual([]);
  });
});

describe('naming', () => {
  it('names and tags previews after the app and the pull request', () => {
    expect(previewName('ticket-triage', 12)).toBe('ticket-triage [pr-12]');
    expect(previewTags(12)).toEqual(['dify-gitops-preview', 'pr-12']);
  });
  it('parses ages and pull request numbers, naming the flag when wrong', () => {
    expect(parseAge('7d')).toBe(7 * 86_400_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('0m')).toBe(0);
    expect(() => parseAge('7 days')).toThrow(/--older-than must be a number with a unit/);
    expect(parsePullRequestNumber('42')).toBe(42);
    expect(() => parsePullRequestNumber('abc')).toThrow(/--pr must be a pull request number/);
    expect(() => parsePullRequestNumber('0')).toThrow(/--pr/);
  });
});

describe('withPreviewSection', () => {
  const plan = '<!-- dify-gitops:plan:dev:part-1/1 sha=abc -->\n## Plan for dev\n\n| app |';
  it('appends the section once and replaces it on the next run', () => {
    const once = withPreviewSection(plan, '### Preview apps\nfirst');
    expect(once.startsWith(plan)).toBe(true);
    const twice = withPreviewSection(once, '### Preview apps\nsecond');
    expect(twice.match(/### Preview apps/g)).toHaveLength(1);
    expect(twice).toContain('second');
    expect(twice).not.toContain('first');
    expect(twice.startsWith(plan)).toBe(true);
  });
  it('stays under GitHub\'s comment limit', () => {
    const body = withPreviewSection(plan, `### Preview apps\n${'x'.repeat(70_000)}`);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('too long for this comment');
  });
});

describe('renderPreviewMarkdown', () => {
  const run: PreviewRunResult = {
    environment: 'dev',
    pr: 3,
    selected: ['a', 'b'],
    selectedBy: 'changed since origin/main',
    secrets: 'none',
    results: [
      {
        app: 'a',
        previewName: 'a [pr-3]',
        appId: 'id-a',
        mode: 'workflow',
        action: 'updated',
        workflowId: 'w',
        health: {
          passed: false,
          checks: [{ name: 'schema', passed: false, passes: 1, attempts: 2, required: 2, summary: '', verdicts: [
            { passed: true, reasons: [], latencyMs: 120.4, totalTokens: 50 },
            { passed: false, reasons: ['output `result` does not satisfy schema v: /x | y'], latencyMs: 300.6, totalTokens: 70 },
          ] }],
        },
      },
      { app: 'b', previewName: 'b [pr-3]', appId: null, mode: 'chat', action: 'failed', workflowId: null, health: undefined, error: 'Dify refused the import' },
    ],
  };
  it('reports pass/fail, max latency and tokens, and the reasons, with pipes escaped', () => {
    const md = renderPreviewMarkdown(run);
    expect(md).toContain('❌ 2 of 2 previews failed.');
    expect(md).toContain('| a | a [pr-3] (updated) | schema | ❌ fail 1/2 | 301 ms | 70 | output `result` does not satisfy schema v: /x \\| y |');
    expect(md).toContain('| b | b [pr-3] (failed) | — | ❌ not built | — | — | Dify refused the import |');
    expect(md).toContain('secrets: none');
    expect(run.results.map(previewFailed)).toEqual([true, true]);
  });
});
