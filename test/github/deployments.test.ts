import { describe, it, expect } from 'vitest';
import {
  createDeployment,
  renderDeploymentStatus,
  setDeploymentStatus,
  truncateDescription,
} from '../../src/github/deployments.js';
import { useFakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';

const SHA = 'd'.repeat(40);
const RUN_URL = 'https://github.com/acme/dify-apps/actions/runs/4242';

describe('deployments', () => {
  const fake = useFakeGitHub();

  it('records a deploy as in_progress then success, linked to the run', async () => {
    const { gh } = testClient(fake());
    const target = { gh, owner: 'acme', repo: 'dify-apps' };
    const { id } = await createDeployment({ ...target, sha: SHA, environment: 'production' });
    await setDeploymentStatus({ ...target, deploymentId: id, outcome: { kind: 'in_progress' }, logUrl: RUN_URL });
    await setDeploymentStatus({ ...target, deploymentId: id, outcome: { kind: 'success', version: 'v42' }, logUrl: RUN_URL });

    const [deployment] = fake().state.deployments;
    expect(deployment).toMatchObject({
      id,
      ref: SHA,
      sha: SHA,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: true,
    });
    expect(deployment!.statuses.map((s) => [s.state, s.description, s.log_url, s.environment_url])).toEqual([
      ['in_progress', 'Importing, publishing and checking health', RUN_URL, RUN_URL],
      ['success', 'Deployed v42; healthy', RUN_URL, RUN_URL],
    ]);

    // What a reader of the GitHub API sees (newest first).
    const listed = await gh.rest.repos.listDeploymentStatuses({ owner: 'acme', repo: 'dify-apps', deployment_id: id });
    expect(listed.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    const deployments = await gh.rest.repos.listDeployments({ owner: 'acme', repo: 'dify-apps', environment: 'production' });
    expect(deployments.data.map((d) => d.id)).toEqual([id]);
  });

  it('shows a rollback as a failure saying which version is live again', async () => {
    const { gh } = testClient(fake());
    const target = { gh, owner: 'acme', repo: 'dify-apps' };
    const { id } = await createDeployment({ ...target, sha: SHA, environment: 'staging', transient: true });
    await setDeploymentStatus({ ...target, deploymentId: id, outcome: { kind: 'in_progress' }, logUrl: RUN_URL });
    const long = `Health check "answers-in-json" failed 3 of 3 times: ${'output did not match the schema; '.repeat(6)}`;
    await setDeploymentStatus({
      ...target,
      deploymentId: id,
      outcome: { kind: 'rolled_back', toVersion: 'v41 (2025-01-01)', reason: long },
      logUrl: RUN_URL,
      environmentUrl: 'https://dify.example.com/app/123',
    });
    const [deployment] = fake().state.deployments;
    expect(deployment).toMatchObject({ environment: 'staging', transient_environment: true, production_environment: false });
    const last = deployment!.statuses.at(-1)!;
    expect(last.state).toBe('failure');
    expect(last.description.length).toBeLessThanOrEqual(140);
    expect(last.description).toMatch(/^Health check "answers-in-json" failed 3 of 3 times: .*…; rolled back to v41 \(2025-01-01\)$/);
    expect(last.environment_url).toBe('https://dify.example.com/app/123');
  });
});

describe('renderDeploymentStatus', () => {
  it('maps outcomes to GitHub states a person can read', () => {
    expect(renderDeploymentStatus({ kind: 'rolled_back', toVersion: 'v7' })).toEqual({
      state: 'failure',
      description: 'Health checks failed; rolled back to v7',
    });
    expect(renderDeploymentStatus({ kind: 'rollback_failed', reason: 'import 500' })).toEqual({
      state: 'error',
      description: 'Rollback failed, needs a human: import 500',
    });
    expect(renderDeploymentStatus({ kind: 'failure', reason: 'publish refused' })).toEqual({
      state: 'failure',
      description: 'Deploy failed: publish refused',
    });
  });

  it('truncates to 140 characters without splitting a surrogate pair', () => {
    const text = truncateDescription('🙂'.repeat(100));
    expect(text.length).toBeLessThanOrEqual(140);
    expect(text.endsWith('🙂…')).toBe(true);
  });
});
