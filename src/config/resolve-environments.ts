// Environments from a schema-valid dify-gitops.yaml: auth references checked for completeness
// (the schema cannot say "email and password, or admin key and workspace" readably), the URL
// override applied from `urlEnv`, and root + environment policies merged.

import type { Diagnostic } from '../diagnostics.js';
import type { SecretSource } from '../secrets/sources.js';
import { DEFAULT_POLICIES, mergePolicies } from './resolve-policies.js';
import type { EnvironmentAuth, EnvironmentConfig } from './types.js';
import type { WrittenAuth, WrittenConfig } from './written-types.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

export function resolveEnvironments(
  config: WrittenConfig,
  source: YamlSource,
  env: Readonly<Record<string, string | undefined>>,
): { environments: EnvironmentConfig[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const environments: EnvironmentConfig[] = [];
  const rootPolicies = mergePolicies(DEFAULT_POLICIES, config.policies);

  for (const [name, written] of Object.entries(config.environments)) {
    const at = ['environments', name, 'auth'];
    const auth = resolveAuth(written.auth, (message) =>
      diagnostics.push(diagnosticAt(source, at, 'error', 'auth-incomplete', message, { key: true })),
    );
    const override = written.urlEnv === undefined ? undefined : env[written.urlEnv];
    const useOverride = override !== undefined && override.trim() !== '';
    if (useOverride && !/^https?:\/\/[^\s/]/.test(override.trim())) {
      diagnostics.push(
        diagnosticAt(source, ['environments', name, 'urlEnv'], 'error', 'url-env-invalid', `environment variable ${written.urlEnv} must hold an http(s) URL`),
      );
    }
    const expect: EnvironmentConfig['expect'] = {};
    if (written.expect?.serverVersion !== undefined) expect.serverVersion = written.expect.serverVersion.trim();
    if (written.expect?.dslVersion !== undefined) expect.dslVersion = written.expect.dslVersion;
    if (auth === undefined) continue;
    environments.push({
      name,
      url: (useOverride ? override.trim() : written.url).replace(/\/+$/, ''),
      urlFrom: useOverride && written.urlEnv !== undefined ? { env: written.urlEnv } : 'config',
      dev: written.dev ?? false,
      auth,
      expect,
      policies: mergePolicies(rootPolicies, written.policies),
    });
  }
  return { environments, diagnostics };
}

function resolveAuth(auth: WrittenAuth, report: (message: string) => void): EnvironmentAuth | undefined {
  const pick = (field: string, envName: string | undefined, from: SecretSource | undefined): SecretSource | undefined | null => {
    if (envName !== undefined && from !== undefined) {
      report(`set only one of \`${field}Env\` and \`${field}From\``);
      return null;
    }
    return envName !== undefined ? { env: envName } : from;
  };
  const email = pick('email', auth.emailEnv, auth.emailFrom);
  const password = pick('password', auth.passwordEnv, auth.passwordFrom);
  const apiKey = pick('adminApiKey', auth.adminApiKeyEnv, auth.adminApiKeyFrom);
  if (auth.workspaceId !== undefined && auth.workspaceIdEnv !== undefined) {
    report('set only one of `workspaceId` and `workspaceIdEnv`');
    return undefined;
  }
  if (email === null || password === null || apiKey === null) return undefined;
  const workspace = auth.workspaceId !== undefined ? { literal: auth.workspaceId } : auth.workspaceIdEnv !== undefined ? { env: auth.workspaceIdEnv } : undefined;

  const usesPassword = email !== undefined || password !== undefined;
  const usesKey = apiKey !== undefined || workspace !== undefined;
  if (usesPassword && usesKey) {
    report('choose one login method: `emailEnv` + `passwordEnv`, or `adminApiKeyEnv` + `workspaceId`; not both');
    return undefined;
  }
  if (usesKey) {
    if (apiKey === undefined || workspace === undefined) {
      report(`the admin API key method needs both \`adminApiKeyEnv\` (or \`adminApiKeyFrom\`) and \`workspaceId\` (or \`workspaceIdEnv\`); missing ${apiKey === undefined ? '`adminApiKeyEnv`' : '`workspaceId`'}`);
      return undefined;
    }
    return { kind: 'adminApiKey', apiKey, workspaceId: workspace };
  }
  if (email === undefined || password === undefined) {
    report(
      usesPassword
        ? `the password method needs both \`emailEnv\` and \`passwordEnv\` (or their \`…From\` forms); missing ${email === undefined ? '`emailEnv`' : '`passwordEnv`'}`
        : 'no login method: set `emailEnv` + `passwordEnv`, or `adminApiKeyEnv` + `workspaceId`',
    );
    return undefined;
  }
  return { kind: 'password', email, password };
}
