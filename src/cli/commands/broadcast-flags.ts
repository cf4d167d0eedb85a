// Flag parsing shared by `broadcast` and `run`: the request (--query / --inputs), --timeout as a
// duration, --concurrency, and the app selection (--apps / --all / --tag). Bad values are usage
// errors naming the flag. Pure.

import type { AppRequest, BroadcastSelection } from '../../broadcast/index.js';
import { UsageError } from '../../errors.js';

const DURATION = /^(?:[0-9]+(?:ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseRequest(options: { query?: string; inputs?: string; user?: string }): AppRequest {
  if (options.query === undefined && options.inputs === undefined) throw new UsageError('give --query, --inputs, or both');
  return {
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.inputs === undefined ? {} : { inputs: parseInputs(options.inputs) }),
    ...(options.user === undefined ? {} : { user: options.user }),
  };
}

export function parseInputs(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--inputs is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--inputs must be a JSON object, e.g. \'{"topic":"tides"}\'');
  return value as Record<string, unknown>;
}

/** `60s`, `1m30s`, `500ms`; a bare number is seconds. */
export function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const trimmed = text.trim();
  let ms = 0;
  if (/^[0-9]+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else if (DURATION.test(trimmed)) for (const m of trimmed.matchAll(/([0-9]+)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  else throw new UsageError(`--timeout must be a duration such as 60s, 1m30s or 500ms, not ${text}`);
  if (ms < 1 || ms > 3_600_000) throw new UsageError(`--timeout must be between 1ms and 1h, not ${text}`);
  return ms;
}

export function parseConcurrency(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--concurrency must be an integer from 1 to 256, not ${text}`);
  return n;
}

export function parseSelection(options: { apps?: string; all?: boolean; tag?: string }): BroadcastSelection {
  const given = [options.apps !== undefined, options.all === true, options.tag !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('choose the apps with exactly one of --apps a,b,c, --all or --tag <tag>');
  if (options.all === true) return { kind: 'all' };
  if (options.tag !== undefined) return { kind: 'tag', tag: options.tag };
  const apps = [...new Set((options.apps ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''))];
  if (apps.length === 0) throw new UsageError('--apps needs at least one app name');
  return { kind: 'apps', apps };
}
