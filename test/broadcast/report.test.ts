// The pure parts of broadcast over plain data: totals and nearest-rank percentiles, answer
// previews, schema verdicts after repair, stream folding across Dify versions' event orders, the
// stable JSON form, app selection and flag parsing.

import { describe, expect, it } from 'vitest';
import { compileOutputSchemas } from '../../src/output/index.js';
import { parseConcurrency, parseRequest, parseSelection, parseTimeout } from '../../src/cli/commands/broadcast-flags.js';
import { foldStream } from '../../src/broadcast/fold-stream.js';
import {
  assessOutput,
  percentile,
  previewOutput,
  renderBroadcastText,
  selectBroadcastApps,
  summarizeResults,
  toBroadcastJson,
  type BroadcastAppResult,
  type BroadcastReport,
  type Invocation,
} from '../../src/broadcast/index.js';
import { DifyStreamError, type DifyStreamEvent } from '../../src/dify/index.js';
import type { LoadedRepository } from '../../src/config/types.js';
import { desiredApp, workflowDsl } from '../support/plan-builders.js';

function withoutAnswer(r: BroadcastAppResult): BroadcastAppResult {
  const { answer: _answer, ...rest } = r;
  return rest;
}

function result(app: string, overrides: Partial<BroadcastAppResult> = {}): BroadcastAppResult {
  return {
    app,
    appId: `id-${app}`,
    mode: 'chat',
    status: 'ok',
    runStatus: 'succeeded',
    answer: 'fine',
    error: null,
    errorCode: null,
    usage: { total: 10 },
    latencyMs: 100,
    ids: { taskId: 't' },
    schema: null,
    passed: true,
    ...overrides,
  };
}

const VERDICT = compileOutputSchemas([{ path: 'schemas/outputs/verdict.schema.json', text: '{"type":"object","required":["verdict"],"properties":{"verdict":{"enum":["ok","bad"]}}}' }]).registry.get('verdict')!;

describe('totals', () => {
  it('nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it('counts passed, statuses and invalid outputs; latency only over apps that answered', () => {
    const totals = summarizeResults([
      result('a', { latencyMs: 300 }),
      result('b', { latencyMs: 100, passed: false, schema: { name: 's', subject: 'answer', valid: false, repaired: false, reasons: ['/: must be object (got string)'] } }),
      result('c', { status: 'failed-run', runStatus: 'failed', latencyMs: 200, passed: false, usage: { total: 5 } }),
      result('d', { status: 'timeout', latencyMs: 60_000, passed: false, usage: null }),
      result('e', { status: 'error', latencyMs: null, passed: false, usage: null }),
    ]);
    expect(totals).toEqual({
      apps: 5,
      passed: 1,
      failed: 4,
      byStatus: { ok: 2, 'failed-run': 1, error: 1, timeout: 1 },
      invalid: 1,
      latencyMs: { p50: 200, p95: 300, max: 300 },
      tokens: 25,
    });
    expect(summarizeResults([result('x', { status: 'error', latencyMs: null, usage: null, passed: false })]).latencyMs).toBeNull();
  });
});

describe('previews and schema verdicts', () => {
  it('cuts long answers by characters, never inside an emoji, and shows outputs as compact JSON', () => {
    expect(previewOutput({ answer: '🙂'.repeat(10) }, 5)).toEqual({ kind: 'answer', text: '🙂🙂🙂🙂…', truncated: true, chars: 10 });
    expect(previewOutput({ outputs: { a: 1 } }, 50)).toEqual({ kind: 'outputs', text: '{"a":1}', truncated: false, chars: 7 });
    expect(previewOutput({ outputs: null }, 50)).toBeNull();
  });

  it('repairs an answer, validates an outputs object as it is, and names a missing output', () => {
    const ok: Invocation = { status: 'ok', runStatus: 'succeeded', error: null, errorCode: null, usage: null, latencyMs: 1, ids: {} };
    expect(assessOutput({ ...ok, answer: "```json\n{'verdict': 'ok'}\n```" }, { name: 'verdict', validate: VERDICT.validate })).toEqual({
      name: 'verdict',
      subject: 'answer',
      valid: true,
      repaired: true,
      reasons: ['removed ```json code fence', 'replaced single quotes with double quotes'],
    });
    expect(assessOutput({ ...ok, outputs: { verdict: 'meh' } }, { name: 'verdict', validate: VERDICT.validate })).toMatchObject({
      subject: 'outputs',
      valid: false,
      repaired: false,
      reasons: ['/verdict: must be one of ok, bad'],
    });
    expect(assessOutput({ ...ok, outputs: { text: 'x' } }, { name: 'verdict', validate: VERDICT.validate, output: 'result' })).toEqual({
      name: 'verdict',
      subject: 'outputs.result',
      valid: false,
      repaired: false,
      reasons: ['the run has no output `result` (it has `text`)'],
    });
    expect(assessOutput({ ...ok, answer: 'Sorry, I cannot.' }, { name: 'verdict', validate: VERDICT.validate })).toMatchObject({ valid: false, reasons: ['not JSON: no JSON object or array found in the output'] });
    expect(assessOutput({ ...ok, status: 'failed-run', outputs: {} }, { name: 'verdict', validate: VERDICT.validate })).toBeNull();
  });
});

