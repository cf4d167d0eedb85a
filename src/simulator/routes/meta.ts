// Unauthenticated endpoints that identify the server: GET /v1/ (the cheap version probe, §1),
// GET/POST /console/api/setup (§1.5) and GET /console/api/system-features.

import { randomUUID } from 'node:crypto';
import { bodyObject } from '../http/body.js';
import { difyError, invalidParam } from '../http/errors.js';
import { json, type Route } from '../http/route.js';

export const routes: Route[] = [
  {
    method: 'GET',
    path: '/v1/',
    auth: 'none',
    handler: (ctx) => json({ welcome: 'Dify OpenAPI', api_version: 'v1', server_version: ctx.world.profile.serverVersion }),
  },
  {
    method: 'GET',
    path: '/console/api/setup',
    auth: 'none',
    handler: (ctx) =>
      json(ctx.world.state.setupFinished ? { step: 'finished', setup_at: new Date(ctx.world.now()).toISOString() } : { step: 'not_started' }),
  },
  {
    method: 'POST',
    path: '/console/api/setup',
    auth: 'none',
    body: 'json',
    handler: (ctx) => {
      const { state } = ctx.world;
      if (state.setupFinished) throw difyError(403, 'already_setup', 'Dify has been successfully installed. Please refresh the page or return to the dashboard homepage.');
      const body = bodyObject(ctx.body);
      const { email, name, password } = body;
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalidParam(`${String(email)} is not a valid email.`);
      if (typeof name !== 'string' || name.length < 1 || name.length > 30) throw invalidParam('Name must be between 1 to 30 characters.');
      if (typeof password !== 'string' || !/^(?=.*[a-zA-Z])(?=.*\d).{8,}$/.test(password)) {
        throw invalidParam('Password must contain letters and numbers, and the length must be greater than 8.');
      }
      state.accounts.push({ id: randomUUID(), email, name, password, role: 'owner', failedLogins: 0 });
      state.setupFinished = true;
      return json({ result: 'success' }, 201);
    },
  },
  {
    method: 'GET',
    path: '/console/api/system-features',
    auth: 'none',
    handler: () =>
      json({
        enable_email_password_login: true,
        enable_email_code_login: false,
        enable_social_oauth_login: false,
        is_allow_register: false,
        is_allow_create_workspace: false,
        enable_marketplace: false,
        license: { status: 'none', expired_at: '' },
      }),
  },
];
