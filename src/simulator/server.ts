// startSimulator: a real HTTP server on 127.0.0.1 that behaves like the Dify release named by
// its profile. Owns the server lifecycle, the optional --state file, and the in-process handle
// that tests use (live state, recorded requests, stats, faults, close).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultStore, type FaultStore } from './faults.js';
import { dispatch } from './http/dispatch.js';
import { createRouter } from './http/router.js';
import { createInitialState, ensureOwner } from './initial-state.js';
import { createPersister, loadStateFile } from './persistence.js';
import { DEFAULT_PROFILE, getProfile, type ProfileName, type SimProfile } from './profiles.js';
import { createRequestLog, type RecordedRequest, type RequestStats } from './request-log.js';
import { allRoutes, authenticateService } from './routes/index.js';
import { createControlRoutes } from './routes/simulator-control.js';
import type { SimState } from './state.js';
import { createWorld, type SimWorld } from './world.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  profile?: ProfileName;
  /** The owner account created at start (the setup step done ahead of time). */
  email: string;
  password: string;
  name?: string;
  /** ADMIN_API_KEY; with X-WORKSPACE-ID it acts as the workspace owner. */
  adminApiKey?: string;
  workspaceId?: string;
  /** Added to every non-/_simulator request. */
  latencyMs?: number;
  /** Load the world from this file at start and write it back after each mutating request. */
  statePath?: string;
  /** Injectable clock (unix ms) for TTLs, token expiry and timestamps. */
  now?: () => number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** SSE ping period; default 10000. */
  pingIntervalMs?: number;
  /** false: start un-set-up (no account; console answers 403 not_setup until POST /setup). */
  setupFinished?: boolean;
  /** Cookie names with the `__Host-` prefix and the Secure flag (Dify over https). */
  secureCookies?: boolean;
  /** Unexpected handler errors (answered as 500). Default: written to stderr. */
  onError?: (error: unknown) => void;
}

export interface Simulator {
  url: string;
  port: number;
  profile: SimProfile;
  /** The live world; tests may read and edit it directly. */
  state: SimState;
  world: SimWorld;
  requests: RecordedRequest[];
  stats(): RequestStats;
  faults: FaultStore;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const profile = getProfile(options.profile ?? DEFAULT_PROFILE);
  const owner = options.setupFinished === false ? undefined : { email: options.email, password: options.password, ...(options.name === undefined ? {} : { name: options.name }) };
  const loaded = options.statePath === undefined ? undefined : await loadStateFile(options.statePath);
  const state = loaded ?? createInitialState({ workspaceId: options.workspaceId, owner });
  if (loaded && owner) ensureOwner(state, owner);

  const world = createWorld(
    state,
    profile,
    {
      adminApiKey: options.adminApiKey,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      secureCookies: options.secureCookies === true,
    },
    options.now ?? Date.now,
  );
  const faults = createFaultStore(() => world.newId());
  const log = createRequestLog();
  const persister = options.statePath === undefined ? undefined : createPersister(options.statePath, state);
  if (persister) await persister.save();
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`dify simulator: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));

  const deps = {
    world,
    router: createRouter(allRoutes.filter((route) => route.when === undefined || route.when(profile))),
    control: createRouter(createControlRoutes(faults, log)),
    serviceAuth: authenticateService,
    faults,
    log,
    latencyMs: options.latencyMs ?? 0,
    persist: persister ? () => persister.save() : undefined,
    onError,
  };
  const server = createServer((req, res) => {
    dispatch(deps, req, res).catch((error: unknown) => {
      onError(error);
      if (!res.destroyed) res.destroy();
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await persister?.flush();
    })();
    return closing;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    profile,
    state,
    world,
    requests: log.requests,
    stats: () => log.stats(),
    faults,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
