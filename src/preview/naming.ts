// How preview apps are named and found: `<app> [pr-<n>]`, tagged `dify-gitops-preview` and
// `pr-<n>` (Dify tags, contract §11; tag names are 1–50 characters). Plus the age syntax of
// `--older-than` (7d, 12h, 30m). Pure.

import { UsageError } from '../errors.js';
import { PREVIEW_TAG } from './types.js';

export function previewName(app: string, pr: number): string {
  return `${app} [pr-${pr}]`;
}

export function prTag(pr: number): string {
  return `pr-${pr}`;
}

export function previewTags(pr: number): string[] {
  return [PREVIEW_TAG, prTag(pr)];
}

export function parsePullRequestNumber(value: string | number | undefined, flag = '--pr'): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a pull request number (a positive integer), not ${String(value)}`);
  return n;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `7d` → milliseconds. */
export function parseAge(value: string, flag = '--older-than'): number {
  const match = /^(\d+)\s*([mhdw])$/.exec(value.trim());
  if (match === null) throw new UsageError(`${flag} must be a number with a unit m, h, d or w (e.g. 7d), not ${JSON.stringify(value)}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}
