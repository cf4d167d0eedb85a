// Every secret env var of the DSL needs, in every environment the app deploys to, either a source
// or an explicit `keepLive: true`. Importing the exported `''` would erase the live secret
// (contract §5.2), so "forgot to bind it" must be a validation error, not a silent wipe.

import type { Diagnostic } from '../diagnostics.js';
import { checkedEnvironments, report, type AppContext } from './app-context.js';
import { suggestion } from './field-path.js';
import type { WrittenSecretBinding } from './written-types.js';

export function validateSecrets(ctx: AppContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { manifest, facts, dslFile } = ctx;
  const secretVars = [...facts.envVars].filter(([, type]) => type === 'secret').map(([name]) => name);

  const checkBindings = (bindings: Record<string, WrittenSecretBinding> | undefined, at: (string | number)[]): void => {
    for (const name of Object.keys(bindings ?? {})) {
      const type = facts.envVars.get(name);
      if (type === undefined) {
        report(ctx, out, [...at, name], 'error', 'secret-unknown-env-var', `${dslFile} has no environment variable \`${name}\`${suggestion(name, secretVars)}`, { key: true });
      } else if (type !== 'secret') {
        report(ctx, out, [...at, name], 'error', 'secret-not-secret', `\`${name}\` is a ${type} variable, not a secret; set its value under \`overrides.envVars\` or make it \`secret\` in the DSL`, { key: true });
      }
    }
  };
  checkBindings(manifest.secrets, ['secrets']);

  for (const environment of Object.keys(manifest.environments)) {
    checkBindings(manifest.environments[environment]?.secrets, ['environments', environment, 'secrets']);
  }
  for (const environment of checkedEnvironments(ctx)) {
    const bound = new Set([...Object.keys(manifest.secrets ?? {}), ...Object.keys(manifest.environments[environment]?.secrets ?? {})]);
    const missing = secretVars.filter((name) => !bound.has(name));
    if (missing.length === 0) continue;
    const list = missing.map((n) => `\`${n}\``).join(', ');
    report(
      ctx,
      out,
      ['environments', environment],
      'error',
      'secret-unbound',
      `secret variable${missing.length > 1 ? 's' : ''} ${list} of ${dslFile} ${missing.length > 1 ? 'have' : 'has'} no binding for environment ${environment}: add \`secrets: { ${missing[0]}: { env: <ENV_VAR_NAME> } }\` or \`{ keepLive: true }\` to keep the value set in Dify`,
      { key: true },
    );
  }
  return out;
}
