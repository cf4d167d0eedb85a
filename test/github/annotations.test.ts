import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, expect, vi } from 'vitest';
import * as core from '@actions/core';
import {
  publishDiagnostics,
  renderAnnotation,
  renderDiagnosticsSummary,
  writeJobSummary,
} from '../../src/github/annotations.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { captureStdout } from '../support/capture-stdout.js';
import { testClient } from '../support/github-test-client.js';

const SHA = 'c'.repeat(40);

function diagnostics(count: number, severity: Diagnostic['severity'] = 'error'): Diagnostic[] {
  return Array.from({ length: count }, (_, i) => ({
    file: `apps/app-${String(i).padStart(3, '0')}.yml`,
    line: i + 1,
    col: (i % 7) + 1,
    severity,
    code: 'DSL004',
    message: `Unresolved reference {{#node_${i}.text#}}`,
  }));
}

function publish(fake: FakeGitHub, list: Diagnostic[]) {
  const { gh } = testClient(fake);
  return publishDiagnostics({
    gh,
    owner: 'acme',
    repo: 'dify-apps',
    headSha: SHA,
    name: 'dify-gitops / validate',
    title: `${list.length} problems`,
    summary: 'Validation of the Dify apps',
    diagnostics: list,
  });
}

describe('publishDiagnostics', () => {
  const fake = useFakeGitHub();

  it('sends annotations 50 per request and completes the check run with the last batch', async () => {
    const result = await publish(fake(), [...diagnostics(100), ...diagnostics(20, 'warning')]);
    expect(result).toMatchObject({ via: 'check-run', annotations: 120, requests: 3 });
    const [run] = fake().state.checkRuns;
    expect(run!.batches).toEqual([50, 50, 20]);
    expect(run!.annotations).toHaveLength(120);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', name: 'dify-gitops / validate', head_sha: SHA });
    expect(fake().requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 200', 'PATCH 200']);
    // Only the last request completes the run: GitHub would otherwise mark it done too early.
    expect(fake().requests.map((r) => (r.body as { status?: string }).status)).toEqual(['in_progress', undefined, 'completed']);
    expect(run!.annotations[0]).toEqual({
      path: 'apps/app-000.yml',
      start_line: 1,
      end_line: 1,
      start_column: 1,
      end_column: 1,
      annotation_level: 'failure',
      message: 'Unresolved reference {{#node_0.text#}}',
      title: 'DSL004',
    });
  });

  it('uses one request for up to 50 annotations, and concludes neutral on warnings, success on none', async () => {
    await publish(fake(), diagnostics(50, 'warning'));
    await publish(fake(), []);
    expect(fake().state.checkRuns.map((r) => [r.conclusion, r.annotations.length, r.batches])).toEqual([
      ['neutral', 50, [50]],
      ['success', 0, []],
    ]);
    expect(fake().requests).toHaveLength(2);
  });

  it('falls back to ::error workflow commands when the token may not create check runs', async () => {
    fake().options.checksWritable = false;
    const list: Diagnostic[] = [
      { file: 'apps/a,b.yml', line: 3, col: 5, severity: 'error', code: 'DSL001', message: 'missing end node\nadd one' },
      { file: 'apps/c.yml', line: 0, col: 0, severity: 'warning', code: 'DSL009', message: '100% of nodes unused' },
      { file: 'apps/d.yml', line: 9, col: 0, severity: 'info', code: 'DSL010', message: 'note', path: '/workflow/graph' },
    ];
    let result: Awaited<ReturnType<typeof publish>> | undefined;
    const stdout = await captureStdout(async () => {
      result = await publish(fake(), list);
    });
    expect(result).toEqual({ via: 'workflow-commands', reason: 'Resource not accessible by integration', annotations: 3 });
    expect(stdout.trim().split('\n')).toEqual([
      '::error title=DSL001,file=apps/a%2Cb.yml,line=3,col=5::missing end node%0Aadd one',
      '::warning title=DSL009,file=apps/c.yml::100%25 of nodes unused',
      '::notice title=DSL010,file=apps/d.yml,line=9::note (at /workflow/graph)',
    ]);
    expect(fake().requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /repos/acme/dify-apps/check-runs 403']);
  });

  it('does not hide other failures behind the fallback', async () => {
    fake().inject({ method: 'POST' }, { status: 404, body: { message: 'Not Found' } });
    await expect(publish(fake(), diagnostics(1))).rejects.toThrow(/check-runs failed \(404\): Not Found/);
  });
});

describe('renderAnnotation', () => {
  it('puts whole-file problems on line 1 without columns', () => {
    expect(renderAnnotation({ file: 'a.yml', line: 0, col: 0, severity: 'info', code: 'X', message: 'm' })).toEqual({
      path: 'a.yml',
      start_line: 1,
      end_line: 1,
      annotation_level: 'notice',
      message: 'm',
      title: 'X',
    });
  });
});

describe('job summary', () => {
  it('renders a table with escaped cells and appends it to GITHUB_STEP_SUMMARY', async () => {
    const markdown = renderDiagnosticsSummary('Validation', [
      { file: 'apps/x.yml', line: 2, col: 0, severity: 'error', code: 'DSL001', message: 'a | b\n<script>' },
    ]);
    expect(markdown).toBe(
      [
        '### Validation',
        '',
        '1 errors, 0 warnings, 0 notes.',
        '',
        '| Severity | Location | Code | Message |',
        '| --- | --- | --- | --- |',
        '| error | apps/x.yml:2:1 | DSL001 | a \\| b<br>&lt;script> |',
      ].join('\n'),
    );

    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    expect(await writeJobSummary(markdown)).toBe(false);

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'summary-')), 'step_summary.md');
    writeFileSync(file, 'earlier step\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    expect(await writeJobSummary(markdown, core.summary)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`earlier step\n${markdown}\n`);
  });
});
