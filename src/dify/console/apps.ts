// Apps: list (every page), detail, create, update, delete, site/API toggles and the live
// model config of chat-style apps (contract §2, §11).

import { arrayOf, bool, defineShape, int, nullable, obj, str } from '../shapes.js';
import type { AppDetail, AppListFilter, AppSummary, CreateAppInput, UpdateAppInput } from '../types.js';
import type { Capabilities } from '../version.js';
import { appPath, deleteOnce, type ConsoleContext } from './context.js';

const PUBLISHED_REF = nullable(obj({ id: str }));
const APP_FIELDS = { id: str, name: str, mode: str, updated_at: int, workflow: PUBLISHED_REF };
const APP_SUMMARY = obj(APP_FIELDS, { tags: arrayOf(obj({ id: str, name: str })) });
const APP_PAGE = defineShape<AppPage>('app page', obj({ data: arrayOf(APP_SUMMARY), has_more: bool }, { total: int }));
const APP_DETAIL = defineShape<AppDetail>('app detail', obj({ ...APP_FIELDS, enable_site: bool, enable_api: bool }));
const RESULT = defineShape<{ result: string }>('result', obj({ result: str }));

/** Dify caps `limit` at 100. */
const PAGE_SIZE = 100;

interface AppPage {
  data: AppSummary[];
  has_more: boolean;
  /** Apps matching the query (SQL count); every release sends it, a server that does not gets paged one by one. */
  total?: number;
}

/** Parallel passes over the pages before falling back to reading them one after another. */
const PARALLEL_PASSES = 3;

export interface AppsApi {
  /**
   * Every app matching the filter, all pages, newest first, de-duplicated by id. `onPage` sees each
   * page's apps as it arrives (a page read again in a later pass is seen again), so a caller can
   * start on them before the listing is complete; only the returned list is authoritative.
   */
  list(filter?: AppListFilter, onPage?: (apps: readonly AppSummary[]) => void): Promise<AppSummary[]>;
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
    async list(filter = {}, onPage) {
      const { capabilities } = await ctx.serverInfo();
      const page = (n: number): Promise<AppPage> => {
        const query = {
          page: n,
          limit: PAGE_SIZE,
          mode: filter.mode,
          name: filter.name,
          is_created_by_me: filter.isCreatedByMe,
          ...tagIdsQuery(filter.tagIds ?? [], capabilities.tagIdsQuery),
        };
        return ctx.json({ method: 'GET', path: '/apps', query }, APP_PAGE);
      };
      const shown = (p: AppPage): AppPage => {
        onPage?.(p.data);
        return p;
      };
      // Page 1 says how many apps there are; the other pages are then read at once (the pool
      // bounds them). An app created or deleted meanwhile shifts the pages (created_at desc), and
      // pages read out of order can then miss an app; such a pass is seen (a page counts another
      // total, or the apps read are not that total) and read again.
      for (let pass = 1; pass <= PARALLEL_PASSES; pass++) {
        const first = await page(1);
        if (first.total === undefined) return pageByPage((n) => page(n).then(shown), shown(first));
        const total = first.total;
        // The other pages are asked for before page 1 is shown, so they queue ahead of whatever
        // the caller starts on its apps.
        const reading = Promise.all(Array.from({ length: Math.max(0, Math.ceil(total / PAGE_SIZE) - 1) }, (_, i) => page(i + 2).then(shown)));
        shown(first);
        const rest = await reading;
        const pages = [first, ...rest];
        const apps = uniqueApps(pages);
        if (pages.every((p) => p.total === total) && apps.length === total && pages.at(-1)?.has_more !== true) return apps;
      }
      return pageByPage((n) => page(n).then(shown), shown(await page(1)));
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

/** Pages 1, 2, … one after another until `has_more` is false (servers that send no `total`). */
async function pageByPage(page: (n: number) => Promise<AppPage>, first: AppPage): Promise<AppSummary[]> {
  const pages = [first];
  for (let n = 2; n <= 99_999 && pages.at(-1)!.has_more && pages.at(-1)!.data.length > 0; n++) pages.push(await page(n));
  return uniqueApps(pages);
}

/** In page order, each app once: a page that shifted while being read repeats an app. */
function uniqueApps(pages: readonly AppPage[]): AppSummary[] {
  const seen = new Map<string, AppSummary>();
  for (const p of pages) for (const app of p.data) if (!seen.has(app.id)) seen.set(app.id, app);
  return [...seen.values()];
}

/** 1.14 accepts only `tag_ids[0]=…&tag_ids[1]=…`; older releases a comma list (contract §2.1). */
export function tagIdsQuery(tagIds: readonly string[], style: Capabilities['tagIdsQuery']): Record<string, string> {
  if (tagIds.length === 0) return {};
  if (style === 'comma') return { tag_ids: tagIds.join(',') };
  return Object.fromEntries(tagIds.map((id, index) => [`tag_ids[${index}]`, id]));
}
