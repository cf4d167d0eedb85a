// The caller and their workspace (contract §11): account profile, the current workspace (a
// POST), the workspace list and switch. The simulator has exactly one workspace.

import { bodyObject } from '../http/body.js';
import { difyError } from '../http/errors.js';
import { accountOf, json, type RequestContext, type Route } from '../http/route.js';
import type { SimWorld } from '../world.js';

function workspaceView(world: SimWorld, role: string): Record<string, unknown> {
  return {
    id: world.state.workspace.id,
    name: world.state.workspace.name,
    plan: 'sandbox',
    status: 'normal',
    created_at: 0,
    role,
    in_trial: null,
    trial_end_reason: null,
    custom_config: null,
  };
}

function profile(ctx: RequestContext) {
  const account = accountOf(ctx);
  return json({
    id: account.id,
    name: account.name,
    avatar: null,
    avatar_url: null,
    email: account.email,
    is_password_set: true,
    interface_language: 'en-US',
    interface_theme: 'light',
    timezone: 'UTC',
    last_login_at: null,
    last_login_ip: null,
    created_at: 0,
  });
}

export const routes: Route[] = [
  { method: 'GET', path: '/console/api/account/profile', auth: 'console', handler: profile },
  {
    method: 'POST',
    path: '/console/api/workspaces/current',
    auth: 'console',
    handler: (ctx) => json(workspaceView(ctx.world, accountOf(ctx).role)),
  },
  {
    method: 'GET',
    path: '/console/api/workspaces',
    auth: 'console',
    handler: (ctx) => json({ workspaces: [{ ...workspaceView(ctx.world, accountOf(ctx).role), current: true }] }),
  },
  {
    method: 'POST',
    path: '/console/api/workspaces/switch',
    auth: 'console',
    body: 'json',
    handler: (ctx) => {
      const tenantId = bodyObject(ctx.body).tenant_id;
      if (tenantId !== ctx.world.state.workspace.id) throw difyError(400, 'account_not_link_tenant', 'Account not link tenant.');
      return json({ result: 'success', new_tenant: workspaceView(ctx.world, accountOf(ctx).role) });
    },
  },
];
