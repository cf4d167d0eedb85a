// Apps that dify-gitops created (`target: { create: true }`), remembered by id in the state
// directory so later plans find them: `apps/<environment>/<app>.json` holds the Dify app id (one
// file per app, so parallel creates never race on a shared file). Losing these files is safe:
// plan then looks the app up by its exact name (and says so).

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.js';
import { safeSegment } from '../state/state-dir.js';

/** App name → app id. */
export type AppRegistry = Record<string, string>;

export async function loadAppRegistry(stateDir: string, environment: string): Promise<AppRegistry> {
  const dir = join(stateDir, 'apps', safeSegment(environment));
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const registry: AppRegistry = {};
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const value = JSON.parse(await readFile(join(dir, file), 'utf8')) as { app?: unknown; appId?: unknown };
    if (typeof value.app === 'string' && typeof value.appId === 'string') registry[value.app] = value.appId;
  }
  return registry;
}

export async function rememberApp(stateDir: string, environment: string, app: string, appId: string | null): Promise<void> {
  const path = join(stateDir, 'apps', safeSegment(environment), `${safeSegment(app)}.json`);
  if (appId === null) await rm(path, { force: true });
  else await writeFileAtomic(path, `${JSON.stringify({ app, appId }, null, 2)}\n`);
}
