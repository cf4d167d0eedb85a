// Rotating a model-provider credential on Dify ≥ 1.8 (several named credentials per provider):
//   create  add a new named credential (Dify validates it live; a rejected key changes nothing)
//   set     switch the provider to it
//   test    validate it again and run the health checks of the apps that use the provider; on
//           failure switch back to the old credential and delete the new one
//   finish  delete the old credential and move the labels
// Version ids are Dify credential ids. The value lives in its source and in Dify; the ledger
// records the new credential's NAME before creating it, so a crash right after the create finds
// it again by name instead of adding a second one.

import { DifyApiError } from '../dify/index.js';
import { errorMessage } from '../errors.js';
import { closeAttempt, promotePending, rememberCreated } from './ledger.js';
import { RotationError, type StepOutcome, type StepTable } from './context.js';
import type { ProviderRotation } from '../config/types.js';
import { credentialForm, providerHealth, readValue, type ProviderCtx } from './provider-common.js';

export const PROVIDER_MULTI_STEPS: StepTable<ProviderRotation> = { create: addCredential, set: switchCredential, test: testCredential, finish: retireOld };

interface ProviderState {
  active: string | null;
  byName: Map<string, string>;
  ids: Set<string>;
}

async function providerState(ctx: ProviderCtx): Promise<ProviderState> {
  const provider = (await ctx.client.modelProviders.list()).find((p) => p.provider === ctx.secret.provider);
  const config = provider?.custom_configuration;
  const available = config?.available_credentials ?? [];
  return { active: config?.current_credential_id ?? null, byName: new Map(available.map((c) => [c.credential_name, c.credential_id])), ids: new Set(available.map((c) => c.credential_id)) };
}

/** `rotated 2026-05-12 03:00:00` (≤ 30 characters, Dify's limit). */
function credentialName(at: Date): string {
  return `rotated ${at.toISOString().slice(0, 19).replace('T', ' ')}`;
}

export async function addCredential(ctx: ProviderCtx): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const state = await providerState(ctx);
  if (!('oldCredentialId' in pending.data)) {
    pending.data.oldCredentialId = state.active;
    if (state.active !== null && ctx.entry.current?.versionId !== state.active) ctx.entry.current = { versionId: state.active, createdAt: ctx.deps.now().toISOString() };
  }
  if (typeof pending.data.credentialName !== 'string') {
    pending.data.credentialName = credentialName(ctx.deps.now());
    await ctx.save();
  }
  const name = pending.data.credentialName;
  let id = state.byName.get(name);
  if (id === undefined) {
    const value = await readValue(ctx, ctx.secret.source);
    const form = await credentialForm(ctx, value, undefined);
    try {
      await ctx.client.modelProviders.createCredential(ctx.secret.provider, form, name);
    } catch (error) {
      if (!(error instanceof DifyApiError) || error.code !== 'invalid_param') throw error;
      const message = `Dify refused the new ${ctx.secret.provider} credential (${error.detail}); the current credential stays active`;
      closeAttempt(ctx.entry, ctx.deps.now(), 'rolled-back', message);
      return { done: { outcome: 'rolled-back', message, currentVersion: ctx.entry.current?.versionId } };
    }
    id = (await providerState(ctx)).byName.get(name);
    if (id === undefined) throw new RotationError('E_ROTATION_PROVIDER', `created credential "${name}" for ${ctx.secret.provider} but Dify does not list it`);
    ctx.say(`added credential "${name}" (${id})`);
  }
  pending.versionId = id;
  rememberCreated(ctx.entry, id);
  return { next: 'set' };
}

export async function switchCredential(ctx: ProviderCtx): Promise<StepOutcome> {
  const id = ctx.entry.pending!.versionId!;
  const state = await providerState(ctx);
  if (!state.ids.has(id)) {
    ctx.say(`credential ${id} no longer exists; adding it again`);
    delete ctx.entry.pending!.versionId;
    delete ctx.entry.pending!.data.credentialName;
    return { next: 'create' };
  }
  if (state.active !== id) await ctx.client.modelProviders.switchCredential(ctx.secret.provider, id);
  ctx.say(`${ctx.secret.provider} now uses credential ${id}`);
  return { next: 'test' };
}

export async function testCredential(ctx: ProviderCtx): Promise<StepOutcome> {
  const value = await readValue(ctx, ctx.secret.source);
  const verdict = await ctx.client.modelProviders.validateCredentials(ctx.secret.provider, { [ctx.secret.field]: value });
  const failure = verdict.result === 'success' ? await providerHealth(ctx) : `validation: ${verdict.error ?? 'rejected'}`;
  if (failure === undefined) return { next: 'finish' };
  return rollBack(ctx, failure);
}

async function rollBack(ctx: ProviderCtx, failure: string): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const old = typeof pending.data.oldCredentialId === 'string' ? pending.data.oldCredentialId : null;
  const finishWith = (outcome: 'rolled-back' | 'needs-human', message: string): StepOutcome => {
    closeAttempt(ctx.entry, ctx.deps.now(), outcome, message);
    return { done: { outcome, message, currentVersion: ctx.entry.current?.versionId } };
  };
  try {
    if (old !== null) await ctx.client.modelProviders.switchCredential(ctx.secret.provider, old);
    const state = await providerState(ctx);
    if (pending.versionId !== undefined && state.ids.has(pending.versionId) && old !== null) {
      await ctx.client.modelProviders.deleteCredential(ctx.secret.provider, pending.versionId);
    }
    const after = old === null ? undefined : await providerHealth(ctx);
    if (after !== undefined) return finishWith('needs-human', `the new ${ctx.secret.provider} credential failed (${failure}); switched back to ${old}, but its checks fail too: ${after}`);
    return finishWith('rolled-back', `the new ${ctx.secret.provider} credential failed (${failure}); switched back to ${old ?? 'nothing (there was no credential before)'}${old === null ? '' : ' and deleted the new one'}`);
  } catch (error) {
    return finishWith('needs-human', `the new ${ctx.secret.provider} credential failed (${failure}) and switching back failed: ${errorMessage(error)}`);
  }
}

export async function retireOld(ctx: ProviderCtx): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const old = typeof pending.data.oldCredentialId === 'string' ? pending.data.oldCredentialId : null;
  if (old !== null && old !== pending.versionId && (await providerState(ctx)).ids.has(old)) {
    await ctx.client.modelProviders.deleteCredential(ctx.secret.provider, old);
    ctx.say(`deleted the old credential ${old}`);
  }
  const id = pending.versionId;
  promotePending(ctx.entry, ctx.deps.now());
  return { done: { outcome: 'rotated', message: `${ctx.secret.provider} uses credential ${String(id)}${old === null ? '' : `; ${old} deleted`}`, currentVersion: id } };
}
