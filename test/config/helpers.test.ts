// The config layer's small pure helpers: globs, version ranges, durations, policy cascade, JSON
// Pointers, field paths, "did you mean" and the literal-credential name test.

import { describe, expect, it } from 'vitest';
import { didYouMean, formatFieldPath, pointerToSegments, segmentsToPointer } from '../../src/config/field-path.js';
import { globBase, globEscapesRoot, globToRegExp } from '../../src/config/glob.js';
import { DEFAULT_POLICIES, mergePolicies, parseDuration, satisfiesVersionRange } from '../../src/config/index.js';
import { getAtPointer, setAtPointer } from '../../src/config/json-pointer.js';
import { findLiteralSecrets, looksLikeSecretName } from '../../src/config/literal-secrets.js';

describe('glob', () => {
  it.each([
    ['workflows/*/app.yaml', 'workflows/a/app.yaml', true],
    ['workflows/*/app.yaml', 'workflows/a/b/app.yaml', false],
    ['workflows/**/app.yaml', 'workflows/app.yaml', true],
    ['workflows/**/app.yaml', 'workflows/a/b/app.yaml', true],
    ['apps/*.{yaml,yml}', 'apps/x.yml', true],
    ['apps/?.yaml', 'apps/xy.yaml', false],
    ['a.b/*.yaml', 'aXb/c.yaml', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });

  it('walks from the fixed prefix and refuses patterns that leave the repository', () => {
    expect(globBase('workflows/*/app.yaml')).toBe('workflows');
    expect(globBase('apps/support/**/app.yaml')).toBe('apps/support');
    expect(globBase('*.yaml')).toBe('');
    expect(globEscapesRoot('../x/*.yaml')).toBe(true);
    expect(globEscapesRoot('/etc/*.yaml')).toBe(true);
    expect(globEscapesRoot('workflows/../../x')).toBe(true);
    expect(globEscapesRoot('workflows/*/app.yaml')).toBe(false);
  });
});

describe('satisfiesVersionRange', () => {
  it.each([
    ['1.14.1', '>=1.9.2 <2.0.0', true],
    ['1.9.1', '>=1.9.2', false],
    ['1.14.1', '1.14.1', true],
    ['1.14.0', '=1.14.1', false],
    ['1.13.3', '<1.14', true],
    ['2.0.0', '>1.99.99', true],
    ['v1.0.0', '>=1.0.0 <=1.0.0', true],
    ['not a version', '>=1.0.0', false],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfiesVersionRange(version, range)).toBe(expected);
  });
});

describe('policies', () => {
  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
  });

  it('cascades scalars and accumulates ignore rules', () => {
    const root = mergePolicies(DEFAULT_POLICIES, { drift: 'heal', ignore: [{ path: '/a' }] });
    const app = mergePolicies(root, { sync: 'manual', reconcileInterval: '2m', ignore: [{ path: '/b', nodeType: 'llm', reason: 'r' }] });
    expect(app).toEqual({
      sync: 'manual',
      drift: 'heal',
      prune: false,
      suspend: false,
      allowPendingImport: false,
      reconcileIntervalMs: 120_000,
      ignore: [{ path: '/a' }, { path: '/b', nodeType: 'llm', reason: 'r' }],
    });
    expect(mergePolicies(app, undefined)).toBe(app);
  });
});

describe('JSON Pointer', () => {
  const doc = { a: { 'b/c': [10, { d: 'x' }], '~': 1 } };

  it('finds values, including escaped keys and array items, and says where a path breaks', () => {
    expect(getAtPointer(doc, '/a/b~1c/1/d')).toEqual({ found: true, value: 'x' });
    expect(getAtPointer(doc, '/a/~0')).toEqual({ found: true, value: 1 });
    expect(getAtPointer(doc, '/a/b~1c/5')).toEqual({ found: false, missingAt: '/a/b~1c/5' });
    expect(getAtPointer(doc, '/a/nope/deeper')).toEqual({ found: false, missingAt: '/a/nope' });
    expect(getAtPointer(doc, '/a/b~1c/0/toString')).toEqual({ found: false, missingAt: '/a/b~1c/0/toString' });
  });

  it('replaces by copying along the path, leaving the original intact', () => {
    const next = setAtPointer(doc, '/a/b~1c/1/d', 'y');
    expect(next.a['b/c'][1]).toEqual({ d: 'y' });
    expect(doc.a['b/c'][1]).toEqual({ d: 'x' });
    expect(next.a['b/c'][0]).toBe(10);
  });
});

describe('field paths and suggestions', () => {
  it('formats paths people can read and round-trips pointers', () => {
    expect(formatFieldPath(['environments', 'prod', 'url'])).toBe('environments.prod.url');
    expect(formatFieldPath(['healthChecks', 0, 'expect'])).toBe('healthChecks[0].expect');
    expect(formatFieldPath(['nodes', 'classify', '/model/name'])).toBe('nodes.classify["/model/name"]');
    expect(formatFieldPath([])).toBe('(top level)');
    expect(pointerToSegments(segmentsToPointer(['a/b', 0, '~x']))).toEqual(['a/b', 0, '~x']);
  });

  it('suggests close names only', () => {
    expect(didYouMean('urll', ['url', 'urlEnv', 'dev'])).toBe('url');
    expect(didYouMean('PasswordEnv', ['passwordEnv'])).toBe('passwordEnv');
    expect(didYouMean('database', ['url', 'dev'])).toBeUndefined();
  });
});

describe('literal credentials', () => {
  it('recognises credential-like names but not references or limits', () => {
    for (const name of ['password', 'adminApiKey', 'api_key', 'OPENAI_API_KEY', 'clientSecret', 'token', 'PRIVATE_KEY', 'credentials']) {
      expect(looksLikeSecretName(name), name).toBe(true);
    }
    for (const name of ['passwordEnv', 'passwordFrom', 'maxTokens', 'url', 'keepLive', 'toolCredentialsEnv']) {
      expect(looksLikeSecretName(name), name).toBe(false);
    }
  });

  it('finds string values under such names anywhere except in test inputs', () => {
    const found = findLiteralSecrets({
      auth: { password: 'p1', passwordEnv: 'P' },
      secrets: { API_TOKEN: 's1', OTHER_TOKEN: { env: 'X' } },
      envVars: { MAX_TOKEN: 100 },
      healthChecks: [{ inputs: { token: 'test-input' } }],
    });
    expect(found).toEqual([
      { segments: ['auth', 'password'], value: 'p1' },
      { segments: ['secrets', 'API_TOKEN'], value: 's1' },
    ]);
  });
});