async function* events(list: DifyStreamEvent[], error?: Error): AsyncGenerator<DifyStreamEvent> {
  for (const event of list) yield await Promise.resolve(event);
  if (error) throw error;
}

describe('foldStream', () => {
  it('collects chat chunks, usage and ids whatever the order of message_end and workflow_finished (1.0.x)', async () => {
    const chunks: string[] = [];
    const fold = await foldStream(
      events([
        { event: 'workflow_started', workflow_run_id: 'r1', task_id: 't1', data: { id: 'r1', workflow_id: 'w1' } },
        { event: 'message', answer: 'Hel', message_id: 'm1', conversation_id: 'c1', task_id: 't1' },
        { event: 'message', answer: 'lo', message_id: 'm1', conversation_id: 'c1' },
        { event: 'workflow_finished', data: { status: 'succeeded', outputs: { answer: 'Hello' }, total_tokens: 9 } },
        { event: 'message_end', metadata: { usage: { total_tokens: 9, prompt_tokens: 4, completion_tokens: 5 } } },
      ]),
      (text) => chunks.push(text),
    );
    expect(chunks).toEqual(['Hel', 'lo']);
    expect(fold).toMatchObject({ answer: 'Hello', runStatus: 'succeeded', ended: true, usage: { total: 9 } });
    expect(fold.ids).toEqual({ taskId: 't1', messageId: 'm1', conversationId: 'c1', workflowRunId: 'r1', workflowId: 'w1' });
  });

  it('streams workflow text chunks, takes a moderation replacement, and keeps an error event after the failure', async () => {
    const chunks: string[] = [];
    const replaced = await foldStream(events([{ event: 'message', answer: 'bad words' }, { event: 'message_replace', answer: '[removed]' }, { event: 'message_end' }]), () => undefined);
    expect(replaced.answer).toBe('[removed]');
    const error = new DifyStreamError({ method: 'POST', endpoint: '/v1/chat-messages', status: 400, code: 'invalid_param', detail: 'Run failed: boom' });
    const failed = await foldStream(
      events([{ event: 'text_chunk', data: { text: 'par' } }, { event: 'workflow_finished', data: { status: 'failed', error: 'boom', outputs: null } }], error),
      (text) => chunks.push(text),
    );
    expect(chunks).toEqual(['par']);
    expect(failed).toMatchObject({ runStatus: 'failed', runError: 'boom', outputs: null, streamError: error });
    await expect(foldStream(events([], new TypeError('not a Dify error')), () => undefined)).rejects.toThrow(TypeError);
  });
});

describe('JSON form', () => {
  const report: BroadcastReport = {
    environment: 'staging',
    results: [
      result('a', { latencyMs: 12.6, firstChunkMs: 3.2, usage: { total: 10, prompt: 4, completion: 6 }, schema: { name: 'verdict', subject: 'answer', valid: true, repaired: false, reasons: [] } }),
      withoutAnswer(result('b', { status: 'error', runStatus: null, error: 'no such app', errorCode: 'app-not-found', appId: null, mode: null, latencyMs: null, usage: null, ids: {}, passed: false })),
    ],
    totals: summarizeResults([result('a'), result('b', { status: 'error', passed: false, latencyMs: null })]),
    wallMs: 40.4,
    concurrency: 8,
    timeoutMs: 60_000,
    stream: false,
  };

  it('has every key, in a fixed order, whatever the result', () => {
    const json = toBroadcastJson(report);
    expect(Object.keys(json)).toEqual(['version', 'environment', 'concurrency', 'timeoutMs', 'stream', 'wallMs', 'results', 'totals']);
    const keys = ['app', 'appId', 'mode', 'status', 'passed', 'runStatus', 'latencyMs', 'firstChunkMs', 'tokens', 'output', 'error', 'schema', 'ids'];
    for (const r of json.results) {
      expect(Object.keys(r)).toEqual(keys);
      expect(Object.keys(r.ids)).toEqual(['taskId', 'messageId', 'conversationId', 'workflowRunId', 'workflowId']);
    }
    expect(Object.keys(json.totals)).toEqual(['apps', 'passed', 'failed', 'byStatus', 'invalid', 'latencyMs', 'tokens']);
    expect(json.results[0]).toMatchObject({ latencyMs: 13, firstChunkMs: 3, tokens: { total: 10, prompt: 4, completion: 6 }, output: { kind: 'answer', text: 'fine' } });
    expect(json.results[1]).toMatchObject({ latencyMs: null, firstChunkMs: null, tokens: null, output: null, error: { code: 'app-not-found', message: 'no such app' }, schema: null });
    expect(json.version).toBe(1);
    expect(json.wallMs).toBe(40);
  });

  it('renders the text table with a dash where nothing applies', () => {
    expect(renderBroadcastText(report)).toBe(
      [
        'broadcast to 2 apps in staging (concurrency 8, timeout 60.0 s)',
        '',
        'APP  MODE  STATUS  LATENCY  TOKENS  SCHEMA  OUTPUT',
        'a    chat  ok        13 ms      10  valid   fine',
        'b    -     error         -       -  -       no such app',
        '',
        'b:',
        '  error: no such app',
        '',
        '1 passed, 1 failed (ok 1, failed-run 0, error 1, timeout 0); latency p50 100 ms, p95 100 ms; 20 tokens; wall 40 ms',
        '',
      ].join('\n'),
    );
  });
});

