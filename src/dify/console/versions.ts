// Publish and published versions (contract §6.4–6.7). Publish is never retried: each call
// creates a new version row. Publish does not return the new version's id, so
// `publishVersion` reads it back from the app detail (`workflow.id`) right after.

import { createUnexpectedResponseError } from '../error-translation.js';
import { arrayOf, bool, defineShape, int, obj, str } from '../shapes.js';
import type { DraftSyncResult, VersionMarks, WorkflowRecord } from '../types.js';
import { appPath, deleteOnce, type ConsoleContext } from './context.js';
import { WORKFLOW_FIELDS } from './drafts.js';
import type { AppsApi } from './apps.js';

const PUBLISH = defineShape<{ result: string; created_at: number }>('publish result', obj({ result: str, created_at: int }));
const PUBLISHED = defineShape<Partial<WorkflowRecord> & { id: string | null }>('published workflow', { type: 'object' });
const VERSION = defineShape<WorkflowRecord>('workflow version', obj(WORKFLOW_FIELDS));
const VERSION_PAGE = defineShape<{ items: WorkflowRecord[]; has_more: boolean }>(
  'workflow version page',
  obj({ items: arrayOf(obj({ id: str, version: str })), has_more: bool }),
);
const RESTORE = defineShape<DraftSyncResult>('restore result', obj({ hash: str, updated_at: int }));

export interface ListVersionsOptions {
  /** Only versions with a non-empty marked_name (≥1.0.1). */
  namedOnly?: boolean;
  /** Only versions by this account (Dify allows only your own id). */
  userId?: string;
}

export interface VersionsApi {
  /** Publishes the draft as a new version. Returns Dify's `created_at` only. */
  publish(appId: string, marks?: VersionMarks): Promise<{ created_at: number }>;
  /** Publishes, then reads the new version's id from the app detail. */
  publishVersion(appId: string, marks?: VersionMarks): Promise<{ workflowId: string; created_at: number }>;
  /** The published workflow (GET …/workflows/publish), or null when never published. */
  getPublished(appId: string): Promise<WorkflowRecord | null>;
  /** All version rows, every page: the draft row first, then published versions newest first. */
  list(appId: string, options?: ListVersionsOptions): Promise<WorkflowRecord[]>;
  update(appId: string, workflowId: string, marks: VersionMarks): Promise<WorkflowRecord>;
  delete(appId: string, workflowId: string): Promise<void>;
  /** Copies a published version (secrets included) into the draft (≥1.13.3). */
  restore(appId: string, workflowId: string): Promise<DraftSyncResult>;
}

export function createVersionsApi(ctx: ConsoleContext, apps: Pick<AppsApi, 'publishedWorkflowId'>): VersionsApi {
  const versionPath = (appId: string, workflowId: string, suffix = ''): string =>
    appPath(appId, `/workflows/${encodeURIComponent(workflowId)}${suffix}`);

  async function publish(appId: string, marks: VersionMarks = {}): Promise<{ created_at: number }> {
    if (marks.marked_name !== undefined || marks.marked_comment !== undefined) {
      await ctx.require('versionMarks', 'marked_name / marked_comment on publish', '1.0.1');
    }
    const body = await ctx.json({ method: 'POST', path: appPath(appId, '/workflows/publish'), json: marks }, PUBLISH);
    return { created_at: body.created_at };
  }

  return {
    publish,
    async publishVersion(appId, marks) {
      const { created_at } = await publish(appId, marks);
      const workflowId = await apps.publishedWorkflowId(appId);
      if (workflowId === null) {
        const problem = 'the app reports no published workflow right after publishing';
        throw createUnexpectedResponseError({ method: 'GET', endpoint: `/console/api${appPath(appId)}`, status: 200, problem }, ctx.redactor);
      }
      return { workflowId, created_at };
    },
    async getPublished(appId) {
      const res = await ctx.send({ method: 'GET', path: appPath(appId, '/workflows/publish') });
      // Never published: HTTP 200 with every field null (contract §6.4).
      if (typeof ctx.parse(res, PUBLISHED).id !== 'string') return null;
      return ctx.parse(res, VERSION);
    },
    async list(appId, options = {}) {
      const rows: WorkflowRecord[] = [];
      for (let page = 1; page <= 99_999; page++) {
        const query = { page, limit: 100, named_only: options.namedOnly === true ? 'true' : undefined, user_id: options.userId };
        const body = await ctx.json({ method: 'GET', path: appPath(appId, '/workflows'), query }, VERSION_PAGE);
        rows.push(...body.items);
        if (!body.has_more || body.items.length === 0) break;
      }
      return rows;
    },
    async update(appId, workflowId, marks) {
      await ctx.require('versionMarks', 'updating a version', '1.0.1');
      return ctx.json({ method: 'PATCH', path: versionPath(appId, workflowId), json: marks, idempotent: true }, VERSION);
    },
    async delete(appId, workflowId) {
      await ctx.require('versionMarks', 'deleting a version', '1.0.1');
      await deleteOnce(ctx, { method: 'DELETE', path: versionPath(appId, workflowId) });
    },
    async restore(appId, workflowId) {
      await ctx.require('workflowRestore', 'restoring a version into the draft', '1.13.3');
      // Restore copies a fixed version into the draft: repeating it yields the same draft.
      return ctx.json({ method: 'POST', path: versionPath(appId, workflowId, '/restore'), idempotent: true }, RESTORE);
    },
  };
}
