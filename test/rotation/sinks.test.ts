// Sinks of an app key, end to end: a GitHub repository secret and an environment secret (sealed
// with the fake GitHub's real libsodium keys and decrypted by it), a 0600 file, and a command that
// gets the key on stdin only. A sink that fails keeps the old key valid and is retried next run.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useFakeGitHub } from '../support/fake-github.js';
import { scanForSecrets } from '../support/rotation-scan.js';
import { startRotationWorld, type RotationWorld } from '../support/rotation-world.js';

const COPY_STDIN = "let d='';process.stdin.setEncoding('utf8').on('data',(c)=>d+=c).on('end',()=>require('fs').writeFileSync(process.argv[1],d,{mode:0o600}))";
const ECHO_AND_FAIL = "let d='';process.stdin.on('data',(c)=>d+=c).on('end',()=>{process.stderr.write('vault refused '+d);process.exit(3)})";

let world: RotationWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('app key sinks', () => {
  const fake = useFakeGitHub();

  async function sinkWorld(sinks: (sinkDir: string) => unknown[]): Promise<RotationWorld> {
    const w = await startRotationWorld({
      github: fake(),
      rotation: (sinkDir) => ({ key: { kind: 'appApiKey', environment: 'prod', app: 'gated', sinks: sinks(sinkDir), gracePeriod: '100ms', quietPeriod: '100ms' } }),
    });
    w.repo.env.GH_SECRETS_TOKEN = fake().options.token;
    return w;
  }

  it('delivers each new key to GitHub (repository and environment secrets), a 0600 file and a command’s stdin', async () => {
    const { owner, repo } = fake().options;
    world = await sinkWorld((dir) => [
      { githubSecret: { repository: `${owner}/${repo}`, name: 'GATED_DIFY_KEY', tokenEnv: 'GH_SECRETS_TOKEN' } },
      { githubSecret: { repository: `${owner}/${repo}`, name: 'GATED_DIFY_KEY', environment: 'production', tokenEnv: 'GH_SECRETS_TOKEN' } },
      { file: join(dir, 'key.txt') },
      { command: [process.execPath, '-e', COPY_STDIN, join(dir, 'from-stdin.txt')] },
    ]);
    for (let i = 0; i < 2; i++) expect((await world.rotate({ force: true })).results[0]!.outcome).toBe('rotated');
    const [current] = await world.client.apiKeys.list(world.appId);
    const token = current!.token;
    expect(fake().secretValue('GATED_DIFY_KEY')).toBe(token);
    expect(fake().secretValue('GATED_DIFY_KEY', 'production')).toBe(token);
    expect(await readFile(join(world.sinkDir, 'key.txt'), 'utf8')).toBe(`${token}\n`);
    expect((await stat(join(world.sinkDir, 'key.txt'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(world.sinkDir, 'from-stdin.txt'), 'utf8')).toBe(token);
    const previous = (await world.ledger('key'))!.previous!.versionId;
    expect(previous).not.toBe(current!.id);
    // GitHub only ever saw sealed values; nothing else holds the key.
    expect(JSON.stringify(fake().requests)).not.toContain(token);
    const allowed = [join(world.sinkDir, 'key.txt'), join(world.sinkDir, 'from-stdin.txt')];
    expect(await scanForSecrets(world, [token], { allow: allowed })).toEqual([]);
  });

  it('keeps the old key when a sink cannot be written, and delivers on the next run', async () => {
    const { owner, repo } = fake().options;
    world = await sinkWorld((dir) => [{ file: join(dir, 'key.txt') }, { githubSecret: { repository: `${owner}/${repo}`, name: 'GATED_DIFY_KEY', tokenEnv: 'GH_SECRETS_TOKEN' } }]);
    await world.rotate({ force: true });
    const [old] = await world.client.apiKeys.list(world.appId);
    delete world.repo.env.GH_SECRETS_TOKEN;
    const failed = await world.rotate({ force: true });
    expect(failed.exitCode).toBe(1);
    expect(failed.results[0]!.message).toMatch(/GH_SECRETS_TOKEN .* is not set.*The old key stays valid; the next run delivers again.*resumes at step set/);
    expect((await world.client.apiKeys.list(world.appId)).map((k) => k.id)).toContain(old!.id);
    expect((await world.client.service(old!.token).info()).name).toBe('gated');

    world.repo.env.GH_SECRETS_TOKEN = fake().options.token;
    const resumed = await world.rotate();
    expect(resumed.results[0]!.outcome).toBe('rotated');
    const live = await world.client.apiKeys.list(world.appId);
    expect(live.map((k) => k.id)).not.toContain(old!.id);
    expect(fake().secretValue('GATED_DIFY_KEY')).toBe(live[0]!.token);
  });

  it('reports a failing command with its stderr, the key redacted', async () => {
    world = await sinkWorld(() => [{ command: [process.execPath, '-e', ECHO_AND_FAIL] }]);
    const report = await world.rotate({ force: true });
    expect(report.exitCode).toBe(1);
    const [pending] = await world.client.apiKeys.list(world.appId);
    expect(report.results[0]!.message).toMatch(/sink command .* exited with 3: vault refused \*\*\*/);
    expect(report.results[0]!.message).not.toContain(pending!.token);
    expect(await scanForSecrets(world, [pending!.token], { extra: { report: JSON.stringify(report) } })).toEqual([]);
  });
});
