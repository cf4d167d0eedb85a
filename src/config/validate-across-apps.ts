// Rules that need every manifest at once: app names are unique, and no two apps claim the same
// Dify app in one environment (same `appId`, or `adopt` of the same name).

import type { Diagnostic } from '../diagnostics.js';
import type { WrittenAppManifest } from './written-types.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

export interface ManifestEntry {
  file: string;
  source: YamlSource;
  manifest: WrittenAppManifest;
}

export function validateAcrossApps(entries: readonly ManifestEntry[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Map<string, string>();
  const claims = new Map<string, string>();
  for (const { file, source, manifest } of entries) {
    const first = names.get(manifest.name);
    if (first !== undefined) {
      out.push(diagnosticAt(source, ['name'], 'error', 'app-duplicate-name', `app name \`${manifest.name}\` is already used by ${first}`));
    } else {
      names.set(manifest.name, file);
    }
    for (const [environment, env] of Object.entries(manifest.environments)) {
      const { appId, adopt } = env.target;
      const claim = appId !== undefined ? `appId ${appId.toLowerCase()}` : adopt !== undefined ? `adopt ${adopt}` : undefined;
      if (claim === undefined) continue;
      const key = `${environment}\u0000${claim}`;
      const owner = claims.get(key);
      if (owner !== undefined) {
        const what = appId !== undefined ? `Dify app ${appId}` : `the Dify app named \`${adopt}\``;
        out.push(diagnosticAt(source, ['environments', environment, 'target'], 'error', 'target-duplicate', `${what} in ${environment} is already the target of ${owner}`, { key: true }));
      } else {
        claims.set(key, `${manifest.name} (${file})`);
      }
    }
  }
  return out;
}
