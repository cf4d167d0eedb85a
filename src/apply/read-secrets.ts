// Reads the values of an app's bound secrets, right before they are needed and never earlier.
// readSecretSource registers each value with the Redactor before returning it.

import type { DesiredApp } from '../config/types.js';
import { readSecretSource, type SecretSourceContext } from '../secrets/sources.js';

export async function readBoundSecrets(desired: DesiredApp, ctx: SecretSourceContext): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const binding of desired.secrets) {
    if (binding.keepLive) continue;
    values.set(binding.variable, await readSecretSource(binding.source, ctx));
  }
  return values;
}
