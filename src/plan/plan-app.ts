// planApp: one DesiredApp and what was observed for it → one PlanEntry. Pure and synchronous, so
// the PR comment, `plan`, `apply --dry-run` and `apply` all decide the same way.
//
// Actions: create (no app yet); update (workflow / advanced-chat: import over the draft, then
// publish); update-model-config (chat, agent-chat, completion: Dify has no draft for these, the
// change is live at once); replace-required (the mode differs; Dify cannot change a mode);
// no-op; draft-only-drift (the published version matches git but the UI draft does not).

import type { DesiredApp } from '../config/types.js';
import { WORKFLOW_MODES, diffDsl, type DslDiff, type DslDocument } from '../dsl/index.js';
import { desiredDigestOf, desiredView, viewOf, type View } from './desired-view.js';
import { liveDigest } from './digest.js';
import { expectImportOutcome } from './import-outcome.js';
import { preflightFindings } from './preflight.js';
import { planSecrets } from './render-desired.js';
import { describeDiff } from './summarize.js';
import type { Finding, LiveLookup, PlanAction, PlanEntry, ServerFacts } from './types.js';

export interface PlanAppOptions {
  server: ServerFacts;
  /** Plugin ids seen installed in the environment (from live exports); undefined: not checked. */
  installedPlugins?: ReadonlySet<string> | undefined;
}

export function planApp(desired: DesiredApp, lookup: LiveLookup, options: PlanAppOptions): PlanEntry {
  const entry = planEntry(desired, lookup, options);
  // A suspended app keeps its planned action (the change is real and shown), but apply skips it.
  if (!desired.policies.suspend || !entry.changes) return entry;
  return { ...entry, notes: [...entry.notes, 'suspended (policies.suspend): apply skips this app until the policy is lifted'] };
}

