// Digests of desired and live state, stored in the plan file so `apply --plan` can refuse when
// either side moved since the plan was made. Both hash canonical JSON (keys sorted at every level)
// of the comparable views (see comparable.ts), so export noise (key order, dependency order, UI fields) never makes a
// plan stale, while any semantic change does. Digests never cover secret values. Pure.

import { createHash } from 'node:crypto';
import type { DesiredApp } from '../config/types.js';
import type { LiveApp, PlannedSecret } from './types.js';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * Everything apply would act on for this app: the rendered DSL (its canonical comparable JSON),
 * secret effects, checks, target.
 */
export function desiredDigest(desired: DesiredApp, comparableJson: string, secrets: readonly PlannedSecret[]): string {
  return sha256(
    canonicalJson({
      app: desired.name,
      environment: desired.environment,
      mode: desired.source.mode,
      target: desired.target,
      dsl: comparableJson,
      secrets,
      healthChecks: desired.healthChecks.map((check) => ({ ...check, expect: { ...check.expect, schema: check.expect.schema?.schema } })),
    }),
  );
}

export const ABSENT_DIGEST = 'absent';

/** The live app: published version id and content, and the draft (canonical comparable JSON). */
export function liveDigest(live: LiveApp | undefined, views: { published: string | null; draft: string | null }): string {
  if (live === undefined) return ABSENT_DIGEST;
  return sha256(canonicalJson({ appId: live.appId, mode: live.mode, publishedWorkflowId: live.publishedWorkflowId, ...views }));
}
