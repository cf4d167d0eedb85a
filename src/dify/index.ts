// The Dify client: the only way dify-gitops talks to Dify. `createDifyClient` wires one transport
// (one undici pool), one console session and the resource modules; `client.service(key)` gives a
// service-API client over the same transport. No module-level state: make one per Dify target
// and close it when done. See docs/dify-client.md.

import type { Redactor } from '../secrets/redactor.js';
import { createConsoleSession, type DifyAuth, type ServerInfo } from './auth.js';
import { createAccountApi, type AccountApi } from './console/account.js';
import { createApiKeysApi, type ApiKeysApi } from './console/api-keys.js';
import { createAppsApi, type AppsApi } from './console/apps.js';
import { createConsoleContext } from './console/context.js';
import { createDraftsApi, type DraftsApi } from './console/drafts.js';
import { createDslApi, type DslApi } from './console/dsl.js';
import { createModelProvidersApi, type ModelProvidersApi } from './console/model-providers.js';
import { createTagsApi, type TagsApi } from './console/tags.js';
import { createVersionsApi, type VersionsApi } from './console/versions.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { createServiceApiClient, type ServiceApiClient } from './service-api.js';
import { createShapeChecker } from './shapes.js';
import { createTransport } from './transport.js';

export interface DifyClientOptions {
  /** Where Dify is served, e.g. `https://dify.example.com` (a path prefix is kept). */
  baseUrl: string;
  auth: DifyAuth;
  /** Every secret the client sees (password, tokens, cookies, keys) is registered here. */
  redactor: Redactor;
  /** Per attempt: time to response headers, and longest silence while reading a body. Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts for transient failures of idempotent requests. Default 3. */
  retries?: number;
  /** Backoff tuning (base/max delay, Retry-After cap). */
  retryPolicy?: Partial<Omit<RetryPolicy, 'retries'>>;
  /** Most requests in flight at once (= pooled sockets). Default 8. */
  concurrency?: number;
  userAgent?: string;
  keepAliveTimeoutMs?: number;
  /** Injected for tests: backoff waits, jitter and the clock (Retry-After dates, cookie expiry). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface DifyClient {
  readonly baseUrl: string;
  /** Server version, capabilities and the auth mode chosen for it (cached after the first call). */
  serverInfo(): Promise<ServerInfo>;
  /** Logs in now; otherwise the first console call does. */
  login(): Promise<void>;
  /** Rotates the session tokens now. */
  refresh(): Promise<void>;
  logout(): Promise<void>;
  readonly apps: AppsApi;
  readonly dsl: DslApi;
  readonly drafts: DraftsApi;
  readonly versions: VersionsApi;
  readonly apiKeys: ApiKeysApi;
  readonly tags: TagsApi;
  readonly account: AccountApi;
  readonly modelProviders: ModelProvidersApi;
  /** A service-API client for one app key, sharing this client's connections. */
  service(appKey: string): ServiceApiClient;
  /** Closes the connection pool; in-flight requests finish first. */
  close(): Promise<void>;
}

export function createDifyClient(options: DifyClientOptions): DifyClient {
  const { redactor, auth } = options;
  if (auth.kind === 'password') redactor.add(auth.password);
  else redactor.add(auth.apiKey);
  const now = options.now ?? Date.now;
  const transport = createTransport({
    baseUrl: options.baseUrl,
    redactor,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, retries: options.retries ?? DEFAULT_RETRY_POLICY.retries },
    concurrency: options.concurrency ?? 8,
    userAgent: options.userAgent ?? 'dify-gitops',
    ...(options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeoutMs: options.keepAliveTimeoutMs }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.random === undefined ? {} : { random: options.random }),
    now,
  });
  const shapes = createShapeChecker(redactor);
  const session = createConsoleSession({ transport, auth, redactor, shapes, now });
  const ctx = createConsoleContext({ session, shapes, transport, redactor });
  const apps = createAppsApi(ctx);
  return {
    baseUrl: transport.baseUrl,
    serverInfo: () => session.serverInfo(),
    login: () => session.login(),
    refresh: () => session.refresh(),
    logout: () => session.logout(),
    apps,
    dsl: createDslApi(ctx),
    drafts: createDraftsApi(ctx),
    versions: createVersionsApi(ctx, apps),
    apiKeys: createApiKeysApi(ctx),
    tags: createTagsApi(ctx),
    account: createAccountApi(ctx),
    modelProviders: createModelProvidersApi(ctx),
    service: (appKey) => createServiceApiClient({ transport, shapes, redactor, appKey }),
    close: () => transport.close(),
  };
}

export type { DifyAuth, ServerInfo, AuthMode } from './auth.js';
export type { AccountApi } from './console/account.js';
export type { ApiKeysApi } from './console/api-keys.js';
export type { AppsApi } from './console/apps.js';
export type { DraftsApi, DraftRunInput, AdvancedChatDraftRunInput } from './console/drafts.js';
export type { DslApi, ExportOptions } from './console/dsl.js';
export type { ModelProvidersApi, Credentials } from './console/model-providers.js';
export type { TagsApi } from './console/tags.js';
export type { VersionsApi, ListVersionsOptions } from './console/versions.js';
export * from './errors.js';
export type { RetryPolicy } from './retry.js';
export type * from './service-api.js';
export type { DifyStreamEvent } from './stream-events.js';
export type * from './types.js';
export { capabilitiesOf, parseServerVersion, versionAtLeast, type Capabilities, type ServerVersion } from './version.js';
