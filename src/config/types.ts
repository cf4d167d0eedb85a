// The resolved repository: what every other module consumes. Defaults applied, policies merged,
// paths made repo-relative, and one DesiredApp per (environment × app). Secret bindings carry the
// NAME of a source only; values are read at apply time (src/secrets/sources.ts).

import type { ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import type { IgnoreRule as DslIgnoreRule } from '../dsl/index.js';
import type { AppMode, DslDocument, ParsedDslOk } from '../dsl/types.js';
import type { SecretSource } from '../secrets/sources.js';
import type { RotationSecret } from './rotation-types.js';

export type { AppMode } from '../dsl/types.js';
export type { SecretSource } from '../secrets/sources.js';
export type * from './rotation-types.js';

export type SyncPolicy = 'auto' | 'manual';
export type DriftPolicy = 'warn' | 'heal' | 'adopt';

/** The DSL core's ignore rule (normalizeDsl's input) plus the reason plans show. */
export interface IgnoreRule extends DslIgnoreRule {
  reason?: string;
}

export interface Policies {
  sync: SyncPolicy;
  drift: DriftPolicy;
  prune: boolean;
  suspend: boolean;
  allowPendingImport: boolean;
  reconcileIntervalMs: number;
  /** Rules from every level, outermost first. */
  ignore: IgnoreRule[];
}

export type EnvironmentAuth =
  | { kind: 'password'; email: SecretSource; password: SecretSource }
  | { kind: 'adminApiKey'; apiKey: SecretSource; workspaceId: { literal: string } | SecretSource };

export interface EnvironmentConfig {
  name: string;
  /** Effective base URL: `urlEnv`'s value when set and non-empty, else `url`. No trailing slash. */
  url: string;
  /** Where `url` came from, for messages. */
  urlFrom: 'config' | { env: string };
  dev: boolean;
  auth: EnvironmentAuth;
  expect: { serverVersion?: string; dslVersion?: string };
  /** Root policies merged with the environment's. */
  policies: Policies;
}

export type AppTarget = { kind: 'appId'; appId: string } | { kind: 'adopt'; name: string } | { kind: 'create' };

export type Override =
  | { kind: 'envVar'; name: string; value: string | number }
  /** `pointer` is relative to the node's `data`. */
  | { kind: 'node'; nodeId: string; pointer: string; value: unknown }
  /** `pointer` is relative to `model_config`. */
  | { kind: 'modelConfig'; pointer: string; value: unknown };

export type SecretBinding =
  | { variable: string; keepLive: true }
  | { variable: string; keepLive: false; source: SecretSource };

export interface OutputSchema {
  /** Name health checks use (file name without `.schema.yaml`), or the path when referenced by path. */
  name: string;
  /** Repo-relative file. */
  file: string;
  schema: unknown;
  /** Validates a value; returns human-readable problems, empty when valid. Compiled once. */
  check(value: unknown): string[];
  /** The same compiled ajv validator, for callers that repair before validating (enforceOutput). */
  validate: ValidateFunction;
}

export type HealthSubject = { kind: 'outputs' } | { kind: 'output'; name: string } | { kind: 'answer' };

export interface HealthExpectation {
  /** Required run status; workflow and advanced-chat apps only. */
  status: 'succeeded' | 'failed' | 'stopped' | 'partial-succeeded' | undefined;
  subject: HealthSubject;
  /** Parse the subject as JSON after repair; true whenever `schema` is set. */
  json: boolean;
  schema: OutputSchema | undefined;
  contains: string[];
  notContains: string[];
  regex: string | undefined;
  maxLatencyMs: number | undefined;
  maxTokens: number | undefined;
}

export interface HealthCheck {
  name: string;
  description: string | undefined;
  /** Which service API endpoint follows from the app mode. */
  mode: AppMode;
  inputs: Record<string, unknown>;
  query: string | undefined;
  responseMode: 'blocking' | 'streaming';
  attempts: number;
  minPasses: number;
  timeoutMs: number;
  expect: HealthExpectation;
}

/** One app as written in git, independent of environment. */
export interface AppSource {
  name: string;
  /** Repo-relative paths. */
  manifestFile: string;
  dslFile: string;
  mode: AppMode;
  dslVersion: string;
  description: string | undefined;
  tags: string[];
  /** The parsed DSL as in git (shared by every environment; do not mutate). */
  dsl: ParsedDslOk;
  /** Environments the app declares, in manifest order. */
  environments: string[];
}

/** One app in one environment, everything resolved: the unit plan/apply/health work on. */
export interface DesiredApp {
  name: string;
  environment: string;
  source: AppSource;
  target: AppTarget;
  /** App-level overrides first, then the environment's: apply in order. */
  overrides: Override[];
  /** Knowledge bases: logical name (as in the DSL's `dataset_ids`) → dataset id here. */
  datasets: Record<string, string>;
  /** Tool provider id → credential id here. */
  toolCredentials: Record<string, string>;
  /** One per secret env var of the DSL that has a binding here (sorted by variable). */
  secrets: SecretBinding[];
  healthChecks: HealthCheck[];
  policies: Policies;
}

export interface LoadedRepository {
  /** Absolute path of the repository root (the config file's directory). */
  root: string;
  /** Repo-relative config file name. */
  configFile: string;
  /** Every problem found, sorted; the repository is usable only when `valid`. */
  diagnostics: Diagnostic[];
  valid: boolean;
  environments: EnvironmentConfig[];
  apps: AppSource[];
  /** environment × app, in environment order then app name order. */
  desired: DesiredApp[];
  outputSchemas: OutputSchema[];
  /** The `rotation` section, resolved (docs/rotation.md); empty when absent. */
  rotations: RotationSecret[];
}

export type { DslDocument };
