// Workspace model-provider credentials (contract §9), both eras: ≥1.8 several named credentials
// per provider (list, GET obfuscated, POST create, PUT with [__HIDDEN__], DELETE with a JSON body,
// /switch, /validate); ≤1.7 one credential (POST/DELETE on the provider). Validation runs the
// stub rule from ../providers.ts (a key is valid iff it starts with `sk-`).

import { bodyObject } from '../http/body.js';
import { invalidParam, validationError } from '../http/errors.js';
import { optionalString } from '../http/params.js';
import { json, noContent, type RequestContext, type Route } from '../http/route.js';
import { isRecord } from '../engine/variable-pool.js';
import { normalizeProviderId } from '../provider-id.js';
import { activeCredential, findProvider, HIDDEN, obfuscateCredentials, validateCredentials } from '../providers.js';
import { canonicalUuid, isUuid } from '../service/payload.js';
import type { SimProvider, SimProviderCredential } from '../state.js';
import { providerView } from './model-provider-views.js';

const BASE = '/console/api/workspaces/current/model-providers';
const CREDENTIALS = `${BASE}/:provider<path>/credentials`;

function providerId(ctx: RequestContext): string {
  const raw = ctx.params.provider ?? '';
  const id = normalizeProviderId(raw);
  if (id === null) throw invalidParam(`Invalid plugin id ${raw}`);
  return id;
}

function ensureProvider(ctx: RequestContext, id: string): SimProvider {
  const { state } = ctx.world;
  let provider = findProvider(state, id);
  if (!provider) {
    provider = { provider: id, tenant_id: state.workspace.id, credentials: [], current_credential_id: null };
    state.providers.push(provider);
  }
  return provider;
}

function readCredentials(model: string, body: Record<string, unknown>): Record<string, unknown> {
  if (body.credentials === undefined) throw validationError(model, 'credentials', 'Field required', 'missing');
  if (!isRecord(body.credentials)) throw validationError(model, 'credentials', 'Input should be a valid dictionary', 'dict_type');
  return body.credentials;
}

function readCredentialId(model: string, body: Record<string, unknown>): string {
  const value = body.credential_id;
  if (value === undefined) throw validationError(model, 'credential_id', 'Field required', 'missing');
  if (typeof value !== 'string' || !isUuid(value)) throw validationError(model, 'credential_id', `Value error, ${typeof value === 'string' ? value : JSON.stringify(value)} is not a valid uuid.`, 'value_error');
  return canonicalUuid(value);
}

/** [__HIDDEN__] keeps the stored secret; then the stub validation runs (400 invalid_param on failure). */
function checkedCredentials(incoming: Record<string, unknown>, original: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged = Object.fromEntries(
    Object.entries(incoming).map(([k, v]) => [k, v === HIDDEN && original && k in original ? original[k] : v]),
  );
  const verdict = validateCredentials(merged);
  if (!verdict.ok) throw invalidParam(verdict.error);
  return merged;
}

function findCredential(provider: SimProvider | undefined, id: string): SimProviderCredential {
  const credential = provider?.credentials.find((c) => c.credential_id === id);
  if (!credential) throw invalidParam('Credential record not found.');
  return credential;
}

function nextName(provider: SimProvider): string {
  const numbers = provider.credentials.map((c) => /^API KEY\s+(\d+)$/.exec(c.credential_name.trim())).filter((m) => m !== null).map((m) => Number(m[1]));
  return `API KEY ${Math.max(0, ...numbers) + 1}`;
}

function list(ctx: RequestContext) {
  const modelType = ctx.query.get('model_type');
  const data = providerView(ctx.world, modelType);
  return json({ data });
}

function getCredentials(ctx: RequestContext) {
  const provider = findProvider(ctx.world.state, providerId(ctx));
  const requested = ctx.world.profile.multiCredentialProviders ? ctx.query.get('credential_id') : null;
  if (requested) {
    const credential = provider?.credentials.find((c) => c.credential_id === requested);
    if (!credential) throw invalidParam(`Credential with id ${requested} not found.`);
    return json({ credentials: obfuscateCredentials(credential.credentials) });
  }
  const active = provider ? activeCredential(provider) : undefined;
  return json({ credentials: active ? obfuscateCredentials(active.credentials) : null });
}

