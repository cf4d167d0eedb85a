// What is live right now, read from Dify, for the "a human must look" report (exit 4): the
// published version id, its marked name and when it was published. Never throws: when even this
// read fails, it says so.

import type { DifyClient } from '../dify/index.js';
import { WORKFLOW_MODES, type AppMode } from '../dsl/index.js';

export async function describeLive(client: DifyClient, appId: string | null, mode: string): Promise<string> {
  if (appId === null) return 'unknown: the app id is not known';
  try {
    if (!WORKFLOW_MODES.includes(mode as AppMode)) {
      const app = await client.apps.get(appId);
      return `app ${appId} (${mode}): its model config is live; last updated at ${new Date(app.updated_at * 1000).toISOString()}`;
    }
    const published = await client.versions.getPublished(appId);
    if (published === null) return `app ${appId}: nothing is published`;
    const mark = published.marked_name ? ` marked "${published.marked_name}"` : '';
    return `app ${appId}: published version ${published.id}${mark}, version ${published.version}`;
  } catch (error) {
    return `unknown: reading app ${appId} failed (${error instanceof Error ? error.message : String(error)})`;
  }
}
