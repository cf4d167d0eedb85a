// In GitHub Actions, every secret the CLI reads is masked in the job log (::add-mask::) the moment
// it is read, before anything else can print it. Runs the built CLI the way a workflow step does.

import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/config-repo.js';

const CANARY = 'canary-password-5e1f0a9b3c';

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'dist/src/cli/main.js'), ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('secrets in GitHub Actions', () => {
  it('are masked with ::add-mask:: as soon as they are read, and appear nowhere else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dify-gitops-mask-'));
    for (const entry of ['dify-gitops.yaml', 'workflows', 'schemas']) await cp(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
    const env = {
      PATH: process.env.PATH,
      GITHUB_ACTIONS: 'true',
      DIFY_DEV_URL: 'http://127.0.0.1:9', // nothing listens: the login fails after the password was read
      DIFY_DEV_EMAIL: 'ci@example.com',
      DIFY_DEV_PASSWORD: CANARY,
      DEV_TICKET_API_TOKEN: 'unused-ticket-token-77aa',
    };
    const { code, output } = await runCli(['plan', '--env', 'dev', '--revision', 'abc1234', '--message', 'test'], env, root);
    expect(code).toBe(1);
    const lines = output.split('\n');
    expect(lines).toContain(`::add-mask::${CANARY}`);
    expect(lines.filter((line) => line.includes(CANARY) && !line.startsWith('::add-mask::'))).toEqual([]);
  });

  it('are not announced outside GitHub Actions', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dify-gitops-mask-'));
    for (const entry of ['dify-gitops.yaml', 'workflows', 'schemas']) await cp(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
    const env = { PATH: process.env.PATH, DIFY_DEV_URL: 'http://127.0.0.1:9', DIFY_DEV_EMAIL: 'ci@example.com', DIFY_DEV_PASSWORD: CANARY, DEV_TICKET_API_TOKEN: 'x-token-1234' };
    const { output } = await runCli(['plan', '--env', 'dev', '--revision', 'abc1234', '--message', 'test'], env, root);
    expect(output).not.toContain('::add-mask::');
    expect(output).not.toContain(CANARY);
  });
});
