import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';
import { readSecretSource } from '../../src/secrets/sources.js';

const CANARY = 'canary-secret-4b1d9e27f0';

async function ctx(env: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; cwd: string; redactor: Redactor }> {
  return { env: { PATH: process.env.PATH, ...env }, cwd: await mkdtemp(join(tmpdir(), 'dify-gitops-src-')), redactor: new Redactor() };
}

describe('readSecretSource', () => {
  it('reads an environment variable and registers it for redaction', async () => {
    const c = await ctx({ OPENAI_KEY: CANARY });
    expect(await readSecretSource({ env: 'OPENAI_KEY' }, c)).toBe(CANARY);
    expect(c.redactor.redact(`key=${CANARY}`)).toBe('key=***');
  });

  it('names a missing variable without inventing a value', async () => {
    const c = await ctx();
    await expect(readSecretSource({ env: 'NOPE' }, c)).rejects.toThrow('environment variable NOPE is not set');
  });

  it('reads a file relative to cwd, dropping one trailing newline', async () => {
    const c = await ctx();
    await writeFile(join(c.cwd, 'key.txt'), `${CANARY}\n`);
    expect(await readSecretSource({ file: 'key.txt' }, c)).toBe(CANARY);
    expect(c.redactor.has(CANARY)).toBe(true);
  });

  it('reports an unreadable file by name and errno only', async () => {
    const c = await ctx();
    await expect(readSecretSource({ file: 'missing.txt' }, c)).rejects.toThrow('cannot read secret file missing.txt (ENOENT)');
  });

  it('runs a command without a shell and takes its stdout', async () => {
    const c = await ctx();
    // A shell would expand $HOME and the semicolon; execFile passes them through literally.
    const value = await readSecretSource({ command: [process.execPath, '-e', 'process.stdout.write(process.argv[1])', '$HOME;echo'] }, c);
    expect(value).toBe('$HOME;echo');
  });

  it('masks the output of a failing command and keeps it out of the error', async () => {
    const c = await ctx();
    const script = join(c.cwd, 'leaky.sh');
    await writeFile(script, `#!/bin/sh\necho ${CANARY}\nexit 3\n`);
    await chmod(script, 0o755);
    const error = (await readSecretSource({ command: [script] }, c).then(
      () => new Error('expected the command to fail'),
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/exited with 3/);
    expect(error.message).not.toContain(CANARY);
    expect(c.redactor.has(CANARY)).toBe(true);
  });

  it('refuses an empty secret', async () => {
    const c = await ctx({ EMPTY: '' });
    await expect(readSecretSource({ env: 'EMPTY' }, c)).rejects.toThrow(/empty secret/);
  });
});
