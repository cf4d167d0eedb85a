import { describe, expect, it } from 'vitest';
import { renderMarker, validateFamily } from '../../src/github/comment-marker.js';
import { CONTINUATION_RESERVE } from '../../src/github/pack-comment.js';
import { planCommentFamily, renderPlanComment, renderPlanCommentBody, type PlanCommentInput } from '../../src/github/render-plan-comment.js';
import { GITHUB_COMMENT_LIMIT } from '../../src/github/split-comment.js';
import { planApp } from '../../src/plan/plan-app.js';
import type { Plan } from '../../src/plan/types.js';
import { checkMermaid, mermaidBlocks } from '../support/mermaid-check.js';
import { DESIRED_CANARY, LIVE_CANARY, generatedPlan } from '../support/plan-comment-fixtures.js';
import { SERVER_1_14, chatDsl, desiredApp, liveFrom, workflowDsl } from '../support/plan-builders.js';
import { checkBalance } from '../support/random-markdown.js';

/** The longest marker ensureStickyComment can put on a part: what a posted comment really weighs. */
function posted(part: string, environment: string): number {
  return `${renderMarker({ family: planCommentFamily(environment), part: 10, parts: 10, sha: 'f'.repeat(40) })}\n${part}`.length;
}

function smallPlan(): PlanCommentInput {
  const created = planApp(desiredApp(workflowDsl({ name: 'fresh' }), { environment: 'production', name: 'fresh' }), { kind: 'absent' }, { server: SERVER_1_14 });
  const live = workflowDsl({ name: 'demo' });
  const want = workflowDsl({ name: 'demo', prompt: 'New prompt about {{#start.topic#}}' });
  const updated = planApp(desiredApp(want, { environment: 'production', name: 'demo' }), { kind: 'found', app: liveFrom(live), foundBy: 'appId' }, { server: SERVER_1_14 });
  const same = planApp(desiredApp(live, { environment: 'production', name: 'same' }), { kind: 'found', app: liveFrom(live), foundBy: 'appId' }, { server: SERVER_1_14 });
  const chat = planApp(desiredApp(chatDsl('Be terse.', 'helper'), { environment: 'production', name: 'helper' }), { kind: 'found', app: liveFrom(chatDsl('Be chatty.', 'helper')), foundBy: 'appId' }, { server: SERVER_1_14 });
  const other = planApp(desiredApp(want, { environment: 'staging', name: 'demo' }), { kind: 'absent' }, { server: SERVER_1_14 });
  const plan: Plan = { formatVersion: 1, createdAt: '2026-01-01T00:00:00Z', revision: { id: 'abc1234', subject: 'Tune the *demo* prompt' }, servers: { production: SERVER_1_14 }, entries: [created, updated, same, chat, other] };
  return {
    plan,
    environment: 'production',
    desired: new Map([['fresh', workflowDsl({ name: 'fresh' })], ['demo', want]]),
    diagnostics: [
      { file: 'workflows/demo/app.dsl.yml', line: 12, col: 5, severity: 'warning', code: 'DSL104', message: 'LLM node <llm> has no `context`' },
      { file: 'dify-gitops.yaml', line: 0, col: 0, severity: 'info', code: 'config-note', message: 'two\nlines' },
    ],
    fullPlanUrl: 'https://github.com/acme/dify-apps/actions/runs/42',
  };
}

