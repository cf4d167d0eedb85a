// Generated plans for the PR-comment tests: many workflow apps whose live versions differ from git
// (nodes added, removed and renamed with awkward titles, edges rewired, long prompts changed),
// planned by the real planner (planApp). Secret canaries sit in the secret env vars of both the
// desired and the live DSL, so a test can prove no part of a comment carries them.

import type { DslDocument, DslNode } from '../../src/dsl/index.js';
import { planApp } from '../../src/plan/plan-app.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanEntry } from '../../src/plan/types.js';
import { SERVER_1_14, desiredApp, liveFrom, workflowDsl } from './plan-builders.js';
import { seededRandom } from './random-markdown.js';

export const DESIRED_CANARY = 'canary-desired-secret-5f1d2e';
export const LIVE_CANARY = 'canary-live-secret-9a8b7c';

const AWKWARD = ['Say "hi"', 'Route [A|B]', 'Score #1', 'Parse <json>', 'Step `x`', '**Bold** _node_', 'Multi\nline', 'Paren (x) {y}'];

function codeNode(id: string, title: string): DslNode {
  return { id, type: 'custom', data: { type: 'code', title, code_language: 'python3', code: `def main():\n    return {"id": "${id}"}`, variables: [], outputs: {} } };
}

/** start → c1 … cN → llm → end, with `extra` lines in the prompt. */
function chainDsl(name: string, steps: string[], prompt: string, secret: string): DslDocument {
  const dsl = workflowDsl({ name, prompt, env: [{ name: 'API_KEY', value_type: 'secret', value: secret }, { name: 'REGION', value_type: 'string', value: 'eu' }] });
  const graph = dsl.workflow!.graph!;
  graph.nodes = [graph.nodes![0]!, ...steps.map((title, i) => codeNode(`c${i}`, title)), graph.nodes![1]!, graph.nodes![2]!];
  const chain = ['start', ...steps.map((_t, i) => `c${i}`), 'llm', 'end'];
  graph.edges = chain.slice(1).map((target, i) => ({ id: `${chain[i]}-${target}`, source: chain[i]!, sourceHandle: 'source', target, targetHandle: 'target', type: 'custom' }));
  return dsl;
}

export interface GeneratedPlan {
  plan: Plan;
  /** Desired DSL per app name, as renderPlanComment takes it. */
  desired: Map<string, DslDocument>;
}

/**
 * `count` apps in `environment`, every one changed. `promptLines` sets the size of each prompt
 * change (long prompts make big diffs).
 */
export function generatedPlan(count: number, options: { environment?: string; seed?: number; promptLines?: number } = {}): GeneratedPlan {
  const environment = options.environment ?? 'production';
  const random = seededRandom(options.seed ?? 7);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const entries: PlanEntry[] = [];
  const desired = new Map<string, DslDocument>();
  for (let i = 0; i < count; i++) {
    const name = `app-${String(i).padStart(3, '0')}`;
    const steps = Array.from({ length: int(1, 12) }, (_v, j) => `${AWKWARD[(i + j) % AWKWARD.length]} ${j}`);
    const lines = (tag: string) => Array.from({ length: options.promptLines ?? 6 }, (_v, j) => `${tag} line ${j}: answer about {{#start.topic#}}`).join('\n');
    const live = chainDsl(name, steps, lines('old'), '');
    // Git drops the last step, renames the first, adds two at the front: removed, changed, added nodes and rewired edges.
    const wantSteps = [`${steps[0]} (renamed)`, ...steps.slice(1, -1)];
    const want = chainDsl(name, wantSteps, lines('new'), DESIRED_CANARY);
    const graph = want.workflow!.graph!;
    graph.nodes!.splice(1, 0, codeNode('fresh-a', 'Fresh "A" [pre]'), codeNode('fresh-b', 'Fresh #B'));
    graph.edges![0] = { id: 's-a', source: 'start', sourceHandle: 'source', target: 'fresh-a' };
    graph.edges!.push({ id: 'a-b', source: 'fresh-a', sourceHandle: 'source', target: 'fresh-b' }, { id: 'b-x', source: 'fresh-b', sourceHandle: 'source', target: wantSteps.length > 0 ? 'c0' : 'llm' });
    const observed = liveFrom(live, { appId: `id-${i}` });
    for (const v of observed.published!.workflow!.environment_variables!) if (v.value_type === 'secret') v.value = LIVE_CANARY;
    const app = desiredApp(want, { environment, name, secrets: [{ variable: 'API_KEY', keepLive: false, source: { env: 'DIFY_API_KEY_SOURCE' } }] });
    entries.push(planApp(app, { kind: 'found', app: observed, foundBy: 'appId' }, { server: SERVER_1_14 }));
    desired.set(name, want);
  }
  const plan: Plan = { formatVersion: PLAN_FORMAT_VERSION, createdAt: '2026-01-01T00:00:00.000Z', revision: { id: 'abc1234', subject: 'Change many apps' }, servers: { [environment]: SERVER_1_14 }, entries };
  return { plan, desired };
}
