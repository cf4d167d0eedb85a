// apply's guards and edges against the simulator, each checked on Dify's state: a mode change is
// refused (replace-required) with nothing changed; a stale lock of a dead owner on another host is
// refused without --break-stale-lock and broken with it; a suspended app is skipped and reported;
// a first deploy that fails its checks leaves a human something to look at (exit 4, what is live
// printed); and on 1.0.0 (no export by workflow_id) the snapshot is the published record with the
// draft's secrets, and rolling back to it works.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DslDocument } from '../../src/dsl/index.js';
import type { Simulator } from '../../src/simulator/server.js';
import { chatDsl, workflowDsl } from '../support/plan-builders.js';
import { applyIn, createFixtureRepo, importCount, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';
import { filesUnder } from '../support/files-under.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const BAD = 'RESPOND: {"verdict":"maybe"}';
const HEALTH = [{ name: 'verdict-schema', inputs: { topic: 'refunds' }, expect: { output: 'result', schema: 'verdict' } }];


describe('apply guards (1.14.1)', () => {
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

  it('refuses an app whose mode changed (replace-required), naming why, and changes nothing live', async () => {
    const client = simClient(sim);
    const appId = await seedApp(client, chatDsl('You are chatty.', 'shifty'));
    await client.close();
    const before = structuredClone(sim.state.apps.find((a) => a.id === appId)!);
    await repo.writeApp({ name: 'shifty', dsl: workflowDsl({ name: 'shifty', prompt: GOOD }), healthChecks: HEALTH });
    const importsBefore = importCount(sim);
    const result = await applyIn(repo, { app: ['shifty'] });
    expect(result.code).toBe(1);
    expect(result.out).toContain('apply refuses: staging/shifty (replace-required:');
    expect(result.out).toContain("Dify cannot change an app's mode (chat → workflow); apply refuses");
    expect(importCount(sim)).toBe(importsBefore);
    expect(sim.state.apps.filter((a) => a.name === 'shifty')).toHaveLength(1);
    expect(sim.state.apps.find((a) => a.id === appId)).toEqual(before);
  });

  it('reports a stale lock left by a dead owner, refuses without --break-stale-lock and breaks it with the flag', async () => {
    await repo.writeApp({ name: 'locked', dsl: workflowDsl({ name: 'locked', prompt: GOOD }), healthChecks: HEALTH });
    const lockDir = join(repo.dir, '.dify-gitops', 'locks', 'staging');
    await mkdir(lockDir, { recursive: true });
    const holder = { owner: 'ci@runner-that-died pid 4242', pid: 4242, acquiredAt: '2026-01-01T10:00:00.000Z', expiresAt: '2026-01-01T10:15:00.000Z', purpose: 'apply' };
    await writeFile(join(lockDir, 'locked.lock'), JSON.stringify(holder));

    const refused = await applyIn(repo, { app: ['locked'] });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('apply staging/locked: FAILED (nothing changed)');
    expect(refused.out).toContain('is held by ci@runner-that-died pid 4242 (apply): it expired at 2026-01-01T10:15:00.000Z and looks stale; re-run with --break-stale-lock');
    expect(sim.state.apps.some((a) => a.name === 'locked')).toBe(false);
    expect(JSON.parse(await readFile(join(lockDir, 'locked.lock'), 'utf8'))).toEqual(holder);

    const broken = await applyIn(repo, { app: ['locked'], breakStaleLock: true });
    expect(broken.code).toBe(0);
    expect(`${broken.out}${broken.err}`).toContain('broke a stale lock on staging/locked held by ci@runner-that-died pid 4242 since 2026-01-01T10:00:00.000Z');
    expect(broken.out).toContain('apply staging/locked: applied');
    expect(sim.state.apps.filter((a) => a.name === 'locked' && a.workflow_id !== null)).toHaveLength(1);
    expect(await readdir(lockDir)).toEqual([]); // released after the apply
  });

  it('skips a suspended app and reports it, with nothing created', async () => {
    await repo.writeApp({ name: 'paused', dsl: workflowDsl({ name: 'paused', prompt: GOOD }), healthChecks: HEALTH, policies: { suspend: true } });
    const importsBefore = importCount(sim);
    const result = await applyIn(repo, { app: ['paused'] });
    expect(result.code).toBe(0);
    expect(result.out).toContain('note: suspended (policies.suspend): apply skips this app');
    expect(result.out).toContain('apply staging/paused: skipped');
    expect(result.out).toContain('suspended (policies.suspend)');
    expect(importCount(sim)).toBe(importsBefore);
    expect(sim.state.apps.some((a) => a.name === 'paused')).toBe(false);
  });

  it('a first deploy (create) that fails its checks once live is undone by deleting the new app: exit 3', async () => {
    await repo.writeApp({ name: 'newborn', dsl: workflowDsl({ name: 'newborn', prompt: BAD }), healthChecks: HEALTH });
    const importsBefore = importCount(sim);
    const result = await applyIn(repo, { app: ['newborn'], draftGate: false });
    expect(result.code).toBe(3);
    expect(importCount(sim)).toBe(importsBefore + 1); // it was created (and published) …
    expect(sim.requests.some((r) => r.method === 'DELETE' && /^\/console\/api\/apps\/[^/]+$/.test(r.path))).toBe(true);
    expect(sim.state.apps.some((a) => a.name === 'newborn')).toBe(false); // … and is gone again
    expect(result.out).toContain('apply staging/newborn: ROLLED BACK (failed its checks once live)');
    expect(result.out).toContain('Rolled back: the app did not exist before; it was deleted.');
    expect(result.out).toMatch(/health: verdict-schema failed/);
  });

  it('a first publish of an app that was never published fails its checks: nothing to go back to, exit 4, what is live printed', async () => {
    const client = simClient(sim);
    const imported = await client.dsl.importOrThrow({ yamlContent: JSON.stringify(workflowDsl({ name: 'unpublished', prompt: GOOD })) });
    await client.close();
    const appId = imported.app_id!;
    await repo.writeApp({ name: 'unpublished', dsl: workflowDsl({ name: 'unpublished', prompt: BAD }), healthChecks: HEALTH });
    const result = await applyIn(repo, { app: ['unpublished'], draftGate: false });
    expect(result.code).toBe(4);
    const app = sim.state.apps.find((a) => a.id === appId)!;
    expect(app.workflow_id).not.toBeNull(); // the failing version is what is published now
    expect(result.out).toContain(`apply staging/unpublished: NEEDS A HUMAN (app ${appId})`);
    expect(result.out).toContain(`Live now: app ${appId}: published version ${app.workflow_id}`);
  });
});

describe('apply on 1.0.0: no export by workflow_id', () => {
  it('snapshots the published record with the draft secrets, and a rollback brings that version back', async () => {
    const sim = await startSim('1.0.0');
    const repo = await createFixtureRepo({ staging: sim.url });
    try {
      repo.env.SECRET_API_KEY = 'canary-one-zero-zero-5e1d';
      const version = sim.profile.dslVersion;
      // 0.1.5 files name no plugins; Dify infers them and check-dependencies wants them installed.
      sim.state.installedPlugins.push('langgenius/openai:0.0.0@simulator');
      await repo.writeApp({ name: 'old', dsl: workflowDsl({ name: 'old', prompt: GOOD, version }), healthChecks: HEALTH });
      expect((await applyIn(repo, { app: ['old'] })).code).toBe(0);
      const app = sim.state.apps.find((a) => a.name === 'old')!;
      const firstVersion = app.workflow_id!;
      // An unpublished UI edit in the draft: the snapshot must still hold the published version.
      const editor = simClient(sim);
      const draft = (await editor.drafts.get(app.id))!;
      const graph = structuredClone(draft.graph) as { nodes: { id: string; data: Record<string, unknown> }[] };
      graph.nodes.find((n) => n.id === 'llm')!.data.title = 'Edited in the UI';
      // As the UI does: every variable sent back, secrets as `[__HIDDEN__]` + id (keep the stored value).
      const environmentVariables = draft.environment_variables.map((v) => (v.value_type === 'secret' ? { ...v, value: '[__HIDDEN__]' } : v));
      await editor.drafts.sync(app.id, { graph, features: draft.features, hash: draft.hash, environment_variables: environmentVariables, conversation_variables: draft.conversation_variables });
      await editor.close();

      await repo.writeApp({ name: 'old', dsl: workflowDsl({ name: 'old', prompt: BAD, version }), healthChecks: HEALTH });
      const failed = await applyIn(repo, { app: ['old'], revision: 'r2', draftGate: false });
      expect(failed.code).toBe(3);
      expect(failed.out).toContain('apply staging/old: ROLLED BACK');

      // The snapshot (the client cannot export by workflow_id before 1.8.1): the published file is
      // the version's record, the UI edit only in the draft file; secrets in both, redacted copies beside.
      const files = await filesUnder(join(repo.dir, '.dify-gitops', 'snapshots', 'staging', 'old'));
      const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
      const withSecrets = texts.filter((t) => t.includes('canary-one-zero-zero-5e1d'));
      expect(withSecrets).toHaveLength(2);
      expect(withSecrets.filter((t) => t.includes('Edited in the UI'))).toHaveLength(1);
      expect(withSecrets.every((t) => t.includes('{\\"verdict\\":\\"ok\\"}') || t.includes('{"verdict":"ok"}'))).toBe(true);
      expect(texts.filter((t) => t.includes('API_KEY') && !t.includes('canary-one-zero-zero-5e1d')).length).toBeGreaterThan(0);

      // Live after the rollback: a new published version with version 1's graph; the secret kept.
      const after = sim.state.apps.find((a) => a.id === app.id)!;
      expect(after.workflow_id).not.toBe(firstVersion);
      const published = sim.state.workflows.find((w) => w.id === after.workflow_id)!;
      expect(JSON.stringify(published.graph)).toContain('{\\"verdict\\":\\"ok\\"}');
      expect(JSON.stringify(published.graph)).not.toContain('Edited in the UI');
      const client = simClient(sim);
      const draftExport = parse(await client.dsl.export(app.id, { includeSecret: true })) as DslDocument;
      await client.close();
      expect(draftExport.workflow?.environment_variables?.find((v) => v.name === 'API_KEY')?.value).toBe('canary-one-zero-zero-5e1d');
      expect(JSON.stringify(draftExport.workflow?.graph)).toContain('Edited in the UI'); // the UI edit is put back
      expect(`${failed.out}${failed.err}`).not.toContain('canary-one-zero-zero-5e1d');
    } finally {
      await sim.close();
      await repo.cleanup();
    }
  });
});
