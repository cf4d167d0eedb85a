import { describe, it, expect } from 'vitest';
import { maskSecretsInActions } from '../../src/github/mask.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { captureStdout } from '../support/capture-stdout.js';

describe('maskSecretsInActions', () => {
  it('announces known and future secrets with ::add-mask:: inside GitHub Actions', async () => {
    const redactor = new Redactor();
    redactor.add('early-secret-1');
    const stdout = await captureStdout(() => {
      expect(maskSecretsInActions(redactor, { env: { GITHUB_ACTIONS: 'true' } })).toBe(true);
      redactor.add('late-secret-2');
      redactor.add('line-one-aaa\nline-two-bbb');
    });
    const masks = stdout.trim().split('\n');
    expect(masks).toContain('::add-mask::early-secret-1');
    expect(masks).toContain(`::add-mask::${Buffer.from('early-secret-1').toString('base64')}`);
    expect(masks).toContain('::add-mask::late-secret-2');
    // The whole multi-line value (escaped by @actions/core) and each of its lines.
    expect(masks).toContain('::add-mask::line-one-aaa%0Aline-two-bbb');
    expect(masks).toContain('::add-mask::line-one-aaa');
    expect(masks).toContain('::add-mask::line-two-bbb');
    expect(masks.every((line) => line.startsWith('::add-mask::'))).toBe(true);
  });

  it('does nothing outside GitHub Actions', async () => {
    const redactor = new Redactor();
    const stdout = await captureStdout(() => {
      expect(maskSecretsInActions(redactor, { env: {} })).toBe(false);
      redactor.add('some-secret-value');
    });
    expect(stdout).toBe('');
  });
});
