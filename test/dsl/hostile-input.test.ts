// Hostile DSL input through parseDsl, formatDsl and the diff command: each gives a clear,
// positioned error in bounded time and memory instead of a crash.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as runDiff } from '../../src/cli/commands/diff-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { formatDsl, parseDsl } from '../../src/dsl/index.js';
import { ExitCode } from '../../src/exit-codes.js';
import { captureCli } from '../support/capture-cli.js';
import { workflowYaml } from '../support/dsl-builders.js';

function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\napp: {name: bomb, mode: workflow, icon: *a9}\nkind: app\nworkflow: {graph: {nodes: [], edges: []}}\n`;
}

const HOSTILE: [string, () => string, string][] = [
  ['an alias bomb', aliasBomb, 'yaml-alias-bomb'],
  ['a 50 MB file', () => `app: {name: big, mode: workflow}\nkind: app\nworkflow:\n  features:\n    pad: '${'x'.repeat(50 * 1024 * 1024)}'\n`, 'yaml-too-large'],
  ['10,000-deep flow nesting', () => `app: {name: deep, mode: workflow}\nkind: app\nworkflow: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'yaml-too-deep'],
  [
    '10,000-deep block nesting',
    () => `app: {name: deep, mode: workflow}\nkind: app\nworkflow:\n  pad:\n  ${'- '.repeat(10_000)}1\n`,
    'yaml-too-deep',
  ],
];

describe('hostile input', () => {
  for (const [what, make, code] of HOSTILE) {
    it(`${what}: parseDsl and formatDsl refuse it with ${code}`, () => {
      const text = make();
      const parsed = parseDsl(text, 'evil.yml');
      expect(parsed.ok).toBe(false);
      expect(parsed.diagnostics[0]).toMatchObject({ file: 'evil.yml', severity: 'error', code });
      expect(parsed.diagnostics[0]!.line).toBeGreaterThan(0);
      const formatted = formatDsl(text, 'evil.yml');
      expect(formatted.ok).toBe(false);
    });

    it(`${what}: diff exits 1 with the error, no crash`, async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'dify-gitops-hostile-'));
      writeFileSync(path.join(root, 'evil.yml'), make());
      writeFileSync(path.join(root, 'ok.yml'), workflowYaml());
      const cli = captureCli(root);
      const exit = await runCommand(cli.ctx, () => runDiff(cli.ctx, 'ok.yml', 'evil.yml', {}));
      expect(exit).toBe(ExitCode.Error);
      expect(cli.stderr()).toContain(code);
      expect(cli.stderr()).toContain('evil.yml');
      expect(cli.stderr()).not.toMatch(/internal error|at .*\.ts:\d+/);
    });
  }
});
