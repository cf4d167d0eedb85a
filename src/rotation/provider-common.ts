// What both eras of provider-credential rotation share: the new value from its source, the
// credential form around it (the active credential's other fields, which Dify shows obfuscated
// when they are secret), and the health checks of the apps that use the provider.

import type { ProviderRotation } from '../config/types.js';
import type { Credentials } from '../dify/index.js';
import { readSecretSource, type SecretSource } from '../secrets/sources.js';
import { resolveAppId, RotationError, type StepContext } from './context.js';
import { checkAppHealth } from './health.js';
import type { LedgerEntry } from './ledger.js';

export type ProviderCtx = StepContext<ProviderRotation>;

export const HIDDEN = '[__HIDDEN__]';

/** Dify's obfuscation: first 6 + 12 `*` + last 2, or 20 `*`. */
export function looksObfuscated(value: string): boolean {
  return /^\*{20}$/.test(value) || /^.{0,6}\*{12}.{0,2}$/.test(value);
}

export function readValue(ctx: ProviderCtx, source: SecretSource): Promise<string> {
  return readSecretSource(source, { env: ctx.deps.env, cwd: ctx.deps.repo.root, redactor: ctx.deps.redactor });
}

/**
 * The active credential's fields with ours replaced. Secret fields Dify hides come back as
 * `hidden` (the [__HIDDEN__] sentinel keeps them on update), or are refused when `hidden` is
 * undefined (a new credential has nothing to keep them from).
 */
export async function credentialForm(ctx: ProviderCtx, value: string, hidden: string | undefined): Promise<Credentials> {
  const active = (await ctx.client.modelProviders.getCredentials(ctx.secret.provider)) ?? {};
  const form: Credentials = {};
  for (const [key, item] of Object.entries(active)) {
    if (key === ctx.secret.field) continue;
    if (typeof item === 'string' && looksObfuscated(item)) {
      if (hidden === undefined) {
        throw new RotationError('E_ROTATION_PROVIDER', `the active ${ctx.secret.provider} credential has another secret field, ${key}, which Dify does not show and dify-gitops cannot copy into a new credential`);
      }
      form[key] = hidden;
    } else form[key] = item;
  }
  form[ctx.secret.field] = value;
  return form;
}

/** Runs the health checks of every app that uses the provider; returns the failures' summary, or undefined when all pass. */
export async function providerHealth(ctx: ProviderCtx): Promise<string | undefined> {
  const failures: string[] = [];
  for (const app of ctx.secret.healthApps) {
    const { appId, desired } = await resolveAppId(ctx.deps, ctx.client, ctx.secret.environment, app);
    const health = await checkAppHealth({ client: ctx.client, stateDir: ctx.deps.stateDir, desired, appId, workflowId: null });
    ctx.say(health.summary);
    if (!health.passed) failures.push(health.summary);
  }
  if (ctx.secret.healthApps.length === 0) ctx.say(`no app in ${ctx.secret.environment} uses ${ctx.secret.provider}: only Dify's validation proves the credential`);
  return failures.length === 0 ? undefined : failures.join('; ');
}

/**
 * Refuses to resume a rotation another credential model started: a ≥ 1.8 run records the new
 * credential's name and the old credential's id, a ≤ 1.7 run the value's HMAC. If the server now
 * reports the other model (upgraded, downgraded, or the environment points at another Dify), the
 * pending step's facts mean nothing here and acting on them could delete the wrong credential.
 */
export function assertSameCredentialModel(entry: LedgerEntry, multi: boolean, serverVersion: string, ledgerPath: string): void {
  const pending = entry.pending;
  if (pending === undefined) return;
  const startedMulti = 'credentialName' in pending.data || 'oldCredentialId' in pending.data;
  const startedSingle = pending.versionId?.startsWith('hmac:') === true;
  if (multi ? !startedSingle : !startedMulti) return;
  const was = multi ? 'Dify ≤ 1.7 (one credential per provider)' : 'Dify ≥ 1.8 (named credentials)';
  const now = multi ? 'named credentials (≥ 1.8)' : 'one credential per provider (≤ 1.7)';
  throw new RotationError(
    'E_ROTATION_PROVIDER_MODEL',
    `rotation ${entry.secret} was started on ${was}, but the server now reports ${serverVersion}, which has ${now}; its pending step (${pending.step}) cannot be resumed here. Check the provider's credentials in Dify by hand, then move ${ledgerPath} away to start over`,
  );
}
