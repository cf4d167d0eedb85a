import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBranchName, syncRepository } from '../../src/runtime/git-sync.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

/** origin (bare), an author's clone that pushes, and the controller's clone. */
function world(): { author: string; clone: string; commit(text: string): string } {
  const root = mkdtempSync(join(tmpdir(), 'dify-gitops-git-'));
  dirs.push(root);
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
  git(root, 'clone', '--quiet', 'origin.git', 'author');
  const author = join(root, 'author');
  const commit = (text: string): string => {
    writeFileSync(join(author, 'dify-gitops.yaml'), text);
    git(author, 'add', '.');
    git(author, 'commit', '--quiet', '-m', text);
    git(author, 'push', '--quiet', 'origin', 'HEAD:main');
    return git(author, 'rev-parse', 'HEAD');
  };
  commit('one');
  git(root, 'clone', '--quiet', 'origin.git', 'controller');
  return { author, clone: join(root, 'controller'), commit };
}

describe('syncRepository', () => {
  it('fetches and checks out the tip of the tracked branch, discarding local edits', async () => {
    const w = world();
    const second = w.commit('two');
    writeFileSync(join(w.clone, 'dify-gitops.yaml'), 'edited by hand');
    const result = await syncRepository({ repoDir: w.clone, branch: 'main', env: GIT_ENV });
    expect(result.commit).toBe(second);
    expect(readFileSync(join(w.clone, 'dify-gitops.yaml'), 'utf8')).toBe('two');
    expect(await syncRepository({ repoDir: w.clone, branch: 'main', env: GIT_ENV })).toEqual({ commit: second });
  });

  it('names the failing git step and the repository', async () => {
    const w = world();
    await expect(syncRepository({ repoDir: w.clone, branch: 'nope', env: GIT_ENV })).rejects.toThrow(/git fetch in .*controller failed: .*nope/);
  });

  it('refuses branch names that could be read as options or escape refs/heads', () => {
    for (const bad of ['--upload-pack=x', 'a..b', 'a b', 'main.lock', '']) expect(() => checkBranchName(bad)).toThrow(/not a branch name/);
    expect(checkBranchName('release/1.2')).toBe('release/1.2');
  });
});
