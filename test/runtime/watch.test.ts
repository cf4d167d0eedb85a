// watch over a real temporary repository (makeRepo), real chokidar and the real simulator: an
// editor's atomic save (temp file + rename) or vim-style backup swap re-plans once and prints the
// change; --apply deploys to a `dev: true` environment and is refused for any other.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchRepository, type WatchOptions } from '../../src/cli/commands/watch-run.js';
import type { ExitCode } from '../../src/exit-codes.js';
import type { Simulator } from '../../src/simulator/server.js';
import { captureContext, EMAIL, PASSWORD, startSim, type CapturedContext } from '../support/gitops-repo.js';
import { BASE_CONFIG, BASE_DSL, edit, makeRepo } from '../support/config-repo.js';

const DSL = 'workflows/triage/triage.dsl.yml';
// The stub model reads RESPOND on a line of its own: the baseline's health check passes with this prompt.
const GOOD_DSL = edit(
  BASE_DSL,
  `text: 'Classify for {{#env.BASE_URL#}} in {{#env.MAX_WORDS#}} words. RESPOND: {"category": "billing"}'`,
  `text: "Classify for {{#env.BASE_URL#}} in {{#env.MAX_WORDS#}} words.\\nRESPOND: {\\"category\\": \\"billing\\"}"`,
);
let sim: Simulator | undefined;
let stop: AbortController | undefined;
let watching: Promise<void> | undefined;

afterEach(async () => {
  stop?.abort();
  await watching?.catch(() => undefined);
  await sim?.close();
  sim = undefined;
});

interface Watch {
  ctx: CapturedContext;
  cycles: { cycle: number; code: ExitCode }[];
  waitCycles(n: number): Promise<void>;
}

async function startWatch(dir: string, options: WatchOptions): Promise<Watch> {
  const ctx = captureContext(dir, { DEV_EMAIL: EMAIL, DEV_PASSWORD: PASSWORD, PATH: process.env.PATH });
  const cycles: { cycle: number; code: ExitCode }[] = [];
  stop = new AbortController();
  watching = watchRepository(ctx, options, { signal: stop.signal, onCycle: (cycle, code) => void cycles.push({ cycle, code }) });
  const waitCycles = async (n: number): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (cycles.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for cycle ${n}; stderr:\n${ctx.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  await waitCycles(1);
  return { ctx, cycles, waitCycles };
}

/** Waits `ms` with nothing else to do: a quiet period in which no further cycle may start. */
const quiet = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function devRepo(): Promise<string> {
  sim = await startSim();
  return makeRepo({ 'dify-gitops.yaml': edit(BASE_CONFIG, 'http://127.0.0.1:5001', sim.url), [DSL]: GOOD_DSL });
}

function atomicSave(path: string, text: string): void {
  const temp = join(path, '..', `.triage.dsl.yml.tmp-${process.pid}`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

describe('watch', () => {
  it('an atomic save (temp file + rename) of a workflow re-plans once and prints the change', async () => {
    const dir = await devRepo();
    const w = await startWatch(dir, { env: 'dev', debounce: '300' });
    expect(w.ctx.stdout()).toContain('create');
    const before = w.ctx.stdout().length;
    atomicSave(join(dir, DSL), edit(GOOD_DSL, 'title: Classify', 'title: Classify tickets'));
    await w.waitCycles(2);
    await quiet(1500);
    expect(w.cycles.map((c) => c.cycle)).toEqual([1, 2]);
    const replan = w.ctx.stdout().slice(before);
    expect(replan).toContain('dev');
    expect(replan).toContain('triage');
    expect(replan).toContain("'Classify tickets'");
    expect(w.ctx.stdout().slice(0, before)).not.toContain('Classify tickets');
    expect(w.ctx.stderr()).toMatch(/changed workflows\/triage\/triage\.dsl\.yml: planning dev \(cycle 2\)/);
    expect(w.ctx.stderr()).not.toContain('.tmp-');
  }, 90_000);

  it('a vim-style save (original renamed to a backup, new file written, backup deleted) re-plans once', async () => {
    const dir = await devRepo();
    const w = await startWatch(dir, { env: 'dev', debounce: '300' });
    const file = join(dir, DSL);
    renameSync(file, `${file}~`);
    writeFileSync(file, edit(readFileSync(`${file}~`, 'utf8'), 'title: End', 'title: Done'));
    rmSync(`${file}~`);
    const before = w.ctx.stdout().length;
    await w.waitCycles(2);
    await quiet(1500);
    expect(w.cycles).toHaveLength(2);
    expect(w.ctx.stdout().slice(before)).toContain("'Done'");
  }, 90_000);

  it('a broken save prints the validation error with file and line, and the next good save plans again', async () => {
    const dir = await devRepo();
    const w = await startWatch(dir, { env: 'dev', debounce: '200' });
    atomicSave(join(dir, DSL), `${GOOD_DSL}\n  broken: [unclosed\n`);
    await w.waitCycles(2);
    expect(w.cycles[1]!.code).toBe(1);
    expect(w.ctx.stderr()).toMatch(/workflows\/triage\/triage\.dsl\.yml:\d+:\d+: error/);
    atomicSave(join(dir, DSL), GOOD_DSL);
    await w.waitCycles(3);
    expect(w.cycles[2]!.code).toBe(0);
  }, 90_000);

  it('--apply on a dev environment deploys each change to the simulator', async () => {
    const dir = await devRepo();
    const w = await startWatch(dir, { env: 'dev', apply: true, debounce: '300' });
    expect(w.cycles[0]!.code).toBe(0);
    const app = sim!.state.apps.find((a) => a.name === 'Triage');
    expect(app).toBeDefined();
    atomicSave(join(dir, DSL), edit(GOOD_DSL, 'title: Classify', 'title: Classify v2'));
    await w.waitCycles(2);
    expect(w.cycles[1]!.code).toBe(0);
    const workflow = sim!.state.workflows.find((wf) => wf.id === sim!.state.apps.find((a) => a.id === app!.id)?.workflow_id);
    expect(JSON.stringify(workflow?.graph)).toContain('Classify v2');
  }, 120_000);

  it('refuses --apply for an environment not marked dev: true, before doing anything', async () => {
    const dir = await devRepo();
    const ctx = captureContext(dir, { DEV_EMAIL: EMAIL, DEV_PASSWORD: PASSWORD });
    await expect(watchRepository(ctx, { env: 'prod', apply: true }, { signal: new AbortController().signal })).rejects.toThrow(/only for environments marked `dev: true` in dify-gitops\.yaml; prod is not\. Use --env dev/);
    await expect(watchRepository(ctx, { apply: true }, { signal: new AbortController().signal })).rejects.toThrow(/prod is not/);
    expect(sim!.state.apps).toHaveLength(0);
  });
});
