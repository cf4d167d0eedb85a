// The Dify tags previews are found by (`dify-gitops-preview`, `pr-<n>`): look one up by exact
// name, or make it. Tag listing filters by keyword (a substring), so the exact name is checked.

import type { DifyClient } from '../dify/index.js';

export async function findTag(client: DifyClient, name: string): Promise<string | undefined> {
  return (await client.tags.list('app', name)).find((t) => t.name === name)?.id;
}

export async function ensureTag(client: DifyClient, name: string): Promise<string> {
  return (await findTag(client, name)) ?? (await client.tags.create(name, 'app')).id;
}
