// Typed errors for everything that goes wrong talking to Dify. Foreign errors (undici, JSON,
// schema) are translated into these at the client's edge; nothing else in dify-gitops sees an
// undici error. `code` is Dify's own error code (`invalid_param`, `app_not_found`, …), its
// restx `custom` field, or one derived from the HTTP status or the failure (table in
// docs/dify-client.md). Messages read `POST /console/api/apps/imports → 400 invalid_param: …`
// and are redacted before construction, so no secret reaches a message even when Dify echoes it.

import { DifyGitopsError } from '../errors.js';

export interface DifyApiErrorInit {
  method: string;
  /** Path without query string (queries may carry secrets). */
  endpoint: string;
  /** HTTP status, or undefined when no response arrived (timeout, connection failure). */
  status: number | undefined;
  code: string;
  /** Dify's message (redacted), without the method/endpoint prefix. */
  detail: string;
  /** Attempts made, retries included. */
  attempts?: number;
  /** The parsed response body, redacted; undefined for empty or non-JSON bodies. */
  body?: unknown;
  cause?: unknown;
}

export class DifyApiError extends DifyGitopsError {
  readonly status: number | undefined;
  readonly method: string;
  readonly endpoint: string;
  readonly detail: string;
  readonly attempts: number;
  readonly body: unknown;

  constructor(init: DifyApiErrorInit, message = formatMessage(init)) {
    super(init.code, message, init.cause === undefined ? {} : { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.endpoint = init.endpoint;
    this.detail = init.detail;
    this.attempts = init.attempts ?? 1;
    this.body = init.body;
  }
}

/** 401/403, and a login Dify answered with `{"result":"fail"}`. */
export class DifyAuthError extends DifyApiError {}

/** 404: the app, draft, version, key … does not exist. */
export class DifyNotFoundError extends DifyApiError {}

/** 409. */
export class DifyConflictError extends DifyApiError {}

/** 409 `draft_workflow_not_sync`: the draft changed since its hash was read. Re-read and retry. */
export class DraftConflictError extends DifyConflictError {}

/** 429, or the service API's concurrency limit reported as 400 (contract §10.2). */
export class DifyRateLimitedError extends DifyApiError {
  readonly retryAfterMs: number | undefined;

  constructor(init: DifyApiErrorInit & { retryAfterMs?: number | undefined }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

export type UnavailableReason = 'timeout' | 'connection' | 'server-error';

/** Dify did not answer usefully: a timeout, a connection failure or a 5xx, after every retry. */
export class DifyUnavailableError extends DifyApiError {
  readonly reason: UnavailableReason;

  constructor(init: DifyApiErrorInit & { reason: UnavailableReason }, message?: string) {
    super(init, message ?? formatMessage(init));
    this.reason = init.reason;
  }
}

/** A 2xx answer the client cannot use: not JSON, or missing fields the client relies on. */
export class DifyUnexpectedResponseError extends DifyApiError {}

/** An `error` event inside an SSE stream (contract §8.4): the run failed after streaming began. */
export class DifyStreamError extends DifyApiError {}

/** A feature or auth mode this Dify version does not have (e.g. restore before 1.13.3). */
export class DifyUnsupportedError extends DifyGitopsError {
  readonly serverVersion: string;

  constructor(message: string, serverVersion: string) {
    super('E_DIFY_UNSUPPORTED', message);
    this.serverVersion = serverVersion;
  }
}

/** `METHOD /path → 404 app_not_found: App not found. (3 attempts)` */
export function formatMessage(init: DifyApiErrorInit): string {
  const status = init.status === undefined ? '' : `${init.status} `;
  const attempts = (init.attempts ?? 1) > 1 ? ` (${init.attempts} attempts)` : '';
  return `${init.method} ${init.endpoint} → ${status}${init.code}: ${init.detail}${attempts}`;
}

/** An import or confirm that Dify answered with status `failed`; `result` is the Import body. */
export class DifyImportFailedError extends DifyApiError {
  readonly result: { id: string; status: string; app_id: string | null; error: string };

  constructor(init: DifyApiErrorInit & { result: DifyImportFailedError['result'] }) {
    super(init);
    this.result = init.result;
  }
}
