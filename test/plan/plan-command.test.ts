import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPlan } from '../../src/cli/commands/plan-run.js';
import { parsePlanFile } from '../../src/plan/plan-file.js';
import type { Simulator } from '../../src/simulator/server.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chatDsl, workflowDsl } from '../support/plan-builders.js';
import { captureContext, createFixtureRepo, PASSWORD, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const OK_PROMPT = 'RESPOND: {"verdict":"ok"}';

async function plan(repo: FixtureRepo, ...extra: [Record<string, unknown>?]) {
  const ctx = captureContext(repo.dir, repo.env);
  const code = await runPlan(ctx, { format: 'json', detailedExitcode: true, revision: 'abc1234', message: 'test', ...extra[0] });
  const stdout = ctx.stdout();
  return { code, plan: JSON.parse(stdout) as { entries: { app: string; action: string; summary: string; findings: { code: string }[]; diff: { summary: { total: number } } | null }[] }, stderr: ctx.stderr() };
}

describe('plan against the simulator (1.14.1)', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createFixtureRepo({ staging: sim.url });
  });
  afterAll(async () => {
    await sim.close();
    await repo.cleanup();
  });

  it('plans create, then no-op once the same DSL is live, then update when git changes, then draft-only drift', async () => {
    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OK_PROMPT }) });
    const first = await plan(repo);
    expect(first.code).toBe(2);
    expect(first.plan.entries.map((e) => e.action)).toEqual(['create']);

    const client = simClient(sim);
    const appId = await seedApp(client, workflowDsl({ name: 'demo', prompt: OK_PROMPT }));
    const second = await plan(repo);
    expect(second.plan.entries[0]).toMatchObject({ action: 'no-op' });
    expect(second.code).toBe(0);

    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: {"verdict":"maybe"}' }) });
    const third = await plan(repo);
    expect(third.plan.entries[0]).toMatchObject({ action: 'update' });
    expect(third.plan.entries[0]!.summary).toMatch(/nodes: 1 changed/);

    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OK_PROMPT }) });
    const draft = await client.drafts.get(appId);
    const graph = structuredClone(draft!.graph) as { nodes: { id: string; data: Record<string, unknown> }[] };
    graph.nodes.find((n) => n.id === 'llm')!.data.title = 'Renamed in the UI';
    await client.drafts.sync(appId, { graph, features: draft!.features, hash: draft!.hash });
    const fourth = await plan(repo);
    expect(fourth.plan.entries[0]).toMatchObject({ action: 'draft-only-drift' });
    expect(fourth.code).toBe(0);
    await client.close();
  });

  it('plans a model-config update for a chat app and writes a plan file without secret values', async () => {
    repo.env.SECRET_API_KEY = 'canary-plan-e2e-0b7c';
    const client = simClient(sim);
    await seedApp(client, chatDsl('You are chatty.', 'helper'));
    await client.close();
    await repo.writeApp({ name: 'helper', dsl: chatDsl('You are terse.', 'helper') });
    const result = await plan(repo, { app: ['helper'], out: 'plan.json' });
    expect(result.plan.entries[0]).toMatchObject({ app: 'helper', action: 'update-model-config' });
    const saved = parsePlanFile(await readFile(join(repo.dir, 'plan.json'), 'utf8'), 'plan.json');
    expect(saved.entries[0]?.digests.live).toMatch(/^sha256:/);
    expect(saved.revision).toEqual({ id: 'abc1234', subject: 'test' });
    const text = await readFile(join(repo.dir, 'plan.json'), 'utf8');
    expect(text).not.toContain('canary-plan-e2e-0b7c');
    expect(text).not.toContain(PASSWORD);
  });
});

describe('plan against the simulator (1.12.1)', () => {
  it('reads the published version and the draft on an older release too: create, then no-op', async () => {
    const sim = await startSim('1.12.1');
    const repo = await createFixtureRepo({ staging: sim.url });
    try {
      await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OK_PROMPT, version: '0.5.0' }) });
      expect((await plan(repo)).plan.entries.map((e) => e.action)).toEqual(['create']);
      const client = simClient(sim);
      await seedApp(client, workflowDsl({ name: 'demo', prompt: OK_PROMPT, version: '0.5.0' }));
      await client.close();
      const second = await plan(repo);
      expect(second.plan.entries.map((e) => e.action)).toEqual(['no-op']);
      expect(second.code).toBe(0);
    } finally {
      await sim.close();
      await repo.cleanup();
    }
  });
});
