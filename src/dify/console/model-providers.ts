// Workspace model-provider credentials (contract §9), both eras:
//   ≥1.8.0 several named credentials per provider: create / update / delete / switch;
//   ≤1.7.x one credential: `POST /model-providers/<provider>` saves or replaces, DELETE removes.
// Credential values sent to Dify are registered with the redactor when their field name looks
// secret (key, secret, token, password), because provider errors may echo them.

import { DifyUnsupportedError } from '../errors.js';
import { arrayOf, defineShape, obj, str } from '../shapes.js';
import type { CredentialValidation, ModelProvider } from '../types.js';
import type { ConsoleContext } from './context.js';

const PROVIDERS = defineShape<{ data: ModelProvider[] }>('model provider list', obj({ data: arrayOf(obj({ provider: str })) }));
const CREDENTIALS = defineShape<{ credentials: Record<string, unknown> | null }>(
  'provider credentials',
  obj({ credentials: { type: ['object', 'null'] } }),
);
const RESULT = defineShape<{ result: string }>('result', obj({ result: str }));
const VALIDATION = defineShape<CredentialValidation>('credential validation', obj({ result: { enum: ['success', 'error'] } }));
const SECRET_FIELD = /key|secret|token|password/i;

export type Credentials = Record<string, unknown>;

export interface ModelProvidersApi {
  list(modelType?: string): Promise<ModelProvider[]>;
  /** The active credential (or `credentialId`'s), secrets obfuscated by Dify; null when none. */
  getCredentials(provider: string, credentialId?: string): Promise<Credentials | null>;
  /** ≥1.8: adds a credential (only the first becomes active). Not retried. */
  createCredential(provider: string, credentials: Credentials, name?: string): Promise<void>;
  /** ≥1.8: updates in place; `[__HIDDEN__]` keeps a stored secret. */
  updateCredential(provider: string, credentialId: string, credentials: Credentials, name?: string): Promise<void>;
  /** ≥1.8. */
  deleteCredential(provider: string, credentialId: string): Promise<void>;
  /** ≥1.8: makes the credential active. */
  switchCredential(provider: string, credentialId: string): Promise<void>;
  /** Checks credentials against the provider without saving them. */
  validateCredentials(provider: string, credentials: Credentials): Promise<CredentialValidation>;
  /** ≤1.7: saves or replaces the provider's single credential. */
  saveSingleCredential(provider: string, credentials: Credentials): Promise<void>;
  /** ≤1.7: removes the provider's credential. */
  deleteSingleCredential(provider: string): Promise<void>;
}

export function createModelProvidersApi(ctx: ConsoleContext): ModelProvidersApi {
  const providerPath = (provider: string, suffix = ''): string =>
    `/workspaces/current/model-providers/${provider.split('/').map(encodeURIComponent).join('/')}${suffix}`;

  function remember(credentials: Credentials): Credentials {
    for (const [field, value] of Object.entries(credentials)) {
      if (typeof value === 'string' && SECRET_FIELD.test(field) && value !== '[__HIDDEN__]') ctx.redactor.add(value);
    }
    return credentials;
  }

  async function requireEra(multi: boolean, what: string): Promise<void> {
    const info = await ctx.serverInfo();
    if (info.capabilities.multiCredentialProviders === multi) return;
    const range = multi ? '≥ 1.8.0' : '≤ 1.7.x';
    throw new DifyUnsupportedError(`${what} needs Dify ${range}; the server is ${info.version.raw}`, info.version.raw);
  }

  return {
    async list(modelType) {
      return (await ctx.json({ method: 'GET', path: '/workspaces/current/model-providers', query: { model_type: modelType } }, PROVIDERS)).data;
    },
    async getCredentials(provider, credentialId) {
      const query = { credential_id: credentialId };
      return (await ctx.json({ method: 'GET', path: providerPath(provider, '/credentials'), query }, CREDENTIALS)).credentials;
    },
    async createCredential(provider, credentials, name) {
      await requireEra(true, 'creating a named provider credential');
      const json = name === undefined ? { credentials: remember(credentials) } : { credentials: remember(credentials), name };
      await ctx.json({ method: 'POST', path: providerPath(provider, '/credentials'), json }, RESULT);
    },
    async updateCredential(provider, credentialId, credentials, name) {
      await requireEra(true, 'updating a provider credential');
      const json: Record<string, unknown> = { credential_id: credentialId, credentials: remember(credentials) };
      if (name !== undefined) json.name = name;
      await ctx.json({ method: 'PUT', path: providerPath(provider, '/credentials'), json }, RESULT);
    },
    async deleteCredential(provider, credentialId) {
      await requireEra(true, 'deleting a provider credential');
      await ctx.send({ method: 'DELETE', path: providerPath(provider, '/credentials'), json: { credential_id: credentialId } });
    },
    async switchCredential(provider, credentialId) {
      await requireEra(true, 'switching the active provider credential');
      const json = { credential_id: credentialId };
      await ctx.json({ method: 'POST', path: providerPath(provider, '/credentials/switch'), json, idempotent: true }, RESULT);
    },
    async validateCredentials(provider, credentials) {
      const json = { credentials: remember(credentials) };
      const result = await ctx.json({ method: 'POST', path: providerPath(provider, '/credentials/validate'), json, idempotent: true }, VALIDATION);
      return result.error === undefined ? result : { ...result, error: ctx.redactor.redact(result.error) };
    },
    async saveSingleCredential(provider, credentials) {
      await requireEra(false, 'saving a single provider credential');
      // Save-or-replace: the same credentials twice leave the same state, so it is retried.
      const json = { credentials: remember(credentials) };
      await ctx.json({ method: 'POST', path: providerPath(provider), json, idempotent: true }, RESULT);
    },
    async deleteSingleCredential(provider) {
      await requireEra(false, 'deleting a single provider credential');
      await ctx.send({ method: 'DELETE', path: providerPath(provider) });
    },
  };
}
