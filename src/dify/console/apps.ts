// Apps: list (every page), detail, create, update, delete, site/API toggles and the live
// model config of chat-style apps (contract §2, §11).

import { arrayOf, bool, defineShape, int, nullable, obj, str } from '../shapes.js';
import type { AppDetail, AppListFilter, AppSummary, CreateAppInput, UpdateAppInput } from '../types.js';
import type { Capabilities } from '../version.js';
import { appPath, deleteOnce, type ConsoleContext } from './context.js';

const PUBLISHED_REF = nullable(obj({ id: str }));
const APP_FIELDS = { id: str, name: str, mode: str, updated_at: int, workflow: PUBLISHED_REF };
const APP_SUMMARY = obj(APP_FIELDS, { tags: arrayOf(obj({ id: str, name: str })) });
const APP_PAGE = defineShape<{ data: AppSummary[]; has_more: boolean }>('app page', obj({ data: arrayOf(APP_SUMMARY), has_more: bool }));
const APP_DETAIL = defineShape<AppDetail>('app detail', obj({ ...APP_FIELDS, enable_site: bool, enable_api: bool }));
const RESULT = defineShape<{ result: string }>('result', obj({ result: str }));

/** Dify caps `limit` at 100. */
const PAGE_SIZE = 100;

export interface AppsApi {
  /** Every app matching the filter, all pages, newest first, de-duplicated by id. */
  list(filter?: AppListFilter): Promise<AppSummary[]>;
  get(appId: string): Promise<AppDetail>;
  create(input: CreateAppInput): Promise<AppDetail>;
  /** Full replace: pass every field (omitted ones are reset by Dify). */
  update(appId: string, input: UpdateAppInput): Promise<AppDetail>;
  /** Deletes the app. A 404 after a retried attempt counts as done (the first attempt may have won). */
  delete(appId: string): Promise<void>;
  setSiteEnabled(appId: string, enabled: boolean): Promise<AppDetail>;
  /** Needs an admin or owner account. */
  setApiEnabled(appId: string, enabled: boolean): Promise<AppDetail>;
  /** Chat / agent-chat / completion: replaces the live model config (takes effect at once). */
  updateModelConfig(appId: string, modelConfig: Record<string, unknown>): Promise<void>;
  /** The id of the currently published workflow version, or null if never published. */
  publishedWorkflowId(appId: string): Promise<string | null>;
}

export function createAppsApi(ctx: ConsoleContext): AppsApi {
  const get = (appId: string): Promise<AppDetail> => ctx.json({ method: 'GET', path: appPath(appId) }, APP_DETAIL);
  return {
    async list(filter = {}) {
      const { capabilities } = await ctx.serverInfo();
      const seen = new Map<string, AppSummary>();
      for (let page = 1; page <= 99_999; page++) {
        const query = {
          page,
          limit: PAGE_SIZE,
          mode: filter.mode,
          name: filter.name,
          is_created_by_me: filter.isCreatedByMe,
          ...tagIdsQuery(filter.tagIds ?? [], capabilities.tagIdsQuery),
        };
        const body = await ctx.json({ method: 'GET', path: '/apps', query }, APP_PAGE);
        // Pages shift if an app is created meanwhile (created_at desc); the Map drops repeats.
        for (const app of body.data) if (!seen.has(app.id)) seen.set(app.id, app);
        if (!body.has_more || body.data.length === 0) break;
      }
      return [...seen.values()];
    },
    get,
    create: (input) => ctx.json({ method: 'POST', path: '/apps', json: input }, APP_DETAIL),
    update: (appId, input) => ctx.json({ method: 'PUT', path: appPath(appId), json: input }, APP_DETAIL),
    delete: (appId) => deleteOnce(ctx, { method: 'DELETE', path: appPath(appId) }),
    setSiteEnabled: (appId, enabled) =>
      ctx.json({ method: 'POST', path: appPath(appId, '/site-enable'), json: { enable_site: enabled }, idempotent: true }, APP_DETAIL),
    setApiEnabled: (appId, enabled) =>
      ctx.json({ method: 'POST', path: appPath(appId, '/api-enable'), json: { enable_api: enabled }, idempotent: true }, APP_DETAIL),
    async updateModelConfig(appId, modelConfig) {
      // Replace semantics: sending the same config twice leaves the same state, so retries are safe.
      await ctx.json({ method: 'POST', path: appPath(appId, '/model-config'), json: modelConfig, idempotent: true }, RESULT);
    },
    async publishedWorkflowId(appId) {
      return (await get(appId)).workflow?.id ?? null;
    },
  };
}

/** 1.14 accepts only `tag_ids[0]=…&tag_ids[1]=…`; older releases a comma list (contract §2.1). */
export function tagIdsQuery(tagIds: readonly string[], style: Capabilities['tagIdsQuery']): Record<string, string> {
  if (tagIds.length === 0) return {};
  if (style === 'comma') return { tag_ids: tagIds.join(',') };
  return Object.fromEntries(tagIds.map((id, index) => [`tag_ids[${index}]`, id]));
}
