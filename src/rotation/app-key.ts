// Rotating a Dify app API key (the `app-…` Bearer token callers use), as four resumable steps:
//   create  mint a key in Dify (clean up keys this tool left behind first, under Dify's 10-key cap)
//   test    prove it with a real service-API call (GET /v1/info); on failure delete it, keep the old
//   set     deliver it to every sink (GitHub secret, file, command)
//   finish  after the grace period, and once the old key's last_used_at stops advancing, delete
//           the old key and move the labels (pending → current → previous)
// The proof runs BEFORE delivery, so a sink never receives a key that does not work, and the old
// key stays valid until every sink holds the new one. Where the value lives between steps: only in
// Dify (which lists full tokens); the ledger holds the key id, and each step re-reads the token.

import { DifyApiError, DifyNotFoundError, type ApiKey } from '../dify/index.js';
import type { AppKeyRotation } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { closeAttempt, promotePending, rememberCreated } from './ledger.js';
import { resolveAppId, RotationError, runSteps, sleepUntil, type RotationResult, type StepContext, type StepOutcome, type StepTable } from './context.js';
import { deliverToSink, describeSink } from './sinks/index.js';

export const MAX_APP_KEYS = 10;

type Ctx = StepContext<AppKeyRotation>;

export function rotateAppKey(ctx: Ctx): Promise<RotationResult> {
  return runSteps(ctx, APP_KEY_STEPS);
}

export const APP_KEY_STEPS: StepTable<AppKeyRotation> = { create: createKey, test: testKey, set: deliverKey, finish: finishKey };

async function appIdOf(ctx: Ctx): Promise<string> {
  const data = ctx.entry.pending!.data;
  if (typeof data.appId === 'string') return data.appId;
  const { appId } = await resolveAppId(ctx.deps, ctx.client, ctx.secret.environment, ctx.secret.app);
  data.appId = appId;
  await ctx.save();
  return appId;
}

export async function createKey(ctx: Ctx): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const appId = await appIdOf(ctx);
  let keys = await ctx.client.apiKeys.list(appId);
  if (pending.versionId !== undefined) {
    if (keys.some((k) => k.id === pending.versionId)) return { next: 'test' };
    ctx.say(`the pending key ${pending.versionId} no longer exists in Dify; minting another`);
    delete pending.versionId;
  }
  // A crash between Dify's answer and the ledger write leaves a key we cannot name for sure:
  // adopt it when exactly one unknown key appeared since the request.
  const requested = typeof pending.data.createRequestedAt === 'number' ? pending.data.createRequestedAt : undefined;
  if (requested !== undefined) {
    const known = new Set([ctx.entry.current?.versionId, ...ctx.entry.created]);
    const fresh = keys.filter((k) => !known.has(k.id) && k.created_at >= requested);
    if (fresh.length === 1) {
      adopt(ctx, fresh[0]!);
      ctx.say(`adopted key ${fresh[0]!.id}, created before the last run stopped`);
      return { next: 'test' };
    }
  }
  keys = await makeRoom(ctx, appId, keys);
  pending.data.createRequestedAt = Math.floor(ctx.deps.now().getTime() / 1000) - 1;
  await ctx.save();
  let key: ApiKey;
  try {
    key = await ctx.client.apiKeys.create(appId);
  } catch (error) {
    if (error instanceof DifyApiError && error.code === 'max_keys_exceeded') throw keyLimitError(ctx);
    throw error;
  }
  adopt(ctx, key);
  ctx.say(`created key ${key.id}`);
  return { next: 'test' };
}

function adopt(ctx: Ctx, key: ApiKey): void {
  ctx.entry.pending!.versionId = key.id;
  rememberCreated(ctx.entry, key.id);
}

/** At Dify's cap, deletes keys this tool created that are neither current nor pending. */
async function makeRoom(ctx: Ctx, appId: string, keys: ApiKey[]): Promise<ApiKey[]> {
  if (keys.length < MAX_APP_KEYS) return keys;
  const keep = new Set([ctx.entry.current?.versionId, ctx.entry.pending?.versionId]);
  const leftovers = keys.filter((k) => ctx.entry.created.includes(k.id) && !keep.has(k.id));
  for (const key of leftovers.slice(0, keys.length - MAX_APP_KEYS + 1)) {
    await deleteKey(ctx, appId, key.id);
    ctx.say(`deleted key ${key.id}, left over from an earlier rotation, to stay under Dify's ${MAX_APP_KEYS}-key limit`);
  }
  const after = await ctx.client.apiKeys.list(appId);
  if (after.length >= MAX_APP_KEYS) throw keyLimitError(ctx);
  return after;
}

function keyLimitError(ctx: Ctx): RotationError {
  return new RotationError(
    'E_ROTATION_KEY_LIMIT',
    `app ${ctx.secret.app} in ${ctx.secret.environment} already has ${MAX_APP_KEYS} API keys (Dify's maximum) and none of them is one dify-gitops left over; delete an unused key in Dify (app → API Access) and run rotate again`,
  );
}

async function tokenOf(ctx: Ctx, appId: string, keyId: string): Promise<string | undefined> {
  return (await ctx.client.apiKeys.list(appId)).find((k) => k.id === keyId)?.token;
}