function createCredential(ctx: RequestContext) {
  const model = 'ParserCredentialCreate';
  const body = bodyObject(ctx.body);
  const incoming = readCredentials(model, body);
  const name = optionalString(model, body, 'name', 30);
  const provider = ensureProvider(ctx, providerId(ctx));
  if (name && provider.credentials.some((c) => c.credential_name === name)) throw invalidParam(`Credential with name '${name}' already exists.`);
  const credentials = checkedCredentials(incoming, undefined);
  const credential: SimProviderCredential = {
    credential_id: ctx.world.newId(),
    credential_name: name || nextName(provider),
    credentials,
    created_at: ctx.world.nowSeconds(),
  };
  provider.credentials.push(credential);
  // Only a provider without an active credential adopts the new one (the first one, in practice).
  provider.current_credential_id ??= credential.credential_id;
  return json({ result: 'success' }, 201);
}

function updateCredential(ctx: RequestContext) {
  const model = 'ParserCredentialUpdate';
  const body = bodyObject(ctx.body);
  const id = readCredentialId(model, body);
  const incoming = readCredentials(model, body);
  const name = optionalString(model, body, 'name', 30);
  const provider = findProvider(ctx.world.state, providerId(ctx));
  const credential = findCredential(provider, id);
  if (name && provider?.credentials.some((c) => c.credential_name === name && c !== credential)) {
    throw invalidParam(`Credential with name '${name}' already exists.`);
  }
  credential.credentials = checkedCredentials(incoming, credential.credentials);
  if (name) credential.credential_name = name;
  return json({ result: 'success' });
}

function deleteCredential(ctx: RequestContext) {
  const id = readCredentialId('ParserCredentialDelete', bodyObject(ctx.body));
  const provider = findProvider(ctx.world.state, providerId(ctx));
  const credential = findCredential(provider, id);
  if (provider) {
    provider.credentials = provider.credentials.filter((c) => c !== credential);
    if (provider.current_credential_id === id) provider.current_credential_id = null;
  }
  return noContent();
}

function switchCredential(ctx: RequestContext) {
  const id = readCredentialId('ParserCredentialSwitch', bodyObject(ctx.body));
  const provider = findProvider(ctx.world.state, providerId(ctx));
  findCredential(provider, id);
  if (provider) provider.current_credential_id = id;
  return json({ result: 'success' });
}

function validate(ctx: RequestContext) {
  const credentials = readCredentials('ParserCredentialValidate', bodyObject(ctx.body));
  providerId(ctx);
  const verdict = validateCredentials(credentials);
  return json(verdict.ok ? { result: 'success' } : { result: 'error', error: verdict.error });
}

/** ≤1.7: one credential per provider, replaced on every save. */
function saveSingle(ctx: RequestContext) {
  const incoming = readCredentials('ProviderCredentialPayload', bodyObject(ctx.body));
  const provider = ensureProvider(ctx, providerId(ctx));
  const current = activeCredential(provider);
  const credentials = checkedCredentials(incoming, current?.credentials);
  const credential = { credential_id: current?.credential_id ?? ctx.world.newId(), credential_name: 'API KEY 1', credentials, created_at: ctx.world.nowSeconds() };
  provider.credentials = [credential];
  provider.current_credential_id = credential.credential_id;
  return json({ result: 'success' }, 201);
}

function deleteSingle(ctx: RequestContext) {
  const provider = findProvider(ctx.world.state, providerId(ctx));
  if (provider) {
    provider.credentials = [];
    provider.current_credential_id = null;
  }
  return noContent();
}

const multi = (p: { multiCredentialProviders: boolean }): boolean => p.multiCredentialProviders;
const single = (p: { multiCredentialProviders: boolean }): boolean => !p.multiCredentialProviders;

// Specific paths first: `:provider<path>` would otherwise swallow `/credentials/validate`.
export const routes: Route[] = [
  { method: 'GET', path: BASE, auth: 'console', handler: list },
  { method: 'POST', path: `${CREDENTIALS}/validate`, auth: 'console', body: 'json', handler: validate },
  { method: 'POST', path: `${CREDENTIALS}/switch`, auth: 'console:admin', body: 'json', when: multi, handler: switchCredential },
  { method: 'GET', path: CREDENTIALS, auth: 'console', handler: getCredentials },
  { method: 'POST', path: CREDENTIALS, auth: 'console:admin', body: 'json', when: multi, handler: createCredential },
  { method: 'PUT', path: CREDENTIALS, auth: 'console:admin', body: 'json', when: multi, handler: updateCredential },
  { method: 'DELETE', path: CREDENTIALS, auth: 'console:admin', body: 'json', when: multi, handler: deleteCredential },
  { method: 'POST', path: `${BASE}/:provider<path>`, auth: 'console:admin', body: 'json', when: single, handler: saveSingle },
  { method: 'DELETE', path: `${BASE}/:provider<path>`, auth: 'console:admin', when: single, handler: deleteSingle },
];
