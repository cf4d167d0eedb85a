// The files users write, exactly as written (after schema validation): dify-gitops.yaml and the
// per-app manifests. Mirrors schemas/config.v1.json and schemas/app.v1.json; resolved, defaulted
// types for the rest of the program are in types.ts.

import type { SecretSource } from '../secrets/sources.js';
import type { WrittenRotation } from './rotation-types.js';

export interface WrittenIgnoreRule {
  path: string;
  nodeType?: string;
  reason?: string;
}

export interface WrittenPolicies {
  sync?: 'auto' | 'manual';
  drift?: 'warn' | 'heal' | 'adopt';
  prune?: boolean;
  suspend?: boolean;
  allowPendingImport?: boolean;
  reconcileInterval?: string;
  ignore?: WrittenIgnoreRule[];
}

export interface WrittenAuth {
  emailEnv?: string;
  emailFrom?: SecretSource;
  passwordEnv?: string;
  passwordFrom?: SecretSource;
  adminApiKeyEnv?: string;
  adminApiKeyFrom?: SecretSource;
  workspaceId?: string;
  workspaceIdEnv?: string;
}

export interface WrittenEnvironment {
  url: string;
  urlEnv?: string;
  dev?: boolean;
  auth: WrittenAuth;
  expect?: { serverVersion?: string; dslVersion?: string };
  policies?: WrittenPolicies;
}

export interface WrittenConfig {
  apiVersion: string;
  kind: 'Config';
  environments: Record<string, WrittenEnvironment>;
  policies?: WrittenPolicies;
  apps?: { manifests?: string | string[] };
  outputSchemas?: { dir?: string };
  lint?: { severities?: Record<string, 'error' | 'warning' | 'info' | 'off'> };
  rotation?: Record<string, WrittenRotation>;
}

export type WrittenSecretBinding = SecretSource | { keepLive: true };

export interface WrittenOverrides {
  envVars?: Record<string, string | number>;
  nodes?: Record<string, Record<string, unknown>>;
  modelConfig?: Record<string, unknown>;
}

export interface WrittenAppEnvironment {
  target: { appId?: string; adopt?: string; create?: true };
  overrides?: WrittenOverrides;
  datasets?: Record<string, string>;
  toolCredentials?: Record<string, string>;
  secrets?: Record<string, WrittenSecretBinding>;
  policies?: WrittenPolicies;
}

export interface WrittenExpectation {
  status?: 'succeeded' | 'failed' | 'stopped' | 'partial-succeeded';
  output?: string;
  json?: boolean;
  schema?: string;
  contains?: string | string[];
  notContains?: string | string[];
  regex?: string;
  maxLatencyMs?: number;
  maxTokens?: number;
}

export interface WrittenHealthCheck {
  name: string;
  description?: string;
  environments?: string[];
  inputs?: Record<string, unknown>;
  query?: string;
  responseMode?: 'blocking' | 'streaming';
  attempts?: number;
  minPasses?: number;
  timeout?: string;
  expect: WrittenExpectation;
}

export interface WrittenAppManifest {
  apiVersion: string;
  kind: 'App';
  name: string;
  dsl: string;
  description?: string;
  tags?: string[];
  policies?: WrittenPolicies;
  overrides?: WrittenOverrides;
  secrets?: Record<string, WrittenSecretBinding>;
  healthChecks?: WrittenHealthCheck[];
  environments: Record<string, WrittenAppEnvironment>;
}
