// Public API of the config layer: the repository format (dify-gitops.yaml, per-app manifests,
// output schemas) loaded, validated and resolved into one DesiredApp per environment × app.
// Other modules import from here, not from the files behind it.

export type {
  AppSource,
  AppTarget,
  DesiredApp,
  DriftPolicy,
  EnvironmentAuth,
  EnvironmentConfig,
  HealthCheck,
  HealthExpectation,
  HealthSubject,
  IgnoreRule,
  LoadedRepository,
  OutputSchema,
  Override,
  Policies,
  SecretBinding,
  SecretSource,
  SyncPolicy,
} from './types.js';
export type { WrittenAppManifest, WrittenConfig } from './written-types.js';
export { DEFAULT_MANIFEST_GLOB, DEFAULT_OUTPUT_SCHEMA_DIR, loadRepository, type LoadRepositoryOptions } from './load-repository.js';
export { CONFIG_ENV_VAR, CONFIG_FILE_NAMES, ConfigNotFoundError, findConfigFile } from './find-config.js';
export { RepositoryInvalidError, requireValidRepository } from './repository-error.js';
export { applyOverride, renderEnvironmentDsl } from './render-dsl.js';
export { DEFAULT_POLICIES, mergePolicies, parseDuration } from './resolve-policies.js';
export { satisfiesVersionRange } from './version-range.js';
export { API_VERSION, APP_SCHEMA_ID, CONFIG_SCHEMA_ID } from './tool-schemas.js';
