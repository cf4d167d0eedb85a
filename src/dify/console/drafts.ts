// The draft workflow of a workflow / advanced-chat app (contract §6.1–6.3, §6.8): read, sync with
// the hash check, variables, features, and debugger runs (SSE).
// Draft sync is marked idempotent: it is a compare-and-swap on `hash`, so a repeated request can
// never overwrite someone else's edit. A repeat after a lost answer gets 409 (the first attempt
// already moved the hash); then the draft is read back, and if it holds exactly what was sent,
// the sync counts as done.

import { isDeepStrictEqual } from 'node:util';
import { DifyNotFoundError, DraftConflictError } from '../errors.js';
import { arrayOf, defineShape, int, obj, str } from '../shapes.js';
import type { DifyStreamEvent } from '../stream-events.js';
import type { DraftSyncInput, DraftSyncResult, WorkflowRecord, WorkflowVariable } from '../types.js';
import { appPath, type ConsoleContext } from './context.js';

const HIDDEN_VALUE = '[__HIDDEN__]';

export const WORKFLOW_FIELDS = { id: str, version: str, graph: { type: 'object' }, hash: str, updated_at: int };
const DRAFT = defineShape<WorkflowRecord>('workflow draft', obj(WORKFLOW_FIELDS, { features: { type: ['object', 'null'] } }));
const SYNC = defineShape<DraftSyncResult>('draft sync result', obj({ hash: str, updated_at: int }));
const VARIABLES = defineShape<{ items: WorkflowVariable[] }>('variable list', obj({ items: arrayOf(obj({ id: str, name: str })) }));
const RESULT = defineShape<{ result: string }>('result', obj({ result: str }));

export interface DraftRunInput {
  inputs: Record<string, unknown>;
  files?: readonly unknown[];
}

export interface AdvancedChatDraftRunInput {
  query: string;
  inputs?: Record<string, unknown>;
  conversation_id?: string;
  parent_message_id?: string;
  files?: readonly unknown[];
}

export interface DraftsApi {
  /** The draft, or null when the app has none yet (404 `draft_workflow_not_exist`). */
  get(appId: string): Promise<WorkflowRecord | null>;
  /** Replaces the draft; 409 → DraftConflictError (the draft changed since `hash` was read). */
  sync(appId: string, input: DraftSyncInput): Promise<DraftSyncResult>;
  /** Env vars with secret values in plaintext (≥1.5.0); secret values are registered for redaction. */
  getEnvironmentVariables(appId: string): Promise<WorkflowVariable[]>;
  /** Replaces env vars without a hash check (≥1.14.0). `[__HIDDEN__]` + id keeps a stored secret. */
  setEnvironmentVariables(appId: string, variables: readonly unknown[]): Promise<void>;
  getConversationVariables(appId: string): Promise<WorkflowVariable[]>;
  /** advanced-chat only (≥1.14.0). */
  setConversationVariables(appId: string, variables: readonly unknown[]): Promise<void>;
  /** Replaces the draft features without a hash check (≥1.14.0). */
  setFeatures(appId: string, features: Record<string, unknown>): Promise<void>;
  /** Debugger run of a workflow app's draft; always streamed. */
  run(appId: string, input: DraftRunInput): Promise<AsyncIterable<DifyStreamEvent>>;
  runAdvancedChat(appId: string, input: AdvancedChatDraftRunInput): Promise<AsyncIterable<DifyStreamEvent>>;
  stopRun(appId: string, taskId: string): Promise<void>;
}

