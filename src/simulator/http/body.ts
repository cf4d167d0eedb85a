// Request bodies the way Flask reads them for Dify (contract §10.1 items 6–7, §6.2):
// 'json'          — Flask get_json(): a non-JSON Content-Type is 415; empty or invalid JSON is 400 bad_request.
// 'json-or-text'  — the draft-sync endpoint: application/json or text/plain (navigator.sendBeacon);
//                   an unparsable body of either kind is 400 {"message":"Invalid JSON data"}; anything else 415.

import type { BodyMode } from './route.js';
import { invalidJsonPayload, invalidParam, rawError, unsupportedMediaType } from './errors.js';

export function parseBody(mode: BodyMode, contentType: string | undefined, raw: Buffer): unknown {
  if (mode === 'none') return undefined;
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mode === 'json-or-text') {
    // Dify checks substrings of the header, not the parsed mimetype.
    const header = (contentType ?? '').toLowerCase();
    // get_json(silent=True): anything unparsable reaches the handler, which answers Invalid JSON data.
    if (header.includes('application/json')) return parseJsonSilent(raw);
    if (header.includes('text/plain')) {
      try {
        return JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        throw rawError(400, { message: 'Invalid JSON data' });
      }
    }
    throw unsupportedMediaType();
  }
  if (!isJsonMime(mime)) throw unsupportedMediaType();
  return parseJsonStrict(raw);
}

/** Flask's `request.is_json`: application/json or application/*+json. */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

function parseJsonSilent(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonStrict(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw invalidJsonPayload();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJsonPayload();
  }
}

/** The body as a JSON object (undefined for 'none' routes becomes {}); a non-object is pydantic's 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw invalidParam('1 validation error for payload\n  Input should be a valid dictionary [type=dict_type]');
}
