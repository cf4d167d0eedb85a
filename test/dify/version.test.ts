import { describe, expect, it } from 'vitest';
import { selectAuthMode } from '../../src/dify/auth.js';
import { DifyUnsupportedError } from '../../src/dify/errors.js';
import { capabilitiesOf, compareVersions, parseServerVersion, versionAtLeast } from '../../src/dify/version.js';

const v = (raw: string) => {
  const parsed = parseServerVersion(raw);
  if (!parsed) throw new Error(raw);
  return parsed;
};
const password = { kind: 'password', email: 'a@b.c', password: 'pw' } as const;
const adminKey = { kind: 'admin-key', apiKey: 'k', workspaceId: 'w' } as const;

describe('parseServerVersion', () => {
  it('parses releases, pre-releases and two-part versions', () => {
    expect(v('1.14.1')).toMatchObject({ major: 1, minor: 14, patch: 1 });
    expect(v('2.0.0-beta.2')).toMatchObject({ major: 2, minor: 0, patch: 0, raw: '2.0.0-beta.2' });
    expect(v('0.15')).toMatchObject({ major: 0, minor: 15, patch: 0 });
    expect(parseServerVersion('latest')).toBeUndefined();
  });

  it('compares numerically, not as strings', () => {
    expect(compareVersions(v('1.10.0'), v('1.9.2'))).toBeGreaterThan(0);
    expect(versionAtLeast(v('1.11.2'), '1.11.2')).toBe(true);
    expect(versionAtLeast(v('1.11.1'), '1.11.2')).toBe(false);
  });
});

describe('auth mode per version (contract §1.4)', () => {
  it.each([
    ['0.15.3', 'body-token'],
    ['1.0.0', 'body-token'],
    ['1.9.1', 'body-token'],
    ['1.9.2', 'cookie-plain-password'],
    ['1.11.1', 'cookie-plain-password'],
    ['1.11.2', 'cookie-base64-password'],
    ['1.14.1', 'cookie-base64-password'],
  ])('%s with a password uses %s', (version, mode) => {
    expect(selectAuthMode(v(version), password)).toBe(mode);
  });

  it('accepts the admin key before 1.9.2 and from 1.11.0', () => {
    for (const version of ['1.0.0', '1.9.1', '1.11.0', '1.14.1']) expect(selectAuthMode(v(version), adminKey)).toBe('admin-key');
  });

  it('refuses the admin key on 1.9.2–1.10.x with a clear error', () => {
    for (const version of ['1.9.2', '1.10.1']) {
      expect(() => selectAuthMode(v(version), adminKey)).toThrow(DifyUnsupportedError);
      expect(() => selectAuthMode(v(version), adminKey)).toThrow(/cannot pass the console CSRF check/);
    }
  });
});

describe('capabilitiesOf', () => {
  it('follows the milestones', () => {
    expect(capabilitiesOf(v('1.12.1'))).toMatchObject({ tagIdsQuery: 'comma', tagBindings: 'v1', workflowRestore: false, draftHashCoversFeatures: true, logoutMethod: 'POST' });
    expect(capabilitiesOf(v('1.13.3')).workflowRestore).toBe(true);
    expect(capabilitiesOf(v('1.14.1'))).toMatchObject({ tagIdsQuery: 'indexed', tagBindings: 'v2', draftVariablesPost: true, draftHashCoversFeatures: false });
    expect(capabilitiesOf(v('1.0.0'))).toMatchObject({ versionMarks: false, checkDependencies: true, multiCredentialProviders: false, logoutMethod: 'GET' });
    expect(capabilitiesOf(v('0.15.3')).checkDependencies).toBe(false);
  });
});