export async function testKey(ctx: Ctx): Promise<StepOutcome> {
  const appId = await appIdOf(ctx);
  const keyId = ctx.entry.pending!.versionId!;
  const token = await tokenOf(ctx, appId, keyId);
  try {
    if (token === undefined) throw new Error(`key ${keyId} disappeared from Dify`);
    await ctx.client.service(token).info();
  } catch (error) {
    await deleteKey(ctx, appId, keyId);
    const message = `the new key failed its proof (GET /v1/info: ${errorMessage(error)}); deleted it, the old key stays current`;
    closeAttempt(ctx.entry, ctx.deps.now(), 'rolled-back', message);
    return { done: { outcome: 'rolled-back', message, currentVersion: ctx.entry.current?.versionId } };
  }
  ctx.say(`key ${keyId} answers the service API`);
  return { next: 'set' };
}

export async function deliverKey(ctx: Ctx): Promise<StepOutcome> {
  const appId = await appIdOf(ctx);
  const keyId = ctx.entry.pending!.versionId!;
  const token = await tokenOf(ctx, appId, keyId);
  if (token === undefined) {
    // Someone deleted the proven key: start over rather than deliver nothing.
    ctx.say(`key ${keyId} disappeared from Dify before delivery; minting another`);
    delete ctx.entry.pending!.versionId;
    return { next: 'create' };
  }
  const sinkContext = { env: ctx.deps.env, cwd: ctx.deps.repo.root, redactor: ctx.deps.redactor, github: ctx.deps.github };
  for (const sink of ctx.secret.sinks) {
    try {
      await deliverToSink(sink, token, sinkContext);
    } catch (error) {
      throw new RotationError('E_ROTATION_SINK', `delivering key ${keyId} to ${describeSink(sink)} failed: ${errorMessage(error)}. The old key stays valid; the next run delivers again`, { cause: error });
    }
    ctx.say(`delivered key ${keyId} to ${describeSink(sink)}`);
  }
  ctx.entry.pending!.data.deliveredAt = ctx.deps.now().getTime();
  return { next: 'finish' };
}

export async function finishKey(ctx: Ctx): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const old = ctx.entry.current?.versionId;
  if (old !== undefined) {
    const waited = await waitForOldKey(ctx, old);
    if (waited !== 'quiet') return waited;
    await deleteKey(ctx, await appIdOf(ctx), old);
    ctx.say(`deleted the old key ${old}`);
  }
  promotePending(ctx.entry, ctx.deps.now());
  const message = old === undefined ? `issued key ${pending.versionId} (first rotation: no old key to retire)` : `key ${pending.versionId} is current; ${old} deleted`;
  return { done: { outcome: 'rotated', message, currentVersion: ctx.entry.current?.versionId } };
}

/**
 * Grace period, then quiet: the old key's last_used_at (Dify's clock, 1 s resolution) must not
 * change for quietPeriod of our clock. Observations are kept in the ledger so that runs that do
 * not wait (serve) add up across ticks.
 */
async function waitForOldKey(ctx: Ctx, oldId: string): Promise<'quiet' | StepOutcome> {
  const { secret, deps } = ctx;
  const data = ctx.entry.pending!.data;
  const deliveredAt = typeof data.deliveredAt === 'number' ? data.deliveredAt : deps.now().getTime();
  const graceEnd = deliveredAt + secret.gracePeriodMs;
  const giveUpAt = graceEnd + secret.maxWaitMs;
  if (deps.now().getTime() < graceEnd) {
    if (!deps.wait) return waiting(ctx, `grace period until ${new Date(graceEnd).toISOString()}; both keys stay valid`);
    ctx.say(`grace period: waiting until ${new Date(graceEnd).toISOString()} before retiring ${oldId}`);
    await sleepUntil(ctx, graceEnd);
  }
  const appId = await appIdOf(ctx);
  for (;;) {
    const oldKey = (await ctx.client.apiKeys.list(appId)).find((k) => k.id === oldId);
    if (oldKey === undefined || oldKey.last_used_at === null) return 'quiet';
    const now = deps.now().getTime();
    if (data.oldLastUsedAt !== oldKey.last_used_at) {
      data.oldLastUsedAt = oldKey.last_used_at;
      data.oldLastUsedSeenAt = now;
      await ctx.save();
    }
    const stillSince = typeof data.oldLastUsedSeenAt === 'number' ? data.oldLastUsedSeenAt : now;
    if (now - stillSince >= secret.quietPeriodMs) return 'quiet';
    if (now >= giveUpAt) {
      const message = `the old key ${oldId} was still used ${Math.round((now - stillSince) / 1000)} s ago, ${Math.round(secret.maxWaitMs / 60_000)} min after the grace period: some caller does not read the sinks. Both keys stay valid; find the caller, then run rotate again`;
      ctx.entry.lastAttempt = { at: new Date(now).toISOString(), outcome: 'needs-human', message };
      return { done: { outcome: 'needs-human', message, currentVersion: ctx.entry.current?.versionId } };
    }
    if (!deps.wait) return waiting(ctx, `the old key ${oldId} was used recently; waiting for it to stay unused for ${secret.quietPeriodMs / 1000} s`);
    await deps.sleep(Math.min(deps.pollMs, Math.max(1, stillSince + secret.quietPeriodMs - now)));
    await ctx.renew();
  }
}

function waiting(ctx: Ctx, why: string): StepOutcome {
  return { done: { outcome: 'waiting', message: `delivered key ${ctx.entry.pending!.versionId}; ${why}; a later run finishes`, currentVersion: ctx.entry.current?.versionId } };
}

async function deleteKey(ctx: Ctx, appId: string, keyId: string): Promise<void> {
  try {
    await ctx.client.apiKeys.delete(appId, keyId);
  } catch (error) {
    // Already gone (a crash after the delete, or someone else): the goal is reached.
    if (error instanceof DifyNotFoundError || (error instanceof DifyApiError && error.status === 404)) return;
    throw error;
  }
}
