// The `rotation` section of dify-gitops.yaml, as written and as resolved (docs/rotation.md). Each
// entry names one secret dify-gitops rotates: an app API key (delivered to sinks), a secret env
// var of a workflow, or a model-provider credential. Sources and sinks are references only.

import type { CronFields } from '../runtime/cron-fields.js';
import type { SecretSource } from '../secrets/sources.js';

export type RotationKind = 'appApiKey' | 'envVar' | 'providerCredential';

export type WrittenRotationSink =
  | { githubSecret: { repository: string; name: string; environment?: string; tokenEnv?: string } }
  | { file: string }
  | { command: string[] };

export interface WrittenRotation {
  kind: RotationKind;
  environment: string;
  app?: string;
  variable?: string;
  provider?: string;
  field?: string;
  source?: SecretSource;
  previousSource?: SecretSource;
  sinks?: WrittenRotationSink[];
  healthApps?: string[];
  schedule?: string;
  gracePeriod?: string;
  quietPeriod?: string;
  maxWait?: string;
}

export type RotationSink =
  | { kind: 'githubSecret'; owner: string; repo: string; name: string; environment: string | undefined; tokenEnv: string }
  /** `path` is absolute; `display` is as written. */
  | { kind: 'file'; path: string; display: string }
  | { kind: 'command'; argv: string[] };

export interface RotationSchedule {
  cron: string;
  fields: CronFields;
}

interface RotationCommon {
  /** The key under `rotation:`; unique, names the ledger file. */
  name: string;
  environment: string;
  /** Absent: rotated only on demand (`rotate --force`). */
  schedule: RotationSchedule | undefined;
}

export interface AppKeyRotation extends RotationCommon {
  kind: 'appApiKey';
  app: string;
  sinks: RotationSink[];
  /** Wait after delivery before the old key may be deleted. */
  gracePeriodMs: number;
  /** The old key's last_used_at must stay still this long before it is deleted. */
  quietPeriodMs: number;
  /** Longest wait for the old key to fall quiet after the grace period; then the run stops and retries later. */
  maxWaitMs: number;
}

export interface EnvVarRotation extends RotationCommon {
  kind: 'envVar';
  app: string;
  variable: string;
  /** From the rotation entry, else the app's secret binding in this environment. */
  source: SecretSource;
}

export interface ProviderRotation extends RotationCommon {
  kind: 'providerCredential';
  /** Normalised provider id, e.g. `langgenius/openai/openai`. */
  provider: string;
  /** The credential field holding the secret, e.g. `openai_api_key`. */
  field: string;
  source: SecretSource;
  /** Dify ≤ 1.7 only: where the value being replaced can be read, for a rollback. */
  previousSource: SecretSource | undefined;
  /** Apps whose health checks prove the new credential (default: apps whose DSL uses the provider). */
  healthApps: string[];
}

export type RotationSecret = AppKeyRotation | EnvVarRotation | ProviderRotation;

export const ROTATION_DEFAULTS = {
  gracePeriod: '5m',
  quietPeriod: '2m',
  maxWait: '1h',
  githubTokenEnv: 'GITHUB_TOKEN',
} as const;