function planEntry(desired: DesiredApp, lookup: LiveLookup, options: PlanAppOptions): PlanEntry {
  const live = lookup.kind === 'found' ? lookup.app : undefined;
  const liveVars = live?.draftEnvironmentVariables ?? [];
  const { rendered, view: want } = desiredView(desired);
  const secrets = planSecrets(desired, liveVars);
  const isWorkflow = WORKFLOW_MODES.includes(desired.source.mode);
  const ignore = desired.policies.ignore;
  // Each side is normalised and serialised once; equal JSON means no diff needs computing.
  const view = (doc: DslDocument | null): View | null => (doc === null ? null : viewOf(doc, ignore));
  const pub = view(live?.published ?? null);
  const draft = live !== undefined && live.draft === live.published ? pub : view(live?.draft ?? null);

  const base: PlanEntry = {
    environment: desired.environment,
    app: desired.name,
    appId: live?.appId ?? null,
    mode: desired.source.mode,
    liveMode: live?.mode ?? null,
    action: 'no-op',
    changes: false,
    blocked: false,
    summary: '',
    notes: [],
    diff: null,
    draftDiff: null,
    importOutcome: null,
    secrets,
    findings: [],
    healthChecks: desired.healthChecks.map((check) => check.name),
    live: live === undefined || lookup.kind !== 'found' ? null : { publishedWorkflowId: live.publishedWorkflowId, updatedAt: live.updatedAt, foundBy: lookup.foundBy },
    digests: { desired: desiredDigestOf(desired, secrets), live: liveDigest(live, { published: pub?.json ?? null, draft: draft?.json ?? null }) },
  };

  if (lookup.kind === 'error') {
    return finish({ ...base, action: 'error', findings: [{ severity: 'error', code: lookup.code, message: lookup.message }] }, `cannot plan: ${lookup.message}`);
  }

  const withPreflight = (entry: PlanEntry, importing: boolean): PlanEntry => {
    const importOutcome = importing ? expectImportOutcome(desired.source.dslVersion, options.server) : null;
    const findings = preflightFindings({ desired, importOutcome, secrets, installedPlugins: options.installedPlugins });
    return { ...entry, importOutcome, findings: [...entry.findings, ...findings] };
  };

  if (live === undefined) {
    const diff = diffViews(viewOf(emptyApp(desired, rendered), ignore), want);
    const notes = isWorkflow
      ? ['creates the app by import, then publishes it']
      : ['creates the app by import with its model config; it is live at once (no draft or publish for this mode)'];
    return finish(withPreflight({ ...base, action: 'create', changes: true, diff, notes }, true), `create: ${describeDiff(diff)}`);
  }

  if (live.mode !== desired.source.mode) {
    const diff = pub === null ? null : diffViews(pub, want);
    const notes = [
      `Dify cannot change an app's mode (${live.mode} → ${desired.source.mode}); apply refuses. Delete the app in Dify or point the manifest at a new app (target: { create: true }).`,
    ];
    return finish({ ...base, action: 'replace-required', diff, notes }, `replace required: mode ${live.mode} → ${desired.source.mode}`);
  }

  if (!isWorkflow) {
    const diff = diffViews(pub ?? viewOf(emptyApp(desired, rendered), ignore), want);
    if (diff.summary.total === 0) return finish({ ...base, diff }, 'no changes');
    const notes = ['live at once: chat, agent-chat and completion apps have no draft or publish step; the model config POST takes effect immediately'];
    if (diff.changes.some((change) => change.subject === 'app')) notes.push('app name, icon and description changes are not applied for this mode (the model config endpoint does not carry them)');
    return finish(withPreflight({ ...base, action: 'update-model-config', changes: true, diff, notes }, false), `update model config (live at once): ${describeDiff(diff)}`);
  }

  const draftDiff = draft === null || pub === null ? null : nonEmpty(diffViews(pub, draft));

  if (pub === null) {
    const diff = diffViews(viewOf(emptyApp(desired, rendered), ignore), want);
    const notes = ['the app has never been published: import, then publish for the first time'];
    return finish(withPreflight({ ...base, action: 'update', changes: true, diff, notes }, true), `update (first publish): ${describeDiff(diff)}`);
  }

  const diff = diffViews(pub, want);
  if (diff.summary.total > 0) {
    const entry: PlanEntry = { ...base, action: 'update', changes: true, diff, draftDiff, notes: ['import over the draft, then publish a new version'] };
    if (draftDiff !== null) {
      entry.findings = [{ severity: 'warning', code: 'draft-overwritten', message: `the UI draft holds unpublished edits (${describeDiff(draftDiff)}); the import replaces them` }];
    }
    return finish(withPreflight(entry, true), `update: ${describeDiff(diff)}; import + publish`);
  }

  if (draftDiff !== null) {
    const heal = desired.policies.drift === 'heal';
    const notes = heal
      ? ['drift policy heal: apply re-imports git into the draft (the published version is untouched)']
      : [`drift policy ${desired.policies.drift}: reported only; the published version already matches git`];
    const entry: PlanEntry = { ...base, action: 'draft-only-drift', changes: heal, diff, draftDiff, notes };
    return finish(heal ? withPreflight(entry, true) : entry, `draft-only drift: the UI draft differs (${describeDiff(draftDiff)}); published matches git`);
  }
  return finish({ ...base, diff }, 'no changes');
}

function finish(entry: PlanEntry, summary: string): PlanEntry {
  const blockingAction: PlanAction[] = ['replace-required', 'error'];
  const blocked = blockingAction.includes(entry.action) || entry.findings.some((f: Finding) => f.severity === 'error');
  return { ...entry, summary, blocked };
}

/** A fresh empty diff per entry (callers may extend it); a literal, as structuredClone cost more. */
function noChanges(): DslDiff {
  return {
    formatVersion: 1,
    summary: { nodes: { added: 0, removed: 0, changed: 0 }, edges: { added: 0, removed: 0, rewired: 0 }, variables: { added: 0, removed: 0, changed: 0 }, other: 0, total: 0 },
    changes: [],
  };
}

function diffViews(before: View, after: View): DslDiff {
  return before.json === after.json ? noChanges() : diffDsl(before.doc, after.doc);
}

function nonEmpty(diff: DslDiff): DslDiff | null {
  return diff.summary.total === 0 ? null : diff;
}

/** An app with nothing in it, of the desired mode: what a create is compared against. */
function emptyApp(desired: DesiredApp, rendered: DslDocument): DslDocument {
  const app = { mode: desired.source.mode, name: rendered.app.name ?? desired.name };
  if (WORKFLOW_MODES.includes(desired.source.mode)) {
    return { app, workflow: { graph: { nodes: [], edges: [] }, features: {}, environment_variables: [], conversation_variables: [] } };
  }
  return { app, model_config: {} };
}
