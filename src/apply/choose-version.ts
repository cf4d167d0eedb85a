// Which published version `rollback --to` means (pure): `previous` (the version live before the
// last successful apply, from the journal history, else the next older published version), a git
// revision (the newest version whose marked_name is that revision), or a workflow id.

import type { WorkflowRecord } from '../dify/index.js';
import type { JournalRecord } from '../state/journal.js';

export type VersionChoice = { ok: true; version: WorkflowRecord; why: string } | { ok: false; message: string };

export function chooseVersion(to: string, versions: readonly WorkflowRecord[], currentId: string | null, history: readonly JournalRecord[]): VersionChoice {
  const published = versions.filter((v) => v.version !== 'draft').sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
  if (published.length === 0) return { ok: false, message: 'the app has no published versions' };
  if (to === 'previous') {
    const lastApply = [...history].reverse().find((r) => r.operation === 'apply' && r.outcome?.status === 'applied');
    const before = lastApply?.context.previousWorkflowId;
    const fromHistory = typeof before === 'string' ? published.find((v) => v.id === before) : undefined;
    if (fromHistory && fromHistory.id !== currentId) return { ok: true, version: fromHistory, why: `the version live before the last apply (${typeof lastApply?.context.revision === 'string' ? lastApply.context.revision : '?'})` };
    const index = published.findIndex((v) => v.id === currentId);
    const older = index < 0 ? undefined : published[index + 1];
    return older ? { ok: true, version: older, why: 'the published version before the current one' } : { ok: false, message: 'there is no published version older than the current one' };
  }
  const byId = published.find((v) => v.id === to);
  if (byId) return { ok: true, version: byId, why: `workflow version ${to}` };
  const byRevision = published.find((v) => typeof v.marked_name === 'string' && v.marked_name !== '' && (v.marked_name === to || to.startsWith(v.marked_name) || v.marked_name.startsWith(to)) && !v.marked_name.startsWith('rollback'));
  if (byRevision) return { ok: true, version: byRevision, why: `the version published for git revision ${byRevision.marked_name ?? to}` };
  return { ok: false, message: `no published version has id or marked name ${to} (see \`dify-gitops history\`)` };
}
