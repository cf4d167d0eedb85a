import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPlan } from '../../src/cli/commands/plan-run.js';
import type { Simulator } from '../../src/simulator/server.js';
import { chatDsl, workflowDsl } from '../support/plan-builders.js';
import { applyIn, captureContext, createFixtureRepo, importCount, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const HEALTH = [{ name: 'verdict-schema', inputs: { topic: 'refunds' }, expect: { output: 'result', schema: 'verdict' } }];


describe('apply actions over the simulator (1.14.1)', () => {
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

  it('--dry-run prints the plan and changes nothing', async () => {
    await repo.writeApp({ name: 'dry', dsl: workflowDsl({ name: 'dry', prompt: GOOD }), healthChecks: HEALTH });
    const before = importCount(sim);
    const dry = await applyIn(repo, { app: ['dry'], dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^Plan: 1 to create\./);
    expect(importCount(sim)).toBe(before);
    expect(sim.state.apps.some((a) => a.name === 'dry')).toBe(false);
  });

  it('updates a chat app through its model config, live at once, then has nothing to do', async () => {
    const health = [{ name: 'answers', query: 'hello?', expect: { contains: 'short' } }];
    await repo.writeApp({ name: 'helper', dsl: chatDsl('RESPOND: short and sweet', 'helper'), healthChecks: health });
    expect((await applyIn(repo, { app: ['helper'] })).code).toBe(0);
    const app = sim.state.apps.find((a) => a.name === 'helper')!;
    expect(app.mode).toBe('chat');

    await repo.writeApp({ name: 'helper', dsl: chatDsl('RESPOND: short, now with more words', 'helper'), healthChecks: health });
    const update = await applyIn(repo, { app: ['helper'] });
    expect(update.code).toBe(0);
    expect(update.out).toMatch(/model-config update \(live at once\)/);
    expect(update.out).toMatch(/apply staging\/helper: applied/);
    expect(sim.state.apps.find((a) => a.id === app.id)!.model_config?.pre_prompt).toBe('RESPOND: short, now with more words');

    const before = importCount(sim);
    const again = await applyIn(repo, { app: ['helper'] });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Nothing to apply/);
    expect(importCount(sim)).toBe(before);
  });

  it('reports draft-only drift without touching it (warn), and re-imports git into the draft under heal', async () => {
    await repo.writeApp({ name: 'drifty', dsl: workflowDsl({ name: 'drifty', prompt: GOOD }), healthChecks: HEALTH });
    expect((await applyIn(repo, { app: ['drifty'] })).code).toBe(0);
    const app = sim.state.apps.find((a) => a.name === 'drifty')!;
    const publishedId = app.workflow_id;
    const client = simClient(sim);
    const draft = (await client.drafts.get(app.id))!;
    const graph = structuredClone(draft.graph) as { nodes: { id: string; data: Record<string, unknown> }[] };
    graph.nodes.find((n) => n.id === 'llm')!.data.title = 'Edited in the UI';
    await client.drafts.sync(app.id, { graph, features: draft.features, hash: draft.hash });
    const llmTitle = async () => ((await client.drafts.get(app.id))!.graph as typeof graph).nodes.find((n) => n.id === 'llm')!.data.title;

    const warn = await applyIn(repo, { app: ['drifty'] });
    expect(warn.code).toBe(0);
    expect(warn.out).toMatch(/draft-only drift/);
    expect(await llmTitle()).toBe('Edited in the UI');

    await repo.writeApp({ name: 'drifty', dsl: workflowDsl({ name: 'drifty', prompt: GOOD }), healthChecks: HEALTH, policies: { drift: 'heal' } });
    const heal = await applyIn(repo, { app: ['drifty'] });
    expect(heal.code).toBe(0);
    expect(heal.out).toMatch(/re-import git into the draft/);
    expect(await llmTitle()).toBe('LLM');
    expect(sim.state.apps.find((a) => a.id === app.id)!.workflow_id).toBe(publishedId);
    await client.close();
  });

  it('applies a saved plan exactly, and refuses a stale one without changing anything', async () => {
    await repo.writeApp({ name: 'planned', dsl: workflowDsl({ name: 'planned', prompt: GOOD }), healthChecks: HEALTH });
    const planCtx = captureContext(repo.dir, repo.env);
    expect(await runPlan(planCtx, { app: ['planned'], out: 'plan.json', revision: 'p1', message: 'saved' })).toBe(0);
    const applied = await applyIn(repo, { plan: 'plan.json' });
    expect(applied.code).toBe(0);
    const app = sim.state.apps.find((a) => a.name === 'planned')!;
    expect(sim.state.workflows.find((w) => w.id === app.workflow_id)!.marked_name).toBe('p1');

    await repo.writeApp({ name: 'planned', dsl: workflowDsl({ name: 'planned', prompt: 'RESPOND: {"verdict":"bad"}' }), healthChecks: HEALTH });
    expect(await runPlan(captureContext(repo.dir, repo.env), { app: ['planned'], out: 'plan2.json', revision: 'p2', message: 'saved' })).toBe(0);
    // Someone publishes in the Dify UI after the plan was made.
    const client = simClient(sim);
    await client.versions.publish(app.id);
    await client.close();
    const before = importCount(sim);
    const stale = await applyIn(repo, { plan: 'plan2.json' });
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/the saved plan is stale: the live app changed in Dify since it was made; nothing was applied/);
    expect(importCount(sim)).toBe(before);

    // And when git moved instead.
    expect(await runPlan(captureContext(repo.dir, repo.env), { app: ['planned'], out: 'plan3.json', revision: 'p3', message: 'saved' })).toBe(0);
    await repo.writeApp({ name: 'planned', dsl: workflowDsl({ name: 'planned', prompt: 'RESPOND: {"verdict":"ok"} v3' }), healthChecks: HEALTH });
    const gitMoved = await applyIn(repo, { plan: 'plan3.json' });
    expect(gitMoved.code).toBe(1);
    expect(gitMoved.out).toMatch(/the desired state \(git\) changed/);
    expect(importCount(sim)).toBe(before);
  });
});
