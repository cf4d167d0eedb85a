// Who we are logged in as, and in which workspace (contract §11 "Current user and workspace").

import { defineShape, obj, str } from '../shapes.js';
import type { AccountProfile, Workspace } from '../types.js';
import type { ConsoleContext } from './context.js';

const PROFILE = defineShape<AccountProfile>('account profile', obj({ id: str, email: str }));
const WORKSPACE = defineShape<Workspace>('workspace', obj({ id: str, name: str }));

export interface AccountApi {
  profile(): Promise<AccountProfile>;
  /** The current workspace (Dify serves it on POST; it only reads, so it is retried). */
  currentWorkspace(): Promise<Workspace>;
}

export function createAccountApi(ctx: ConsoleContext): AccountApi {
  return {
    profile: () => ctx.json({ method: 'GET', path: '/account/profile' }, PROFILE),
    currentWorkspace: () => ctx.json({ method: 'POST', path: '/workspaces/current', idempotent: true }, WORKSPACE),
  };
}
