// What `plan` prints and finds, against the simulator (1.14.1): the markdown format (table, one
// folded section per changed app), progress on a terminal and none when piped, a suspended app
// (planned, with a note that apply skips it), and missing-plugin findings from the plugins live
// workflow graphs use (plan reads workflow apps as JSON records, which carry no `dependencies`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPlan, type PlanOptions } from '../../src/cli/commands/plan-run.js';
import type { DslDocument } from '../../src/dsl/index.js';
import type { Plan } from '../../src/plan/types.js';
import type { Simulator } from '../../src/simulator/server.js';
import { workflowDsl } from '../support/plan-builders.js';
import { captureContext, createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const OK = 'RESPOND: {"verdict":"ok"}';

async function plan(repo: FixtureRepo, options: PlanOptions, isTTY = false) {
  const ctx = { ...captureContext(repo.dir, repo.env), isTTY };
  const code = await runPlan(ctx, { revision: 'abc1234', message: 'test', ...options });
  return { code, out: ctx.stdout(), err: ctx.stderr() };
}

function withDependencies(dsl: DslDocument, plugins: string[]): DslDocument {
  return { ...dsl, dependencies: plugins.map((id) => ({ type: 'marketplace', value: { marketplace_plugin_unique_identifier: `${id}:0.1.0@abc`, version: '0.1.0' }, current_identifier: null })) };
}

describe('plan output and findings (1.14.1)', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createFixtureRepo({ staging: sim.url });
    const client = simClient(sim);
    await seedApp(client, workflowDsl({ name: 'live-one', prompt: OK })); // uses langgenius/openai
    await client.close();
    await repo.writeApp({ name: 'live-one', dsl: workflowDsl({ name: 'live-one', prompt: OK }) });
    await repo.writeApp({ name: 'fresh', dsl: workflowDsl({ name: 'fresh', prompt: OK }) });
  });
  afterAll(async () => {
    await sim.close();
    await repo.cleanup();
  });

  it('--format markdown: a summary table, and a folded section for each app with changes only', async () => {
    const { code, out } = await plan(repo, { format: 'markdown', detailedExitcode: true });
    expect(code).toBe(2);
    expect(out).toMatch(/^### dify-gitops plan for `abc1234`\n/);
    expect(out).toContain('| Environment | App | Action | Summary |');
    expect(out).toContain('| staging | live-one | `no-op` | no changes |');
    expect(out).toMatch(/\| staging \| fresh \| `create` \| create: /);
    expect(out).toContain('<summary><b>staging / fresh</b>: create</summary>');
    expect(out).not.toContain('<summary><b>staging / live-one</b>');
    expect(out).toContain('- Secrets: `API_KEY` set from environment variable SECRET_API_KEY');
    expect(out.match(/<details>/g)).toHaveLength(1);
    expect(out.match(/<\/details>/g)).toHaveLength(1);
  });

  it('shows apps done / total on a terminal, and nothing when piped', async () => {
    const tty = await plan(repo, { format: 'json' }, true);
    expect(tty.err).toContain('\rplanning: 1/2 apps');
    expect(tty.err).toContain('\rplanning: 2/2 apps');
    expect(tty.err.endsWith('\r\x1b[2K')).toBe(true); // the line is cleared before the plan prints
    expect(JSON.parse(tty.out)).toMatchObject({ entries: [{ app: 'fresh' }, { app: 'live-one' }] });

    const piped = await plan(repo, { format: 'json' }, false);
    expect(piped.err).not.toContain('planning');
    expect(piped.err).not.toContain('\r');
  });

  it('plans a suspended app as usual and notes that apply skips it', async () => {
    await repo.writeApp({ name: 'paused', dsl: workflowDsl({ name: 'paused', prompt: OK }), policies: { suspend: true } });
    const { out } = await plan(repo, { format: 'json', app: ['paused', 'fresh'] });
    const entries = (JSON.parse(out) as Plan).entries;
    const paused = entries.find((e) => e.app === 'paused')!;
    expect(paused).toMatchObject({ action: 'create', changes: true });
    expect(paused.notes).toContain('suspended (policies.suspend): apply skips this app until the policy is lifted');
    expect(entries.find((e) => e.app === 'fresh')!.notes.join(' ')).not.toContain('suspended');
    const text = await plan(repo, { app: ['paused'] });
    expect(text.out).toContain('note: suspended (policies.suspend): apply skips this app');
  });

  it('warns about a plugin no live app uses, and not about one a live workflow graph uses', async () => {
    await repo.writeApp({ name: 'plugged', dsl: withDependencies(workflowDsl({ name: 'plugged', prompt: OK }), ['langgenius/openai', 'langgenius/anthropic']) });
    // What is known installed comes from the apps plan reads: here live-one's graph (openai).
    const { out } = await plan(repo, { format: 'json', app: ['plugged', 'live-one'] });
    const entry = (JSON.parse(out) as Plan).entries.find((e) => e.app === 'plugged')!;
    const plugins = entry.findings.filter((f) => f.code === 'missing-plugin');
    expect(plugins.map((f) => f.severity)).toEqual(['warning']);
    expect(plugins[0]!.message).toMatch(/^plugin langgenius\/anthropic is not used by any app in staging/);
    expect(entry.blocked).toBe(false);
  });
});
