import { afterEach, describe, expect, it } from 'vitest';
import { deliver, startServeHarness, type ServeHarness } from '../support/serve-harness.js';

const SECRET = 'whsec-canary-7f3a91';
let harness: ServeHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<ServeHarness> {
  harness = await startServeHarness({ webhook: { secret: SECRET, branch: 'main' }, maxBodyBytes: 64 * 1024 });
  harness.redactor.add(SECRET);
  return harness;
}

describe('POST /webhooks/github', () => {
  it('a signed push to the tracked branch triggers exactly one reconcile of every environment', async () => {
    const h = await start();
    const reply = await deliver(h.controller.url, SECRET);
    expect(reply).toEqual({ status: 202, outcome: 'triggered' });
    await h.runsStarted(1);
    h.finishAll();
    await h.controller.reconcileLane.idle();
    expect(h.runs.map((r) => r.environments)).toEqual([['dev']]);
  });

  it('answers 401 to a bad or missing signature and runs nothing', async () => {
    const h = await start();
    expect(await deliver(h.controller.url, SECRET, { secret: 'another-secret' })).toEqual({ status: 401, outcome: 'bad-signature' });
    expect(await deliver(h.controller.url, SECRET, { signature: null })).toEqual({ status: 401, outcome: 'bad-signature' });
    expect(await deliver(h.controller.url, SECRET, { signature: 'sha256=00' })).toEqual({ status: 401, outcome: 'bad-signature' });
    expect(await deliver(h.controller.url, SECRET, { signature: 'sha1=abc' })).toEqual({ status: 401, outcome: 'bad-signature' });
    expect(h.runs).toHaveLength(0);
    expect(h.controller.reconcileLane.runs).toBe(0);
  });

  it('ignores a replayed delivery id (and an unsigned request cannot burn an id)', async () => {
    const h = await start();
    const id = 'delivery-1';
    expect((await deliver(h.controller.url, SECRET, { id, secret: 'wrong' })).status).toBe(401);
    expect(await deliver(h.controller.url, SECRET, { id })).toEqual({ status: 202, outcome: 'triggered' });
    await h.runsStarted(1);
    h.finishAll();
    await h.controller.reconcileLane.idle();
    expect(await deliver(h.controller.url, SECRET, { id })).toEqual({ status: 200, outcome: 'duplicate' });
    await h.controller.reconcileLane.idle();
    expect(h.controller.reconcileLane.runs).toBe(1);
  });

  it('coalesces a burst of 100 deliveries into at most one run plus one follow-up', async () => {
    const h = await start();
    const replies = await Promise.all(Array.from({ length: 100 }, () => deliver(h.controller.url, SECRET)));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(replies.filter((r) => r.outcome === 'triggered')).toHaveLength(1);
    h.autoFinish = true;
    h.finishAll();
    await h.controller.reconcileLane.idle();
    await h.controller.reconcileLane.idle();
    expect(h.runs.length).toBeGreaterThanOrEqual(1);
    expect(h.runs.length).toBeLessThanOrEqual(2);
    expect(h.maxConcurrent()).toBe(1);
    const metrics = await (await fetch(`${h.controller.url}/metrics`)).text();
    expect(metrics).toMatch(/dify_gitops_webhook_deliveries_total\{outcome="triggered"\} 1\n/);
  });

  it('refuses an oversized body with 413 and runs nothing', async () => {
    const h = await start();
    const body = JSON.stringify({ ref: 'refs/heads/main', padding: 'x'.repeat(100 * 1024) });
    expect((await deliver(h.controller.url, SECRET, { body })).status).toBe(413);
    expect(h.controller.reconcileLane.runs).toBe(0);
  });

  it('ignores pushes to other branches, tag pushes, other events; answers ping', async () => {
    const h = await start();
    expect(await deliver(h.controller.url, SECRET, { ref: 'refs/heads/feature' })).toEqual({ status: 204, outcome: 'ignored-branch' });
    expect(await deliver(h.controller.url, SECRET, { ref: 'refs/tags/main' })).toEqual({ status: 204, outcome: 'ignored-branch' });
    expect(await deliver(h.controller.url, SECRET, { event: 'pull_request' })).toEqual({ status: 204, outcome: 'ignored-event' });
    expect(await deliver(h.controller.url, SECRET, { event: 'ping', body: '{"zen":"Keep it logically awesome."}' })).toEqual({ status: 200, outcome: 'pong' });
    expect(h.controller.reconcileLane.runs).toBe(0);
  });

  it('accepts the form-encoded payload GitHub sends when the hook is set to application/x-www-form-urlencoded', async () => {
    const h = await start();
    const body = new URLSearchParams({ payload: JSON.stringify({ ref: 'refs/heads/main', after: 'b'.repeat(40) }) }).toString();
    expect(await deliver(h.controller.url, SECRET, { body, contentType: 'application/x-www-form-urlencoded' })).toEqual({ status: 202, outcome: 'triggered' });
  });

  it('never writes the webhook secret to the log', async () => {
    const h = await start();
    await deliver(h.controller.url, SECRET, { ref: `refs/heads/${SECRET}` });
    const log = h.logLines.join('');
    expect(log).toContain('ignored-branch');
    expect(log).not.toContain(SECRET);
    expect(log).toContain('refs/heads/***');
  });
});
