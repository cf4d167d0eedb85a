// Compares one desired app with what is live, as cheaply as the last run allows: when the app
// list shows the same live fingerprint and git the same digest as last time, and the last outcome
// was calm, the outcome is reused (optionally after one draft read). Otherwise the app is read in
// full with plan's observeApp and compared with plan's planApp: one observation, one differ.

import type { DesiredApp } from '../config/types.js';
import type { AppSummary, DifyClient } from '../dify/index.js';
import { WORKFLOW_MODES } from '../dsl/index.js';
import { findTarget } from '../plan/find-target.js';
import { observeApp } from '../plan/observe.js';
import { planApp } from '../plan/plan-app.js';
import { canonicalJson, sha256 } from '../plan/digest.js';
import type { LiveApp, PlanEntry, ServerFacts } from '../plan/types.js';
import { draftDigestOf, fingerprintOf, gitDigest, reuseDecision } from './decide.js';
import type { AppMemory } from './memory.js';

export interface CompareContext {
  client: DifyClient;
  server: ServerFacts;
  /** The environment's app list (read once). */
  apps: readonly AppSummary[];
  registry: Readonly<Record<string, string>>;
  memory: ReadonlyMap<string, AppMemory>;
  tenant: () => Promise<string>;
  checkDrafts: boolean;
  now: Date;
}

export type Comparison =
  /** The last calm outcome still holds; nothing was read but (maybe) the draft. */
  | { kind: 'unchanged'; status: 'in-sync' | 'draft-only-drift'; memory: AppMemory }
  /** Read and compared: the plan entry says what differs. `memory` is what to remember (status set by the caller). */
  | { kind: 'compared'; entry: PlanEntry; live: LiveApp | null; memory: Omit<AppMemory, 'status'> | null }
  | { kind: 'error'; message: string };

export async function compareApp(ctx: CompareContext, desired: DesiredApp): Promise<Comparison> {
  const match = findTarget(desired, ctx.apps, ctx.registry);
  if (match.kind === 'error') return { kind: 'error', message: match.message };
  if (match.kind === 'absent') return { kind: 'compared', entry: planApp(desired, { kind: 'absent' }, { server: ctx.server }), live: null, memory: null };

  const summary = match.summary;
  const digest = gitDigest(desired);
  const remembered = ctx.memory.get(desired.name);
  const isWorkflow = (WORKFLOW_MODES as readonly string[]).includes(summary.mode);
  const reuse = reuseDecision(remembered, summary, digest, isWorkflow, ctx.checkDrafts);
  if (reuse.kind === 'reuse') return { kind: 'unchanged', status: reuse.status, memory: remembered! };
  if (reuse.kind === 'check-draft') {
    const draft = await ctx.client.drafts.get(summary.id);
    if (draftDigestOf(summary, draft) === remembered!.draftDigest) return { kind: 'unchanged', status: remembered!.status as 'in-sync' | 'draft-only-drift', memory: remembered! };
  }

  const live = await observeApp(ctx.client, summary, ctx.tenant);
  const entry = planApp(desired, { kind: 'found', app: live, foundBy: match.foundBy }, { server: ctx.server });
  const memory = {
    app: desired.name,
    appId: summary.id,
    fingerprint: fingerprintOf(summary),
    gitDigest: digest,
    // Same function of the same record content as the cheap check (draftDigestOf).
    draftDigest: live.draft?.workflow === undefined ? null : sha256(canonicalJson(live.draft.workflow)),
    checkedAt: ctx.now.toISOString(),
    heal: remembered?.appId === summary.id ? remembered.heal : undefined,
  };
  return { kind: 'compared', entry, live, memory };
}
