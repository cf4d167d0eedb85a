// `dify-gitops serve` as a child process of the test (the built CLI), for tests that send it
// signals: builds dist when serve is missing from it, collects its JSON log lines, and waits for
// a line or for the exit.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CLI, startCli, type CliRun } from './cli-process.js';

const repoRoot = path.resolve(path.dirname(CLI), '../../..');

export function ensureServeBuilt(): void {
  if (existsSync(path.join(path.dirname(CLI), 'commands', 'serve-run.js'))) return;
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(repoRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
}

export interface ServeProcess extends CliRun {
  /** Parsed JSON log lines so far (stdout). */
  lines(): Record<string, unknown>[];
  waitForLine(what: string, match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  url(): Promise<string>;
}

export function startServe(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ServeProcess {
  ensureServeBuilt();
  const run = startCli(['serve', ...args], options);
  let buffer = '';
  const parsed: Record<string, unknown>[] = [];
  run.child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        parsed.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        parsed.push({ unparsable: line });
      }
    }
  });
  let exited = false;
  void run.done.then(() => (exited = true));
  const waitForLine: ServeProcess['waitForLine'] = async (what, match, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = parsed.find(match);
      if (found !== undefined) return found;
      if (exited) throw new Error(`serve exited before ${what}; stderr: ${(await run.done).stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    ...run,
    lines: () => parsed,
    waitForLine,
    url: async () => String((await waitForLine('the listening line', (l) => l.msg === 'serve: listening')).url),
  };
}
