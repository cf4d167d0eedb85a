import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { DifyClient } from '../../src/dify/index.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { canonicalJson } from '../../src/plan/digest.js';
import { workflowDsl } from '../support/plan-builders.js';
import { applyIn, createFixtureRepo, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const BAD = 'RESPOND: {"verdict":"maybe"}';
const CANARY_1 = 'canary-first-secret-4c1e8a';
const CANARY_2 = 'canary-rotated-secret-77b2d0';

const HEALTH = [
  { name: 'verdict-schema', inputs: { topic: 'refunds' }, expect: { output: 'result', schema: 'verdict' } },
  { name: 'streams-verdict', responseMode: 'streaming', attempts: 2, minPasses: 2, inputs: { topic: 'refunds' }, expect: { output: 'result', json: true, contains: '"verdict"', maxTokens: 1000 } },
];

/** The export as data, dependency order removed (Dify builds that list from a set). */
function exportData(yaml: string): string {
  const doc = parse(yaml) as Record<string, unknown>;
  delete doc.dependencies;
  return canonicalJson(doc);
}

async function liveSnapshot(client: DifyClient, appId: string) {
  const publishedId = (await client.apps.get(appId)).workflow!.id;
  return {
    publishedId,
    draft: exportData(await client.dsl.export(appId, { includeSecret: true })),
    published: exportData(await client.dsl.export(appId, { includeSecret: true, workflowId: publishedId })),
    envVars: Object.fromEntries((await client.drafts.getEnvironmentVariables(appId)).map((v) => [v.name, v.value])),
  };
}

describe.each<[ProfileName, string]>([
  ['1.14.1', 'restore endpoint'],
  ['1.12.1', 're-import of the snapshot with secrets'],
])('apply on Dify %s', (profile, how) => {
  let sim: Simulator | undefined;
  let repo: FixtureRepo | undefined;
  afterEach(async () => {
    await sim?.close();
    await repo?.cleanup();
  });

  it(`creates, then stops a schema-breaking prompt at the draft gate (draft put back by ${how}) with secrets intact`, async () => {
    sim = await startSim(profile);
    repo = await createFixtureRepo({ staging: sim.url });
    const dslVersion = profile === '1.12.1' ? '0.5.0' : '0.6.0';
    repo.env.SECRET_API_KEY = CANARY_1;
    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: GOOD, version: dslVersion }), healthChecks: HEALTH });

    const first = await applyIn(repo, { revision: 'rev1111' });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/apply staging\/demo: applied/);
    const app = sim.state.apps.find((a) => a.name === 'demo')!;
    const published = sim.state.workflows.find((w) => w.id === app.workflow_id)!;
    expect(published.marked_name).toBe('rev1111');
    expect(published.environment_variables.find((v) => v.name === 'API_KEY')?.value).toBe(CANARY_1);

    const client = simClient(sim);
    const before = await liveSnapshot(client, app.id);
    expect(before.envVars.API_KEY).toBe(CANARY_1);

    // A prompt that breaks the output schema, deployed together with a rotated secret value.
    repo.env.SECRET_API_KEY = CANARY_2;
    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: BAD, version: dslVersion }), healthChecks: HEALTH });
    const second = await applyIn(repo, { revision: 'rev2222' });
    expect(second.code).toBe(3);
    expect(second.out).toMatch(/apply staging\/demo: ROLLED BACK AT THE DRAFT GATE/);
    expect(second.out).toMatch(/draft health: verdict-schema failed/);
    expect(second.out).toMatch(/does not satisfy schema verdict/);
    expect(first.out).toMatch(/streams-verdict passed: 2\/2 attempts passed/);
    for (const text of [first.out, first.err, second.out, second.err]) {
      expect(text).not.toContain(CANARY_1);
      expect(text).not.toContain(CANARY_2);
    }

    // Behaviour changed with the draft gate: the bad draft failed its checks and was never
    // published; the draft (secret included) is back as it was.
    const after = await liveSnapshot(client, app.id);
    expect(after.publishedId).toBe(before.publishedId);
    expect(after.published).toBe(before.published);
    expect(after.draft).toBe(before.draft);
    expect(after.envVars).toEqual(before.envVars);
    expect(sim.state.workflows.some((w) => w.marked_name === 'rev2222' || w.marked_name === 'rollback rev2222')).toBe(false);
    // Both applies ran the checks on the draft first (3 attempts each: 1 + 2), through the
    // console debugger endpoint.
    const draftRuns = sim.requests.filter((r) => r.method === 'POST' && r.path === `/console/api/apps/${app.id}/workflows/draft/run`);
    expect(draftRuns).toHaveLength(6);
    // Pinned service-API runs: only the first apply's (3), none for the stopped change.
    const runs = sim.requests.filter((r) => /^\/v1\/workflows\/[^/]+\/run$/.test(r.path));
    expect(runs).toHaveLength(3);

    // Snapshot (0600) holds the secret; its redacted copy and the journal history do not.
    const stateDir = join(repo.dir, '.dify-gitops');
    const snapDir = join(stateDir, 'snapshots', 'staging', 'demo');
    const files = await readdir(snapDir);
    const secretFile = files.find((f) => f.endsWith('.secret.yaml') && !f.includes('.draft.'))!;
    expect((await stat(join(snapDir, secretFile))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(snapDir, secretFile), 'utf8')).toContain(CANARY_1);
    for (const f of files.filter((f) => f.includes('redacted'))) expect(await readFile(join(snapDir, f), 'utf8')).not.toContain(CANARY_1);
    // The health checks' app API key: made once, remembered by id only, never printed.
    const keys = sim.state.apiKeys.filter((k) => k.app_id === app.id);
    expect(keys).toHaveLength(1);
    for (const text of [first.out, first.err, second.out, second.err]) expect(text).not.toContain(keys[0]!.token);
    const keyFile = await readFile(join(stateDir, 'keys', 'staging', `${app.id}.json`), 'utf8');
    expect(keyFile).toContain(keys[0]!.id);
    expect(keyFile).not.toContain(keys[0]!.token);
    const history = await readFile(join(stateDir, 'history', 'staging', 'demo.jsonl'), 'utf8');
    expect(history).not.toContain(CANARY_1);
    expect(history).not.toContain(CANARY_2);
    expect(history.trim().split('\n').map((l) => (JSON.parse(l) as { outcome: { status: string } }).outcome.status)).toEqual(['applied', 'stopped-at-draft']);
    await client.close();
  });
});
