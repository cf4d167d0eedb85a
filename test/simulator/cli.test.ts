import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { parseSimulatorFlags, run, serveSimulator } from '../../src/cli/commands/simulator-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { Redactor } from '../../src/secrets/redactor.js';

function captureContext(): { ctx: CliContext; out: string[]; err: string[] } {
  const redactor = new Redactor();
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    ctx: { redactor, out: (t) => out.push(redactor.redact(t)), err: (t) => err.push(redactor.redact(t)), isTTY: false, env: {}, cwd: process.cwd() },
  };
}

async function waitFor(lines: string[]): Promise<string> {
  for (let i = 0; i < 500 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  return lines.join('');
}

describe('dify-gitops simulator', () => {
  it('prints exactly one line with its URL, serves, and stops cleanly on abort', async () => {
    const { ctx, out } = captureContext();
    const stop = new AbortController();
    const done = serveSimulator(ctx, { email: 'a@example.com', password: 'Secret123', profile: '1.12.1' }, stop.signal);
    const line = await waitFor(out);
    expect(line).toMatch(/^Dify simulator 1\.12\.1 listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(' ').at(-1)!;
    const version = await fetch(`${url}/v1/`);
    expect(await version.json()).toMatchObject({ server_version: '1.12.1' });
    stop.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${url}/v1/`)).rejects.toThrow();
  });

  it('stops with exit code 0 on SIGINT', async () => {
    const { ctx, out } = captureContext();
    const done = run(ctx, { email: 'a@example.com', password: 'Secret123' });
    await waitFor(out);
    process.emit('SIGINT');
    expect(await done).toBe(0);
  });

  it.each([
    [{ port: 'abc' }, /--port must be an integer from 0 to 65535/],
    [{ port: '70000' }, /--port must be an integer/],
    [{ profile: '2.0.0' }, /--profile must be one of 1\.0\.0, 1\.9\.1, 1\.12\.1, 1\.14\.1/],
    [{ email: 'nope' }, /--email must be an email address/],
    [{ adminApiKey: 'long-enough-key' }, /--admin-api-key and --workspace-id go together/],
    [{ adminApiKey: 'long-enough-key', workspaceId: 'x' }, /--workspace-id must be a UUID/],
    [{ latencyMs: '-1' }, /--latency-ms must be an integer/],
  ])('refuses bad flags %o with a clear message', (bad, message) => {
    expect(() => parseSimulatorFlags({ email: 'a@example.com', password: 'p', ...bad })).toThrow(message);
  });

  it('exits 1 with a redacted message when the port is taken', async () => {
    const first = captureContext();
    const stop = new AbortController();
    const running = serveSimulator(first.ctx, { email: 'a@example.com', password: 'Secret123' }, stop.signal);
    const port = (await waitFor(first.out)).trim().split(':').at(-1)!;
    const second = captureContext();
    const code = await runCommand(second.ctx, () => serveSimulator(second.ctx, { email: 'a@example.com', password: 'Secret123', port }, new AbortController().signal));
    expect(code).toBe(1);
    expect(second.err.join('')).toContain(`port ${port} is already in use`);
    stop.abort();
    await running;
  });
});
