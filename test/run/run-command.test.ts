// `dify-gitops run` end to end over the simulator and the real client: blocking and streamed
// answers (chunks in order, the same final answer), exit codes for a failed run and an HTTP error,
// and signed callbacks delivered to a real HTTP receiver that verifies them with verifyCallback,
// including one holding the wrong secret. The callback secret is a canary that must never show.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runRun, type RunCliOptions } from '../../src/cli/commands/run-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { RunEnvelope } from '../../src/run/index.js';
import type { Simulator } from '../../src/simulator/server.js';
import { advancedChatApp, modelConfigApp, workflowApp, writeTaggedApp } from '../support/broadcast-repo.js';
import { startCallbackReceiver } from '../support/callback-receiver.js';
import { captureContext, createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';

const CANARY = 'cb-secret-canary-5b1f0e7a93';
let sim: Simulator;
let repo: FixtureRepo;

/** Runs the command with these flags over the defaults; a flag set to undefined is left out. */
async function runCli(flags: { [K in keyof RunCliOptions]?: RunCliOptions[K] | undefined }, extraEnv: Record<string, string> = {}) {
  const merged = { env: 'staging', app: 'adv', query: 'Ben', inputs: '{"topic":"tides"}', ...flags };
  const options = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as RunCliOptions;
  const ctx = captureContext(repo.dir, { ...repo.env, HOOK_SECRET: CANARY, ...extraEnv });
  const writes: string[] = [];
  const out = ctx.out.bind(ctx);
  ctx.out = (text) => {
    writes.push(text);
    out(text);
  };
  const code = await runCommand(ctx, () => runRun(ctx, options));
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr(), writes };
}

beforeAll(async () => {
  sim = await startSim('1.14.1');
  repo = await createFixtureRepo({ staging: sim.url });
  const client = simClient(sim);
  // Static text around the variables: the answer streams as several message events.
  const adv = advancedChatApp('adv', 'RESPOND: Hello there,\\ngeneral {{#start.topic#}}', 'Intro: {{#llm.text#}} (asked by {{#sys.query#}})');
  for (const dsl of [adv, workflowApp('wf-ok', 'RESPOND: {"verdict":"ok"}'), workflowApp('wf-fail', 'FAIL: model exploded'), modelConfigApp('chat-fail', 'chat', 'FAIL: quota gone')]) {
    await writeTaggedApp(repo, ['staging'], dsl);
    await seedApp(client, dsl);
  }
  await client.close();
}, 60_000);

afterAll(async () => {
  await sim.close();
  await repo.cleanup();
});

