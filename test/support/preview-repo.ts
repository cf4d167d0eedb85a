// A fixture repository for preview tests: the gitops-repo fixture with its environment marked
// `dev: true`, made a git repository, with a helper that commits the working tree (for the base
// and each push of a pull request).

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { createFixtureRepo, type FixtureRepo } from './gitops-repo.js';

const exec = promisify(execFile);

export interface PreviewRepo extends FixtureRepo {
  /** Commits everything; returns the commit id. */
  commit(message: string): Promise<string>;
}

export async function createPreviewRepo(environments: Record<string, string>, devEnvironments: readonly string[]): Promise<PreviewRepo> {
  const repo = await createFixtureRepo(environments);
  const configPath = join(repo.dir, 'dify-gitops.yaml');
  const config = parse(await readFile(configPath, 'utf8')) as { environments: Record<string, Record<string, unknown>> };
  for (const name of devEnvironments) config.environments[name]!.dev = true;
  await writeFile(configPath, stringify(config));
  const git = async (...args: string[]): Promise<string> =>
    (await exec('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=Test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo.dir })).stdout.trim();
  await git('init', '-q', '-b', 'main');
  return {
    ...repo,
    async commit(message) {
      await git('add', '-A');
      await git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}
