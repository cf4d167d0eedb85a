// The app API key health checks call the service API with. dify-gitops finds the key it made
// before (its id is remembered in the state directory, `keys/<environment>/<app id>.json`; the
// token itself is never stored or printed) or creates one. When the app already has Dify's
// maximum of 10 keys, the newest existing key is used instead. The client registers every token
// with the Redactor the moment it reads one.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DifyApiError, type DifyClient } from '../dify/index.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { safeSegment } from '../state/state-dir.js';

function keyFile(stateDir: string, environment: string, appId: string): string {
  return join(stateDir, 'keys', safeSegment(environment), `${safeSegment(appId)}.json`);
}

async function rememberedKeyId(path: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as { keyId?: unknown };
    return typeof value.keyId === 'string' ? value.keyId : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the token to use; never logs it. */
export async function ensureAppApiKey(client: DifyClient, stateDir: string, environment: string, appId: string): Promise<string> {
  const path = keyFile(stateDir, environment, appId);
  const remembered = await rememberedKeyId(path);
  const keys = await client.apiKeys.list(appId);
  const ours = keys.find((key) => key.id === remembered);
  if (ours) return ours.token;
  try {
    const created = await client.apiKeys.create(appId);
    await writeFileAtomic(path, `${JSON.stringify({ keyId: created.id, createdAt: new Date().toISOString() })}\n`);
    return created.token;
  } catch (error) {
    const newest = [...keys].sort((a, b) => b.created_at - a.created_at)[0];
    if (error instanceof DifyApiError && error.code === 'max_keys_exceeded' && newest) return newest.token;
    throw error;
  }
}