describe('run over the simulator', () => {
  it('prints the blocking answer; --stream prints the same answer in chunks, in order, as they arrive', async () => {
    const blocking = await runCli({});
    expect(blocking.code).toBe(0);
    expect(blocking.stdout).toBe('Intro: Hello there,\ngeneral tides (asked by Ben)\n');
    expect(blocking.stderr).toMatch(/^ok: adv \(advanced-chat\) in staging, \d+ ms, \d+ tokens, message [0-9a-f-]{36}\n$/);

    const streamed = await runCli({ stream: true });
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe(blocking.stdout);
    const chunks = streamed.writes.slice(0, -1);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks[0]).toBe('Intro: ');
    expect(chunks.join('')).toBe('Intro: Hello there,\ngeneral tides (asked by Ben)');
    expect(streamed.writes.at(-1)).toBe('\n');
  });

  it('prints a workflow\'s outputs; the JSON envelope is the same blocking or streamed', async () => {
    const blocking = await runCli({ app: 'wf-ok' });
    expect(blocking.code).toBe(0);
    expect(JSON.parse(blocking.stdout)).toEqual({ result: '{"verdict":"ok"}' });

    const streamedText = await runCli({ app: 'wf-ok', stream: true });
    expect(streamedText.stdout).toBe('{"verdict":"ok"}\n'); // the text_chunk events

    const envelopes = [await runCli({ app: 'wf-ok', format: 'json' }), await runCli({ app: 'wf-ok', format: 'json', stream: true })].map(
      (r) => JSON.parse(r.stdout) as RunEnvelope & { callback: unknown },
    );
    for (const envelope of envelopes) {
      expect(envelope).toMatchObject({ version: 1, event: 'run.finished', app: 'wf-ok', environment: 'staging', mode: 'workflow', status: 'ok', runStatus: 'succeeded', answer: null, outputs: { result: '{"verdict":"ok"}' }, error: null, callback: null });
      expect(sim.state.runs.some((run) => run.id === envelope.ids.workflowRunId)).toBe(true);
    }
    expect(envelopes.map((e) => e.streamed)).toEqual([false, true]);
    expect(envelopes[0]!.id).not.toBe(envelopes[1]!.id);
  });

  it('exits 2 when the run itself failed and 1 on an HTTP error, with the reason on stderr', async () => {
    const failed = await runCli({ app: 'wf-fail' });
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^failed-run: wf-fail \(workflow\) in staging, .*\n {2}model exploded\n$/);

    const error = await runCli({ app: 'chat-fail', query: 'hi', inputs: undefined });
    expect(error.code).toBe(1);
    expect(error.stdout).toBe('');
    expect(error.stderr).toMatch(/^error: chat-fail \(chat\) in staging, \d+ ms\n {2}POST \/v1\/chat-messages → 400 completion_request_error: quota gone\n$/);
  });

  it('POSTs the signed envelope to the callback URL; the receiver verifies it', async () => {
    const receiver = await startCallbackReceiver({ secret: CANARY });
    try {
      const result = await runCli({ callbackUrl: receiver.url, callbackSecretEnv: 'HOOK_SECRET', format: 'json' });
      expect(result.code).toBe(0);
      expect(receiver.deliveries).toHaveLength(1);
      const [delivery] = receiver.deliveries;
      expect(delivery!.verdict).toMatchObject({ ok: true });
      const printed = JSON.parse(result.stdout) as RunEnvelope & { callback: unknown };
      expect(printed.callback).toEqual({ delivered: true, attempts: 1, status: 200 });
      const { callback: _callback, ...envelope } = printed;
      expect(JSON.parse(delivery!.body)).toEqual(envelope);
      expect(envelope).toMatchObject({
        app: 'adv',
        environment: 'staging',
        mode: 'advanced-chat',
        status: 'ok',
        runStatus: 'succeeded',
        answer: 'Intro: Hello there,\ngeneral tides (asked by Ben)',
        outputs: null,
        error: null,
        streamed: false,
      });
      expect(envelope.usage!.totalTokens).toBeGreaterThan(0);
      expect(envelope.latencyMs).toBeGreaterThanOrEqual(0);
      expect(envelope.ids.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(envelope.finishedAt)).not.toBeNaN();
      for (const text of [result.stdout, result.stderr, delivery!.body]) expect(text).not.toContain(CANARY);
    } finally {
      await receiver.close();
    }
  });

  it('reports a callback the receiver rejects (wrong secret) and exits 1; streaming still printed the answer', async () => {
    const receiver = await startCallbackReceiver({ secret: 'the-receivers-other-secret' });
    try {
      const result = await runCli({ stream: true, callbackUrl: receiver.url, callbackSecretEnv: 'HOOK_SECRET' });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('Intro: Hello there,\ngeneral tides (asked by Ben)\n');
      expect(result.stderr).toContain('callback NOT delivered: HTTP 401 after 1 attempt\n');
      expect(receiver.deliveries.map((d) => d.verdict)).toEqual([{ ok: false, reason: 'bad-signature' }]);
      expect(JSON.parse(receiver.deliveries[0]!.body)).toMatchObject({ app: 'adv', status: 'ok', streamed: true });
      expect(result.stdout + result.stderr).not.toContain(CANARY);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a missing secret variable or half a callback before running anything', async () => {
    const before = sim.stats().total;
    const missing = await runCli({ callbackUrl: 'http://127.0.0.1:9/hook', callbackSecretEnv: 'NOT_SET' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('dify-gitops: environment variable NOT_SET is not set\n');
    const half = await runCli({ callbackUrl: 'http://127.0.0.1:9/hook' });
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('--callback-url and --callback-secret-env go together');
    const neither = await runCli({ query: undefined, inputs: undefined });
    expect(neither.stderr).toContain('give --query, --inputs, or both');
    const unknown = await runCli({ app: 'nope' });
    expect(unknown.stderr).toContain('unknown app `nope`');
    expect(sim.stats().total).toBe(before);
  });
});
