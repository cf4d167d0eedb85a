// A fresh simulator world: one workspace and, unless setup is left for the client to do, its
// owner account (the contract's setup step done ahead of time).

import { randomUUID } from 'node:crypto';
import type { SimState } from './state.js';

export interface InitialAccount {
  email: string;
  password: string;
  name?: string;
}

export function createInitialState(options: {
  workspaceId?: string | undefined;
  workspaceName?: string;
  owner?: InitialAccount | undefined;
}): SimState {
  const state: SimState = {
    schemaVersion: 1,
    setupFinished: false,
    workspace: { id: options.workspaceId ?? randomUUID(), name: options.workspaceName ?? "Simulator's Workspace" },
    accounts: [],
    apps: [],
    workflows: [],
    apiKeys: [],
    tags: [],
    providers: [],
    installedPlugins: [],
    pendingImports: [],
    dependencyChecks: [],
    runs: [],
    conversations: [],
    refreshTokens: {},
  };
  if (options.owner) ensureOwner(state, options.owner);
  return state;
}

/**
 * Makes sure an account with this email exists and has this password (a restarted simulator
 * honours the password on its command line); the first account becomes the owner.
 */
export function ensureOwner(state: SimState, owner: InitialAccount): void {
  const existing = state.accounts.find((a) => a.email.toLowerCase() === owner.email.toLowerCase());
  if (existing) {
    existing.password = owner.password;
  } else {
    state.accounts.push({
      id: randomUUID(),
      email: owner.email,
      name: owner.name ?? owner.email.split('@')[0] ?? owner.email,
      password: owner.password,
      role: state.accounts.some((a) => a.role === 'owner') ? 'admin' : 'owner',
      failedLogins: 0,
    });
  }
  state.setupFinished = true;
}
