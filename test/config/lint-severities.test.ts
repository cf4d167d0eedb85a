// The `lint.severities` section of dify-gitops.yaml changes what DSL lint reports, per rule.

import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/config/index.js';
import { BASE_CONFIG, BASE_DSL, edit, lineOf, makeRepo } from '../support/config-repo.js';

const NEWER_DSL = edit(BASE_DSL, 'version: 0.6.0', 'version: 0.7.0');

async function load(config: string): Promise<Awaited<ReturnType<typeof loadRepository>>> {
  const root = makeRepo({ 'dify-gitops.yaml': config, 'workflows/triage/triage.dsl.yml': NEWER_DSL });
  return loadRepository({ cwd: root, env: {} });
}

describe('lint.severities', () => {
  it('keeps default severities when the section is absent', async () => {
    const repo = await load(BASE_CONFIG);
    const found = repo.diagnostics.filter((d) => d.code === 'DSL018');
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((d) => d.severity === 'error')).toBe(true); // prod expects DSL 0.6.0: the import would be pending
  });

  it('turns a rule off by name', async () => {
    const repo = await load(`${BASE_CONFIG}lint:\n  severities:\n    dsl-version: off\n`);
    expect(repo.diagnostics.filter((d) => d.code === 'DSL018')).toEqual([]);
  });

  it('changes a rule severity by code', async () => {
    const repo = await load(`${BASE_CONFIG}lint:\n  severities:\n    DSL018: info\n`);
    const found = repo.diagnostics.filter((d) => d.code === 'DSL018');
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((d) => d.severity))).toEqual(new Set(['info']));
  });

  it('rejects an unknown rule at its line, with a suggestion', async () => {
    const config = `${BASE_CONFIG}lint:\n  severities:\n    unreachable-nodes: off\n`;
    const repo = await load(config);
    const problem = repo.diagnostics.find((d) => d.code === 'lint-unknown-rule');
    expect(problem).toMatchObject({ file: 'dify-gitops.yaml', line: lineOf(config, 'unreachable-nodes'), severity: 'error' });
    expect(problem?.message).toContain('did you mean `unreachable-node`?');
    expect(repo.valid).toBe(false);
  });

  it('rejects a severity that is not one of error, warning, info, off', async () => {
    const config = `${BASE_CONFIG}lint:\n  severities:\n    DSL012: loud\n`;
    const repo = await load(config);
    expect(repo.diagnostics.find((d) => d.code === 'schema-enum')?.line).toBe(lineOf(config, 'loud'));
  });
});