export function createDraftsApi(ctx: ConsoleContext): DraftsApi {
  const draftPath = (appId: string, suffix = ''): string => appPath(appId, `/workflows/draft${suffix}`);

  async function get(appId: string): Promise<WorkflowRecord | null> {
    try {
      const draft = await ctx.json({ method: 'GET', path: draftPath(appId) }, DRAFT);
      return { ...draft, environment_variables: draft.environment_variables ?? [], conversation_variables: draft.conversation_variables ?? [] };
    } catch (error) {
      if (error instanceof DifyNotFoundError && error.code === 'draft_workflow_not_exist') return null;
      throw error;
    }
  }

  /**
   * Whether the draft read back holds exactly what `input` sent: graph, features and every
   * variable. Secret values come back masked (≥1.8.1), so they are compared on the plaintext
   * read when the server has one; anything that cannot be verified counts as not written.
   */
  async function draftHolds(appId: string, draft: WorkflowRecord, input: DraftSyncInput): Promise<boolean> {
    const sent = JSON.parse(JSON.stringify(input)) as DraftSyncInput;
    if (!isDeepStrictEqual({ graph: draft.graph, features: draft.features }, { graph: sent.graph, features: sent.features })) return false;
    if (!sameVariables(draft.conversation_variables ?? [], sent.conversation_variables ?? [])) return false;
    const sentEnv = sent.environment_variables ?? [];
    if (sameVariables(draft.environment_variables ?? [], sentEnv)) return true;
    if (!sentEnv.some((v) => isRecord(v) && v.value_type === 'secret')) return false;
    const plaintext = await getEnvironmentVariables(appId).catch(() => null);
    return plaintext !== null && sameVariables(plaintext, sentEnv);
  }

  async function getEnvironmentVariables(appId: string): Promise<WorkflowVariable[]> {
    await ctx.require('draftEnvironmentGet', 'reading draft environment variables', '1.5.0');
    const { items } = await ctx.json({ method: 'GET', path: draftPath(appId, '/environment-variables') }, VARIABLES);
    for (const variable of items) {
      if (variable.value_type === 'secret' && typeof variable.value === 'string') ctx.redactor.add(variable.value);
    }
    return items;
  }

  return {
    get,
    async sync(appId, input) {
      const json = {
        graph: input.graph,
        features: input.features,
        hash: input.hash,
        environment_variables: input.environment_variables ?? [],
        conversation_variables: input.conversation_variables ?? [],
      };
      try {
        return await ctx.json({ method: 'POST', path: draftPath(appId), json, idempotent: true }, SYNC);
      } catch (error) {
        if (!(error instanceof DraftConflictError) || error.attempts === 1) throw error;
        const draft = await get(appId);
        if (draft !== null && (await draftHolds(appId, draft, input))) return { hash: draft.hash, updated_at: draft.updated_at };
        throw error;
      }
    },
    getEnvironmentVariables,
    async setEnvironmentVariables(appId, variables) {
      await ctx.require('draftVariablesPost', 'replacing draft environment variables', '1.14.0');
      const json = { environment_variables: variables };
      await ctx.json({ method: 'POST', path: draftPath(appId, '/environment-variables'), json, idempotent: true }, RESULT);
    },
    async getConversationVariables(appId) {
      return (await ctx.json({ method: 'GET', path: draftPath(appId, '/conversation-variables') }, VARIABLES)).items;
    },
    async setConversationVariables(appId, variables) {
      await ctx.require('draftVariablesPost', 'replacing draft conversation variables', '1.14.0');
      const json = { conversation_variables: variables };
      await ctx.json({ method: 'POST', path: draftPath(appId, '/conversation-variables'), json, idempotent: true }, RESULT);
    },
    async setFeatures(appId, features) {
      await ctx.require('draftVariablesPost', 'replacing draft features', '1.14.0');
      await ctx.json({ method: 'POST', path: draftPath(appId, '/features'), json: { features }, idempotent: true }, RESULT);
    },
    run: (appId, input) => ctx.events({ method: 'POST', path: draftPath(appId, '/run'), json: input }),
    runAdvancedChat: (appId, input) =>
      ctx.events({ method: 'POST', path: appPath(appId, '/advanced-chat/workflows/draft/run'), json: input }),
    async stopRun(appId, taskId) {
      const path = appPath(appId, `/workflow-runs/tasks/${encodeURIComponent(taskId)}/stop`);
      await ctx.json({ method: 'POST', path, idempotent: true }, RESULT);
    },
  };
}

/**
 * Same names, types and values, in any order (ids are Dify's). A secret sent as `[__HIDDEN__]`
 * asked Dify to keep the stored value, so any held value matches it.
 */
function sameVariables(held: readonly unknown[], sent: readonly unknown[]): boolean {
  if (held.length !== sent.length) return false;
  const byName = new Map(held.filter(isRecord).map((v) => [v.name, v]));
  return sent.every((v) => {
    if (!isRecord(v)) return false;
    const h = byName.get(v.name);
    if (h === undefined || h.value_type !== v.value_type) return false;
    return (v.value_type === 'secret' && v.value === HIDDEN_VALUE) || isDeepStrictEqual(h.value, v.value);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
