// `preview --cleanup`: delete the preview apps of one pull request (when it is closed), or every
// preview older than an age (a scheduled clean-up). A preview is an app tagged
// `dify-gitops-preview` whose name ends in `[pr-<n>]`; both must hold, so a person's app that
// merely borrowed the tag is never deleted. The key files health checks remembered go with it.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSummary, DifyClient } from '../dify/index.js';
import { safeSegment } from '../state/state-dir.js';
import { prTag } from './naming.js';
import { findTag } from './preview-tags.js';
import { PREVIEW_TAG, type CleanupResult } from './types.js';

export interface CleanupInput {
  client: DifyClient;
  environment: string;
  stateDir: string;
  /** Delete this pull request's previews. */
  pr?: number | undefined;
  /** Delete previews created longer ago than this. */
  olderThanMs?: number | undefined;
  now: () => Date;
}

const PREVIEW_NAME = /\[pr-(\d+)\]$/;

export async function cleanupPreviews(input: CleanupInput): Promise<CleanupResult> {
  const { client } = input;
  const tagId = await findTag(client, PREVIEW_TAG);
  if (tagId === undefined) return { environment: input.environment, deleted: [] };
  const previews = (await client.apps.list({ tagIds: [tagId] })).filter((a) => isPreview(a));
  const cutoff = input.olderThanMs === undefined ? undefined : input.now().getTime() - input.olderThanMs;
  const doomed = previews.filter((a) => {
    if (input.pr !== undefined && !(a.tags ?? []).some((t) => t.name === prTag(input.pr!))) return false;
    if (cutoff !== undefined && a.created_at * 1000 > cutoff) return false;
    return true;
  });
  const deleted: CleanupResult['deleted'] = [];
  for (const app of doomed) {
    await client.apps.delete(app.id);
    await rm(join(input.stateDir, 'keys', safeSegment(input.environment), `${safeSegment(app.id)}.json`), { force: true });
    deleted.push({ appId: app.id, name: app.name, createdAt: app.created_at });
  }
  if (input.pr !== undefined) {
    const prTagId = await findTag(client, prTag(input.pr));
    if (prTagId !== undefined) await client.tags.delete(prTagId);
  }
  return { environment: input.environment, deleted };
}

function isPreview(app: AppSummary): boolean {
  return (app.tags ?? []).some((t) => t.name === PREVIEW_TAG) && PREVIEW_NAME.test(app.name);
}
