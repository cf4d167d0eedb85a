// Workspace model-provider credentials (contract §9) as simulator data: lookup by normalised id,
// the stub validation rule (an API key is valid iff it starts with `sk-`), obfuscation for reads,
// and which providers can serve model calls.
//
// Run-time rule: a provider that was never configured works (like a hosted quota), so imported
// apps run out of the box; a provider that HAS a record (credentials were added at some point)
// works only while its active credential is valid. Deleting the last credential keeps the
// (empty) record, so runs then fail with "credentials is not initialized".

import type { SimProvider, SimProviderCredential, SimState } from './state.js';

export const HIDDEN = '[__HIDDEN__]';

/** Secret fields of a credential form: anything named like an API key. */
export function isSecretField(name: string): boolean {
  return /(^|_)(api_key|secret|token)$/i.test(name) || name === 'api_key';
}

/** The stub provider's live validation: Dify calls the provider; we check the key's shape. */
export function validateCredentials(credentials: Record<string, unknown>): { ok: true } | { ok: false; error: string } {
  const keys = Object.entries(credentials).filter(([name]) => isSecretField(name));
  if (keys.length === 0) return { ok: false, error: 'API key is required' };
  for (const [, value] of keys) {
    if (typeof value !== 'string' || !value.startsWith('sk-')) {
      return { ok: false, error: 'Incorrect API key provided. A valid key starts with sk- (simulator rule).' };
    }
  }
  return { ok: true };
}

/** Dify's obfuscated_token: first 6 + 12 `*` + last 2; 20 `*` when 8 characters or fewer. */
export function obfuscate(value: string): string {
  if (value.length <= 8) return '*'.repeat(20);
  return value.slice(0, 6) + '*'.repeat(12) + value.slice(-2);
}

export function obfuscateCredentials(credentials: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(credentials).map(([k, v]) => [k, isSecretField(k) && typeof v === 'string' ? obfuscate(v) : v]),
  );
}

export function findProvider(state: SimState, provider: string): SimProvider | undefined {
  return state.providers.find((p) => p.provider === provider && p.tenant_id === state.workspace.id);
}

export function activeCredential(provider: SimProvider): SimProviderCredential | undefined {
  return provider.credentials.find((c) => c.credential_id === provider.current_credential_id);
}

/** Normalised ids of configured providers without a valid active credential (see header). */
export function unavailableProviders(state: SimState): string[] {
  return state.providers
    .filter((p) => p.tenant_id === state.workspace.id)
    .filter((p) => {
      const active = activeCredential(p);
      return !active || !validateCredentials(active.credentials).ok;
    })
    .map((p) => p.provider);
}
