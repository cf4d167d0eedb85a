// The environment client factory: one DifyClient per environment, built from its config. Login
// secrets are read through readSecretSource (registered with the Redactor on read) only here, at
// the moment a client is needed, and never stored anywhere else.

import type { EnvironmentConfig } from '../config/types.js';
import { createDifyClient, type DifyAuth, type DifyClient } from '../dify/index.js';
import type { Redactor } from '../secrets/redactor.js';
import { readSecretSource, type SecretSourceContext } from '../secrets/sources.js';

export interface ConnectOptions {
  redactor: Redactor;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Requests in flight per environment (the client's connection pool). */
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
}

export type ConnectEnvironment = (environment: EnvironmentConfig) => Promise<DifyClient>;

export async function connectEnvironment(environment: EnvironmentConfig, options: ConnectOptions): Promise<DifyClient> {
  const ctx: SecretSourceContext = { env: options.env, cwd: options.cwd, redactor: options.redactor };
  let auth: DifyAuth;
  if (environment.auth.kind === 'password') {
    const [email, password] = await Promise.all([readSecretSource(environment.auth.email, ctx), readSecretSource(environment.auth.password, ctx)]);
    auth = { kind: 'password', email, password };
  } else {
    const workspace = environment.auth.workspaceId;
    const [apiKey, workspaceId] = await Promise.all([
      readSecretSource(environment.auth.apiKey, ctx),
      'literal' in workspace ? Promise.resolve(workspace.literal) : readSecretSource(workspace, ctx),
    ]);
    auth = { kind: 'admin-key', apiKey, workspaceId };
  }
  return createDifyClient({
    baseUrl: environment.url,
    auth,
    redactor: options.redactor,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
  });
}

/** A factory bound to the options, caching one client per environment name. */
export function createConnector(options: ConnectOptions): { connect: ConnectEnvironment; closeAll(): Promise<void> } {
  const clients = new Map<string, Promise<DifyClient>>();
  return {
    connect(environment) {
      let client = clients.get(environment.name);
      if (client === undefined) {
        client = connectEnvironment(environment, options);
        clients.set(environment.name, client);
      }
      return client;
    },
    async closeAll() {
      const all = await Promise.allSettled([...clients.values()]);
      await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.close() : Promise.resolve())));
      clients.clear();
    },
  };
}
