// `dify-gitops broadcast` end to end: a repository on disk, the real simulator over HTTP, the real
// client. Apps of every mode whose stub-model prompts decide the answer: valid JSON, JSON that
// needs repair, JSON that fails the schema, a failed workflow run, a model error, a slow app, an
// app that does not exist. A forwarding proxy counts requests in flight for the concurrency bound.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runBroadcast, type BroadcastCliOptions } from '../../src/cli/commands/broadcast-run.js';
import type { BroadcastJson } from '../../src/broadcast/index.js';
import { runCommand } from '../../src/cli/run-command.js';
import { broadcast } from '../../src/index.js';
import type { Simulator } from '../../src/simulator/server.js';
import { advancedChatApp, modelConfigApp, startCountingProxy, workflowApp, writeTaggedApp, type CountingProxy } from '../support/broadcast-repo.js';
import { captureContext, createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const OK = 'RESPOND: {"verdict":"ok"}';
const MISSING_APP_ID = '00000000-0000-4000-8000-000000000000';

let sim: Simulator;
let proxy: CountingProxy;
let repo: FixtureRepo;

async function broadcastCli(options: Partial<BroadcastCliOptions>, tty = false, env: NodeJS.ProcessEnv = repo.env) {
  const ctx = { ...captureContext(repo.dir, env), isTTY: tty };
  const code = await runCommand(ctx, () => runBroadcast(ctx, { env: 'staging', inputs: '{"topic":"tides"}', query: 'hello', format: 'json', ...options }));
  const stdout = ctx.stdout();
  return { code, stdout, stderr: ctx.stderr(), json: options.format === 'text' || code === 1 ? undefined : (JSON.parse(stdout) as BroadcastJson) };
}

function byApp(json: BroadcastJson | undefined) {
  return Object.fromEntries((json?.results ?? []).map((r) => [r.app, r]));
}

beforeAll(async () => {
  sim = await startSim('1.14.1');
  proxy = await startCountingProxy(sim.url);
  repo = await createFixtureRepo({ staging: sim.url, proxied: proxy.url });
  const envs = ['staging', 'proxied'];
  const client = simClient(sim);
  const apps: [ReturnType<typeof workflowApp>, string[]][] = [
    [workflowApp('wf-ok', OK), ['core', 'wf']],
    [workflowApp('wf-repair', "RESPOND: Sure! ```json {'verdict': 'ok',} ```"), ['core', 'wf']],
    [workflowApp('wf-fail', 'FAIL: model exploded'), ['flaky', 'wf']],
    [workflowApp('wf-slow', `SLEEP_MS: 3000\n${OK}`), ['slow']],
    [advancedChatApp('adv', 'RESPOND: {"verdict":"bad"}'), ['core', 'chat']],
    [modelConfigApp('chat-bad', 'chat', 'RESPOND: {"verdict":"maybe"}'), ['chat']],
    [modelConfigApp('chat-fail', 'chat', 'FAIL: quota gone'), ['flaky', 'chat']],
    [modelConfigApp('agent', 'agent-chat', OK), ['chat']],
    [modelConfigApp('compl', 'completion', OK), ['core']],
  ];
  for (const [dsl, tags] of apps) {
    await writeTaggedApp(repo, envs, dsl, { tags });
    await seedApp(client, dsl);
  }
  for (let i = 1; i <= 6; i++) {
    const dsl = workflowApp(`bulk-${i}`, `SLEEP_MS: 300\n${OK}`);
    await writeTaggedApp(repo, envs, dsl, { tags: ['bulk'] });
    await seedApp(client, dsl);
  }
  await writeTaggedApp(repo, envs, workflowApp('ghost', OK), { tags: ['ghost'], target: { appId: MISSING_APP_ID } });
  await client.close();
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await sim.close();
  await repo.cleanup();
});

describe('broadcast over the simulator', () => {
  it('reports every app of every mode on its own; failures, a timeout and a missing app stop nothing', async () => {
    const { code, json, stderr } = await broadcastCli({ all: true, schema: 'verdict', output: 'result', timeout: '1s' });
    expect(stderr).toBe('');
    expect(code).toBe(2);
    const r = byApp(json);
    expect(Object.keys(r).sort()).toEqual(['adv', 'agent', 'bulk-1', 'bulk-2', 'bulk-3', 'bulk-4', 'bulk-5', 'bulk-6', 'chat-bad', 'chat-fail', 'compl', 'ghost', 'wf-fail', 'wf-ok', 'wf-repair', 'wf-slow']);

    // Every mode went to its own endpoint and answered.
    expect(r['wf-ok']).toMatchObject({ mode: 'workflow', status: 'ok', passed: true, runStatus: 'succeeded', output: { kind: 'outputs', text: '{"result":"{\\"verdict\\":\\"ok\\"}"}' } });
    expect(r['adv']).toMatchObject({ mode: 'advanced-chat', status: 'ok', passed: true, output: { kind: 'answer', text: '{"verdict":"bad"}' } });
    expect(r['agent']).toMatchObject({ mode: 'agent-chat', status: 'ok', passed: true, output: { text: '{"verdict":"ok"}' } });
    expect(r['compl']).toMatchObject({ mode: 'completion', status: 'ok', passed: true, output: { text: '{"verdict":"ok"}' } });
    expect(r['agent']!.firstChunkMs).not.toBeNull(); // agent-chat has no blocking mode: it streamed
    expect(r['wf-ok']!.ids.workflowRunId).toBe(sim.state.runs.find((run) => run.app_id === r['wf-ok']!.appId)?.id);

    // Schema validity after repair, with the reasons.
    expect(r['wf-ok']!.schema).toEqual({ name: 'verdict', subject: 'outputs.result', valid: true, repaired: false, reasons: [] });
    expect(r['wf-repair']!.schema).toMatchObject({ subject: 'outputs.result', valid: true, repaired: true });
    expect(r['wf-repair']!.schema!.reasons).toEqual(expect.arrayContaining(['ignored text before the JSON', 'replaced single quotes with double quotes', 'removed trailing commas']));
    expect(r['chat-bad']).toMatchObject({ status: 'ok', passed: false, schema: { subject: 'answer', valid: false, reasons: ['/verdict: must be one of ok, bad'] } });

    // Failures are per app.
    expect(r['wf-fail']).toMatchObject({ status: 'failed-run', runStatus: 'failed', passed: false, error: { code: null, message: 'model exploded' }, schema: null });
    expect(r['chat-fail']).toMatchObject({ status: 'error', error: { code: 'completion_request_error' }, tokens: null });
    expect(r['chat-fail']!.error!.message).toContain('quota gone');
    expect(r['wf-slow']).toMatchObject({ status: 'timeout', error: { code: 'timeout', message: 'no answer within 1000 ms' }, output: null });
    expect(r['ghost']).toMatchObject({ status: 'error', appId: null, mode: null, latencyMs: null, error: { code: 'app-not-found' } });
    expect(r['ghost']!.error!.message).toContain(MISSING_APP_ID);

    expect(json!.totals).toMatchObject({
      apps: 16,
      passed: 11,
      failed: 5,
      byStatus: { ok: 12, 'failed-run': 1, error: 2, timeout: 1 },
      invalid: 1,
    });
    const tokens = json!.results.reduce((sum, x) => sum + (x.tokens?.total ?? 0), 0);
    expect(tokens).toBeGreaterThan(0);
    expect(json!.totals.tokens).toBe(tokens);
    const latencies = json!.results.filter((x) => x.status === 'ok' || x.status === 'failed-run').map((x) => x.latencyMs!);
    expect(json!.totals.latencyMs!.max).toBe(Math.max(...latencies));
    expect(json!.totals.latencyMs!.p50).toBeLessThanOrEqual(json!.totals.latencyMs!.p95);
  });

  it('exits 0 when every selected app passes, and the same answers arrive by streaming', async () => {
    const blocking = await broadcastCli({ tag: 'core', schema: 'verdict', output: 'result' });
    const streamed = await broadcastCli({ tag: 'core', schema: 'verdict', output: 'result', stream: true });
    for (const result of [blocking, streamed]) {
      expect(result.code).toBe(0);
      expect(result.json!.results.map((r) => r.app)).toEqual(['adv', 'compl', 'wf-ok', 'wf-repair']);
      expect(result.json!.totals).toMatchObject({ passed: 4, failed: 0 });
    }
    expect(streamed.json!.stream).toBe(true);
    expect(streamed.json!.results.map((r) => r.output)).toEqual(blocking.json!.results.map((r) => r.output));
    expect(streamed.json!.results.every((r) => r.firstChunkMs !== null)).toBe(true);
    expect(blocking.json!.results.every((r) => r.firstChunkMs === null)).toBe(true);
  });

  it('a timeout hits only the slow app', async () => {
    const { code, json } = await broadcastCli({ apps: 'wf-slow,wf-ok', timeout: '500ms' });
    expect(code).toBe(2);
    expect(byApp(json)['wf-slow']).toMatchObject({ status: 'timeout' });
    expect(byApp(json)['wf-ok']).toMatchObject({ status: 'ok', passed: true });
  });

  it('selects by --apps and --tag, and refuses bad selections before sending anything', async () => {
    expect((await broadcastCli({ apps: 'compl, wf-ok,compl' })).json!.results.map((r) => r.app)).toEqual(['compl', 'wf-ok']);
    expect((await broadcastCli({ tag: 'flaky' })).json!.results.map((r) => r.app)).toEqual(['chat-fail', 'wf-fail']);

    const before = sim.stats().total;
    const cases: [Partial<BroadcastCliOptions>, RegExp][] = [
      [{ tag: 'nope' }, /no app in environment `staging` has the tag `nope`; tags in use: bulk, chat, core, flaky, ghost, slow, wf/],
      [{ apps: 'wf-ok,unknown' }, /unknown app `unknown`/],
      [{ apps: 'wf-ok', all: true }, /exactly one of --apps a,b,c, --all or --tag/],
      [{ all: true, env: 'prod' }, /unknown environment `prod`/],
      [{ all: true, schema: 'nope' }, /unknown output schema `nope`; the repository has verdict/],
      [{ all: true, inputs: '[1]' }, /--inputs must be a JSON object/],
      [{ all: true, timeout: 'soon' }, /--timeout must be a duration/],
      [{ all: true, concurrency: '0' }, /--concurrency must be an integer from 1 to 256/],
      [{ all: true, output: 'result' }, /give --schema too/],
    ];
    for (const [options, message] of cases) {
      const result = await broadcastCli(options);
      expect(result.code, JSON.stringify(options)).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    }
    expect(sim.stats().total).toBe(before);
  });

  it('exits 1 without sending when the environment refuses the login, and never prints the password', async () => {
    const wrong = 'Wrong-passw0rd-canary-81d2';
    const before = sim.requests.length;
    const result = await broadcastCli({ all: true }, false, { ...repo.env, DIFY_STAGING_PASSWORD: wrong });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^dify-gitops: POST \/console\/api\/login → 401 /);
    expect(result.stderr).not.toContain(wrong);
    const seen = sim.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(seen).toContain('POST /console/api/login');
    expect(seen.filter((r) => r.startsWith('POST /v1/'))).toEqual([]);
  });

  it('keeps at most --concurrency service calls in flight', async () => {
    proxy.reset();
    const bounded = await broadcastCli({ env: 'proxied', tag: 'bulk', concurrency: '2' });
    expect(bounded.code).toBe(0);
    expect(proxy.count()).toBe(6);
    expect(proxy.maxInFlight()).toBe(2);

    proxy.reset();
    const wide = await broadcastCli({ env: 'proxied', tag: 'bulk', concurrency: '6' });
    expect(wide.code).toBe(0);
    expect(proxy.count()).toBe(6);
    expect(proxy.maxInFlight()).toBe(6);
  });

  it('prints a text table with details and totals, progress only on a TTY, and never an API key', async () => {
    const { code, stdout, stderr } = await broadcastCli({ tag: 'chat', schema: 'verdict', format: 'text' }, true);
    expect(code).toBe(2);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('broadcast to 4 apps in staging (concurrency 8, timeout 60.0 s)');
    expect(lines[2]).toMatch(/^APP\s+MODE\s+STATUS\s+LATENCY\s+TOKENS\s+SCHEMA\s+OUTPUT$/);
    expect(lines[3]).toMatch(/^adv\s+advanced-chat\s+ok\s+\d+ ms\s+\d+\s+valid\s+\{"verdict":"bad"\}$/);
    expect(lines[5]).toMatch(/^chat-bad\s+chat\s+ok\s+\d+ ms\s+\d+\s+invalid\s+\{"verdict":"maybe"\}$/);
    expect(lines[6]).toMatch(/^chat-fail\s+chat\s+error\s+\d+ ms\s+-\s+-\s+POST \/v1\/chat-messages → 400 completion_request_error/);
    expect(stdout).toContain('chat-bad:\n  invalid against verdict (answer):\n    - /verdict: must be one of ok, bad\n');
    expect(stdout).toMatch(/\n2 passed, 2 failed \(ok 3, failed-run 0, error 1, timeout 0, 1 invalid\); latency p50 \d+ ms, p95 \d+ ms; \d+ tokens; wall \d+ ms\n$/);
    expect(stderr).toContain('\rbroadcast: 4/4 apps');
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
    const tokens = sim.state.apiKeys.map((k) => k.token);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(stdout + stderr).not.toContain(token);
  });

  it('is callable from code: import { broadcast } from the package entry', async () => {
    const progress: string[] = [];
    const report = await broadcast({
      cwd: repo.dir,
      env: repo.env,
      environment: 'staging',
      select: { kind: 'tag', tag: 'wf' },
      request: { inputs: { topic: 'tides' } },
      schema: 'verdict',
      output: 'result',
      concurrency: 3,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(report.results.map((r) => [r.app, r.status, r.passed])).toEqual([
      ['wf-fail', 'failed-run', false],
      ['wf-ok', 'ok', true],
      ['wf-repair', 'ok', true],
    ]);
    expect(report.results[1]!.outputs).toEqual({ result: '{"verdict":"ok"}' });
    expect(report.concurrency).toBe(3);
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
  });
});
