import { describe, expect, it } from 'vitest';
import { dslVersionOfServer, expectImportOutcome, versionRuleOfServer } from '../../src/plan/import-outcome.js';

describe('dslVersionOfServer', () => {
  it.each([
    ['1.14.1', '0.6.0'],
    ['1.13.0', '0.6.0'],
    ['1.12.1', '0.5.0'],
    ['1.9.1', '0.4.0'],
    ['1.7.2', '0.3.1'],
    ['1.3.0', '0.2.0'],
    ['1.0.0', '0.1.5'],
    ['0.15.3', '0.1.5'],
    ['2.0.0-beta.2', '0.6.0'],
  ])('Dify %s writes DSL %s', (server, dsl) => {
    expect(dslVersionOfServer(server)).toBe(dsl);
  });

  it('uses the strict rule before 1.3.1, including 1.3.0', () => {
    expect(versionRuleOfServer('1.3.0')).toBe('strict');
    expect(versionRuleOfServer('1.3.1')).toBe('relaxed');
    expect(versionRuleOfServer('1.0.0')).toBe('strict');
  });
});

describe('expectImportOutcome', () => {
  const relaxed = { dslVersion: '0.6.0', versionRule: 'relaxed' as const };
  const strict = { dslVersion: '0.1.5', versionRule: 'strict' as const };
  it.each([
    ['0.6.0', 'completed'],
    ['0.6.1', 'pending'],
    ['0.7.0', 'pending'],
    ['1.0.0', 'pending'],
    ['0.5.0', 'completed-with-warnings'],
    ['0.1.5', 'completed-with-warnings'],
    [undefined, 'completed-with-warnings'],
    ['abc', 'failed'],
  ])('relaxed rule: %s on a 0.6.0 server → %s', (file, status) => {
    expect(expectImportOutcome(file, relaxed).status).toBe(status);
  });

  it.each([
    ['0.1.5', 'completed'],
    ['0.1.4', 'completed-with-warnings'],
    ['0.2.0', 'pending'],
    ['0.6.0', 'pending'],
    [undefined, 'completed-with-warnings'],
  ])('strict rule: %s on a 0.1.5 server → %s', (file, status) => {
    expect(expectImportOutcome(file, strict).status).toBe(status);
  });

  it('names the version gap in its message', () => {
    expect(expectImportOutcome('0.6.0', { dslVersion: '0.5.0', versionRule: 'relaxed' }).message).toMatch(/DSL 0\.6\.0 → server 0\.5\.0: the file is newer/);
  });
});