describe('renderPlanComment', () => {
  it('renders the summary table, lint list, folded diffs with graphs, the next command and the link', () => {
    const input = smallPlan();
    const body = renderPlanCommentBody(input);
    expect(body).toContain('### dify-gitops plan: `production`');
    expect(body).toContain('revision `abc1234` (Tune the \\*demo\\* prompt) · Dify 1.14.1');
    expect(body).toContain('| App | Environment | Action | Nodes added | Nodes changed | Nodes removed | Warnings |');
    expect(body).toContain('| fresh | production | `create` | 3 | 0 | 0 | ⚠️ 1 |');
    expect(body).toContain('- **warning** `secret-without-value`: secret API\\_KEY has no binding for production');
    expect(body).toContain('| demo | production | `update` | 0 | 1 | 0 | 0 |');
    expect(body).toContain('| same | production | `no-op` | 0 | 0 | 0 | 0 |');
    expect(body).toContain('| helper | production | `update-model-config` | 0 | 0 | 0 | 0 |');
    expect(body).not.toMatch(/\| demo \| staging/);
    expect(body).toContain('- ⚠️ warning `DSL104` at `workflows/demo/app.dsl.yml:12:5`: LLM node \\<llm\\> has no \\`context\\`');
    expect(body).toContain('- ℹ️ info `config-note` at `dify-gitops.yaml`: two lines');
    // One folded section per app that changes; none for the no-op.
    expect(body.match(/^<details>$/gm)).toHaveLength(3);
    expect(body).toContain('<summary><b>demo</b>: update — update: nodes: 1 changed; import + publish</summary>');
    expect(body).not.toContain('<b>same</b>');
    // Graphs for the workflow apps, not for the chat app.
    const graphs = mermaidBlocks(body).map(checkMermaid);
    expect(graphs).toHaveLength(2);
    for (const graph of graphs) expect(graph.problems).toEqual([]);
    expect(graphs[0]!.classes.get('added')).toEqual(['n_start', 'n_llm', 'n_end']);
    expect(Object.fromEntries(graphs[1]!.classes)).toEqual({ changed: ['n_llm'], unchanged: ['n_start', 'n_end'] });
    expect(body).toContain('**Next:** merge to apply, or run `dify-gitops apply --env production`.');
    expect(body).toContain('[Full plan and logs](https://github.com/acme/dify-apps/actions/runs/42)');
    expect(checkBalance(body)).toEqual({ ok: true });
    expect(renderPlanComment(input)).toEqual([body.trimEnd()]);
  });

  it('says what to do when an entry is blocked, and when nothing changes', () => {
    const input = smallPlan();
    const blocked = { ...input, plan: { ...input.plan, entries: input.plan.entries.map((e) => (e.app === 'demo' ? { ...e, blocked: true, findings: [{ severity: 'error' as const, code: 'x', message: 'no' }] } : e)) } };
    expect(renderPlanCommentBody(blocked)).toContain('**Next:** apply refuses while an entry is blocked (⛔)');
    expect(renderPlanCommentBody(blocked)).toContain('| demo | production | `update` ⛔ blocked |');
    const quiet = { ...input, plan: { ...input.plan, entries: input.plan.entries.filter((e) => e.app === 'same') } };
    expect(renderPlanCommentBody(quiet)).toContain('**Next:** nothing to apply in `production`.');
  });

  it('splits a 300-app plan into comments within GitHub\'s limit, keeping fences, details and graphs whole, with the pointer past the cap', () => {
    const { plan, desired } = generatedPlan(300, { promptLines: 12 });
    const input: PlanCommentInput = { plan, environment: 'production', desired, fullPlanUrl: 'https://github.com/acme/dify-apps/actions/runs/7' };
    const body = renderPlanCommentBody(input);
    expect(body.length).toBeGreaterThan(10 * GITHUB_COMMENT_LIMIT);

    const parts = renderPlanComment(input, { maxParts: 10 });
    expect(parts).toHaveLength(10);
    for (const [i, part] of parts.entries()) {
      expect(posted(part, 'production'), `part ${i + 1}`).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(checkBalance(part), `part ${i + 1}`).toEqual({ ok: true });
      const opened = part.match(/^```mermaid$/gm)?.length ?? 0;
      const graphs = mermaidBlocks(part);
      expect(graphs, `part ${i + 1}: every graph is whole`).toHaveLength(opened);
      for (const graph of graphs) expect(checkMermaid(graph).problems).toEqual([]);
      if (i > 0) expect(part.startsWith(`_dify-gitops plan for \`production\`, continued (part ${i + 1} of 10)_`)).toBe(true);
      expect(part).not.toContain(DESIRED_CANARY);
      expect(part).not.toContain(LIVE_CANARY);
    }
    // Parts are filled: only the last may be short.
    for (const part of parts.slice(0, -1)) expect(part.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT * 0.9);
    const last = parts.at(-1)!;
    expect(last).toMatch(/\*\*Plan truncated:\*\* it needs \d+ comments and 10 are posted\. Not shown \(or shown in part\): \d+ apps \(`app-\d{3}`/);
    expect(last).toContain('Everything is in the [full plan](https://github.com/acme/dify-apps/actions/runs/7).');
    expect(last).toContain('**Next:** merge to apply, or run `dify-gitops apply --env production`.');
    // Every app is either shown or named as missing.
    const shown = new Set([...parts.join('\n').matchAll(/<summary><b>(app-\d{3})<\/b>/g)].map((m) => m[1]));
    const missing = Number(/Not shown \(or shown in part\): (\d+) apps/.exec(last)![1]);
    expect(shown.size + missing).toBeGreaterThanOrEqual(300);

    const all = renderPlanComment(input, { maxParts: 100 });
    expect(all.length).toBeGreaterThan(10);
    expect(all.at(-1)).not.toContain('Plan truncated');
    const everyApp = new Set([...all.join('\n').matchAll(/<summary><b>(app-\d{3})<\/b>/g)].map((m) => m[1]));
    expect(everyApp.size).toBe(300);
    expect(body).not.toContain(DESIRED_CANARY);
    expect(body).not.toContain(LIVE_CANARY);
  });

  it('cuts one app bigger than a comment with splitMarkdown, its graph staying whole in the first piece', () => {
    const { plan, desired } = generatedPlan(2, { promptLines: 4_000 });
    const parts = renderPlanComment({ plan, environment: 'production', desired }, { maxParts: 50 });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(posted(part, 'production')).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(checkBalance(part)).toEqual({ ok: true });
      expect(mermaidBlocks(part)).toHaveLength(part.match(/^```mermaid$/gm)?.length ?? 0);
    }
    expect(parts.flatMap(mermaidBlocks)).toHaveLength(2);
    // Continuations reopen the app's <details> with its summary.
    for (const app of ['app-000', 'app-001']) {
      const continued = parts.filter((p) => p.startsWith('_dify-gitops plan') && p.includes(`\n\n<details><summary><b>${app}</b>: update — `) && p.includes('(continued)</summary>'));
      expect(continued.length, app).toBeGreaterThan(0);
      const first = parts.find((p) => p.includes(`<details>\n<summary><b>${app}</b>`))!;
      expect(mermaidBlocks(first.slice(first.indexOf(`<summary><b>${app}</b>`)))[0], app).toMatch(/^flowchart LR\n/);
    }
  });

  it('works with small limits too, and reserves room for the marker and the continuation line', () => {
    const { plan, desired } = generatedPlan(20);
    const parts = renderPlanComment({ plan, environment: 'production', desired }, { limit: 8_000, maxParts: 40 });
    for (const part of parts) {
      expect(posted(part, 'production')).toBeLessThanOrEqual(8_000);
      expect(checkBalance(part)).toEqual({ ok: true });
    }
    expect(CONTINUATION_RESERVE).toBeGreaterThan('_dify-gitops plan for ``, continued (part 10 of 10)_'.length + 64);
  });

  it('names a marker family every environment name can have', () => {
    for (const name of ['prod', 'eu-west.1', 'a--b', 'x---y', 'A_9']) expect(() => validateFamily(planCommentFamily(name))).not.toThrow();
    expect(planCommentFamily('a--b')).not.toBe(planCommentFamily('a-b'));
  });
});