describe('selection and flags', () => {
  function repoWith(apps: { name: string; tags: string[]; envs: string[] }[]): LoadedRepository {
    const desired = apps.flatMap((a) =>
      a.envs.map((env) => {
        const d = desiredApp(workflowDsl({ name: a.name }), { name: a.name, environment: env });
        return { ...d, source: { ...d.source, tags: a.tags, environments: a.envs } };
      }),
    );
    return {
      root: '/repo',
      configFile: 'dify-gitops.yaml',
      diagnostics: [],
      valid: true,
      environments: [{ name: 'staging' }, { name: 'prod' }] as LoadedRepository['environments'],
      apps: apps.map((a) => desired.find((d) => d.name === a.name)!.source),
      desired,
      outputSchemas: [],
      rotations: [],
    };
  }
  const repo = repoWith([
    { name: 'alpha', tags: ['core'], envs: ['staging', 'prod'] },
    { name: 'beta', tags: ['core', 'beta'], envs: ['staging'] },
    { name: 'gamma', tags: [], envs: ['prod'] },
  ]);

  it('selects named apps, every app, or tagged apps of one environment', () => {
    expect(selectBroadcastApps(repo, 'staging', { kind: 'all' }).map((d) => d.name)).toEqual(['alpha', 'beta']);
    expect(selectBroadcastApps(repo, 'prod', { kind: 'tag', tag: 'core' }).map((d) => d.name)).toEqual(['alpha']);
    expect(selectBroadcastApps(repo, 'staging', { kind: 'apps', apps: ['beta'] }).map((d) => [d.name, d.environment])).toEqual([['beta', 'staging']]);
    expect(() => selectBroadcastApps(repo, 'prod', { kind: 'apps', apps: ['beta'] })).toThrow('app `beta` does not deploy to environment `prod`');
    expect(() => selectBroadcastApps(repo, 'prod', { kind: 'tag', tag: 'beta' })).toThrow('tags in use: core');
    expect(() => selectBroadcastApps(repo, 'dev', { kind: 'all' })).toThrow('unknown environment `dev`; the config declares staging, prod');
  });

  it('parses flags or names the bad one', () => {
    expect(parseSelection({ apps: ' a, b,,a ' })).toEqual({ kind: 'apps', apps: ['a', 'b'] });
    expect(parseSelection({ all: true })).toEqual({ kind: 'all' });
    expect(() => parseSelection({})).toThrow('exactly one of');
    expect(() => parseSelection({ apps: ' , ' })).toThrow('--apps needs at least one app name');
    expect(parseTimeout('1m30s', 1)).toBe(90_000);
    expect(parseTimeout('250ms', 1)).toBe(250);
    expect(parseTimeout('5', 1)).toBe(5_000);
    expect(parseTimeout(undefined, 42)).toBe(42);
    expect(() => parseTimeout('0s', 1)).toThrow('between 1ms and 1h');
    expect(() => parseTimeout('10 sec', 1)).toThrow('--timeout must be a duration');
    expect(parseConcurrency('50', 8)).toBe(50);
    expect(() => parseConcurrency('2.5', 8)).toThrow('--concurrency');
    expect(parseRequest({ query: 'q', inputs: '{"a":1}', user: 'u' })).toEqual({ query: 'q', inputs: { a: 1 }, user: 'u' });
    expect(() => parseRequest({ inputs: '{oops' })).toThrow(/^--inputs is not JSON/);
  });
});
