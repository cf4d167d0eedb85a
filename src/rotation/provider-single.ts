// Rotating a model-provider credential on Dify ≤ 1.7 (one credential per provider, replaced in
// place):
//   create  validate the new value with Dify (nothing changes if it is refused); read the value
//           being replaced from `previousSource` when configured (held in memory only)
//   set     save the new credential (other hidden fields kept with [__HIDDEN__])
//   test    run the health checks of the apps that use the provider; on failure save the
//           previous value back — possible only when it is in memory, because Dify ≤ 1.7 shows
//           credentials obfuscated
//   finish  move the labels
// Version ids are salted HMACs of the value (there are no credential ids to use).

import type { ProviderRotation } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { StepOutcome, StepTable } from './context.js';
import { closeAttempt, promotePending, valueVersionId } from './ledger.js';
import { credentialForm, HIDDEN, providerHealth, readValue, type ProviderCtx } from './provider-common.js';

export const PROVIDER_SINGLE_STEPS: StepTable<ProviderRotation> = { create: validateNew, set: saveNew, test: testSaved, finish: finishSingle };

function finishWith(ctx: ProviderCtx, outcome: 'rolled-back' | 'needs-human' | 'unchanged', message: string): StepOutcome {
  closeAttempt(ctx.entry, ctx.deps.now(), outcome, message);
  return { done: { outcome, message, currentVersion: ctx.entry.current?.versionId } };
}

export async function validateNew(ctx: ProviderCtx): Promise<StepOutcome> {
  const value = await readValue(ctx, ctx.secret.source);
  const versionId = valueVersionId(ctx.entry.salt, value);
  if (ctx.entry.current?.versionId === versionId) return finishWith(ctx, 'unchanged', `${ctx.secret.provider} already uses the value its source gives (${versionId})`);
  const verdict = await ctx.client.modelProviders.validateCredentials(ctx.secret.provider, { [ctx.secret.field]: value });
  if (verdict.result !== 'success') {
    return finishWith(ctx, 'rolled-back', `Dify refused the new ${ctx.secret.provider} credential (${verdict.error ?? 'rejected'}); nothing was changed`);
  }
  if (ctx.secret.previousSource !== undefined) ctx.memory.set('previous', await readValue(ctx, ctx.secret.previousSource));
  ctx.entry.pending!.versionId = versionId;
  return { next: 'set' };
}

export async function saveNew(ctx: ProviderCtx): Promise<StepOutcome> {
  const value = await readValue(ctx, ctx.secret.source);
  const versionId = valueVersionId(ctx.entry.salt, value);
  if (versionId !== ctx.entry.pending!.versionId) {
    ctx.say(`the source changed since this rotation started; saving its current value ${versionId}`);
    ctx.entry.pending!.versionId = versionId;
  }
  if (!ctx.memory.has('previous') && ctx.secret.previousSource !== undefined) ctx.memory.set('previous', await readValue(ctx, ctx.secret.previousSource));
  await ctx.client.modelProviders.saveSingleCredential(ctx.secret.provider, await credentialForm(ctx, value, HIDDEN));
  ctx.say(`saved the new ${ctx.secret.provider} credential (${versionId})`);
  return { next: 'test' };
}

export async function testSaved(ctx: ProviderCtx): Promise<StepOutcome> {
  const failure = await providerHealth(ctx);
  if (failure === undefined) return { next: 'finish' };
  const previous = ctx.memory.get('previous') ?? (ctx.secret.previousSource === undefined ? undefined : await readValue(ctx, ctx.secret.previousSource));
  if (previous === undefined) {
    return finishWith(ctx, 'needs-human', `the new ${ctx.secret.provider} credential fails its health checks (${failure}); Dify ≤ 1.7 cannot show the previous value and no previousSource is configured: save it again by hand`);
  }
  try {
    await ctx.client.modelProviders.saveSingleCredential(ctx.secret.provider, await credentialForm(ctx, previous, HIDDEN));
    const after = await providerHealth(ctx);
    if (after !== undefined) return finishWith(ctx, 'needs-human', `the new credential failed (${failure}); the previous value is back but its checks fail too: ${after}`);
    return finishWith(ctx, 'rolled-back', `the new ${ctx.secret.provider} credential failed its health checks (${failure}); saved the previous value back`);
  } catch (error) {
    return finishWith(ctx, 'needs-human', `the new credential failed (${failure}) and saving the previous value back failed: ${errorMessage(error)}`);
  }
}

export function finishSingle(ctx: ProviderCtx): Promise<StepOutcome> {
  const id = ctx.entry.pending!.versionId;
  promotePending(ctx.entry, ctx.deps.now());
  return Promise.resolve({ done: { outcome: 'rotated', message: `${ctx.secret.provider} credential replaced (${String(id)})`, currentVersion: id } });
}
