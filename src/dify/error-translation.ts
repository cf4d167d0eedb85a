// Turns what came back from Dify into a typed error: every body shape of contract §10.1
// ({code,message,status}; restx abort bodies with only `message` and maybe `custom`;
// `{"result":"fail",…}`; `{"message":"Invalid JSON data"}`; HTML and empty bodies), plus
// network failures and unusable 2xx answers. Pure: takes the redactor as data, returns errors.

import { STATUS_CODES } from 'node:http';
import type { Redactor } from '../secrets/redactor.js';
import {
  DifyApiError,
  DifyAuthError,
  DifyConflictError,
  DifyNotFoundError,
  DifyRateLimitedError,
  DifyUnavailableError,
  DifyUnexpectedResponseError,
  DraftConflictError,
  type DifyApiErrorInit,
} from './errors.js';
import type { AttemptFailure } from './retry.js';

export interface ErrorBodyInfo {
  code: string;
  detail: string;
  /** Parsed JSON body, if it was JSON. */
  body: unknown;
}

const IMPORT_STATUSES = new Set(['completed', 'completed-with-warnings', 'pending', 'failed']);
/** flask-restx appends a route suggestion to some 404 messages (contract §10.1 item 9). */
const DID_YOU_MEAN = ' You have requested this URI';
const MAX_DETAIL = 300;

/** The code for a status when the body names none: `Bad Request` → `bad_request`. */
export function codeForStatus(status: number): string {
  const phrase = STATUS_CODES[status];
  if (phrase === undefined) return `http_${status}`;
  return phrase.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export function describeErrorBody(status: number, text: string): ErrorBodyInfo {
  const trimmed = text.trim();
  if (trimmed === '') return { code: codeForStatus(status), detail: 'empty response body', body: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { code: codeForStatus(status), detail: describeNonJson(trimmed), body: undefined };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { code: codeForStatus(status), detail: truncate(trimmed), body: parsed };
  }
  const record = parsed as Record<string, unknown>;
  return { code: codeOf(record, status), detail: truncate(detailOf(record, trimmed)), body: parsed };
}

function codeOf(body: Record<string, unknown>, status: number): string {
  if (isText(body.code)) return body.code;
  if (isText(body.custom)) return body.custom;
  if (isImportBody(body)) return 'import_failed';
  return codeForStatus(status);
}

function detailOf(body: Record<string, unknown>, raw: string): string {
  if (isText(body.message)) return stripSuggestion(body.message);
  if (isImportBody(body) && isText(body.error)) return body.error;
  // `{"result":"fail","data":"<text>"}`; 0.15's account_not_found puts a reset token in `data`, so
  // `data` is only used when the body has no code.
  if (body.result === 'fail' && isText(body.data) && !isText(body.code)) return body.data;
  if (isText(body.error)) return body.error;
  if (isText(body.code)) return body.code;
  return raw;
}

export function isImportBody(body: Record<string, unknown>): boolean {
  return typeof body.status === 'string' && IMPORT_STATUSES.has(body.status) && 'id' in body;
}

function describeNonJson(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return `non-JSON response: ${truncate(plain === '' ? 'markup only' : plain)}`;
}

function stripSuggestion(message: string): string {
  const at = message.indexOf(DID_YOU_MEAN);
  return at > 0 ? message.slice(0, at).trimEnd() : message;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export interface HttpErrorInput {
  method: string;
  endpoint: string;
  status: number;
  text: string;
  attempts: number;
  /** Parsed Retry-After, when the response had one. */
  retryAfterMs?: number | undefined;
}

/** The typed error for a non-2xx response. */
export function createHttpError(input: HttpErrorInput, redactor: Redactor): DifyApiError {
  const info = describeErrorBody(input.status, input.text);
  const init: DifyApiErrorInit = {
    method: input.method,
    endpoint: input.endpoint,
    status: input.status,
    code: redactor.redact(info.code),
    detail: redactor.redact(info.detail),
    attempts: input.attempts,
    body: redactor.redactDeep(info.body),
  };
  const { status } = input;
  if (status === 401 || status === 403) return new DifyAuthError(init);
  if (status === 404) return new DifyNotFoundError(init);
  if (status === 409) {
    return info.code === 'draft_workflow_not_sync' ? new DraftConflictError(init) : new DifyConflictError(init);
  }
  if (status === 429 || (status === 400 && info.detail.startsWith('Too many requests'))) {
    return new DifyRateLimitedError({ ...init, retryAfterMs: input.retryAfterMs });
  }
  if (status >= 500) return new DifyUnavailableError({ ...init, reason: 'server-error' });
  return new DifyApiError(init);
}

export interface NetworkErrorInput {
  method: string;
  endpoint: string;
  failure: Exclude<AttemptFailure, { kind: 'status' }>;
  attempts: number;
  timeoutMs: number;
  cause: unknown;
}

/** The typed error for a request that got no usable response (timeout, refused, reset). */
export function createNetworkError(input: NetworkErrorInput, redactor: Redactor): DifyUnavailableError {
  const { failure } = input;
  const causeText = input.cause instanceof Error ? input.cause.message : String(input.cause);
  const timeout = failure.kind === 'timeout';
  let detail: string;
  if (failure.errorCode === 'UND_ERR_HEADERS_TIMEOUT') {
    detail = `no response headers within the ${input.timeoutMs} ms timeout`;
  } else if (failure.errorCode === 'UND_ERR_BODY_TIMEOUT') {
    detail = `response body stalled for longer than the ${input.timeoutMs} ms timeout`;
  } else {
    detail = `${failure.errorCode} (${causeText})`;
  }
  return new DifyUnavailableError({
    method: input.method,
    endpoint: input.endpoint,
    status: undefined,
    code: timeout ? 'timeout' : 'connection_failed',
    detail: redactor.redact(detail),
    attempts: input.attempts,
    cause: input.cause,
    reason: timeout ? 'timeout' : 'connection',
  });
}

/** A 2xx answer that is not what the client needs (not JSON, or the wrong shape). */
export function createUnexpectedResponseError(
  input: { method: string; endpoint: string; status: number; problem: string; attempts?: number },
  redactor: Redactor,
): DifyUnexpectedResponseError {
  return new DifyUnexpectedResponseError({
    method: input.method,
    endpoint: input.endpoint,
    status: input.status,
    code: 'unexpected_response',
    detail: redactor.redact(input.problem),
    attempts: input.attempts ?? 1,
  });
}
