// `preview` for one dev environment and pull request: make sure both tags exist, find the
// previews an earlier push made (by the `pr-<n>` tag and exact name), then create or update one
// preview per selected app, in parallel up to the concurrency. One app's failure never stops
// the others; it is reported with the app.

import pLimit, { type LimitFunction } from 'p-limit';
import type { DesiredApp } from '../config/types.js';
import type { DifyClient } from '../dify/index.js';
import type { SecretSourceContext } from '../secrets/sources.js';
import { ensurePreview } from './ensure-preview.js';
import { previewName, prTag } from './naming.js';
import { ensureTag } from './preview-tags.js';
import { PREVIEW_TAG, type PreviewAppResult } from './types.js';

export interface RunPreviewsInput {
  client: DifyClient;
  environment: string;
  apps: readonly DesiredApp[];
  pr: number;
  secrets: 'none' | 'bind';
  stateDir: string;
  secretContext: SecretSourceContext;
  concurrency: number;
  healthLimit?: LimitFunction;
}

export async function runPreviews(input: RunPreviewsInput): Promise<PreviewAppResult[]> {
  if (input.apps.length === 0) return [];
  const { client } = input;
  const tagIds = [await ensureTag(client, PREVIEW_TAG), await ensureTag(client, prTag(input.pr))];
  const existing = await client.apps.list({ tagIds: [tagIds[1]!] });
  const limit = pLimit(input.concurrency);
  const deps = { client, stateDir: input.stateDir, environment: input.environment, secretContext: input.secretContext, healthLimit: input.healthLimit ?? pLimit(Math.max(2, input.concurrency * 2)), secrets: input.secrets };
  return Promise.all(
    input.apps.map((desired) =>
      limit(() => {
        const name = previewName(desired.name, input.pr);
        const found = existing.find((a) => a.name === name && (a.tags ?? []).some((t) => t.name === PREVIEW_TAG));
        return ensurePreview(deps, { desired, pr: input.pr, existing: found, tagIds });
      }),
    ),
  );
}
