// Every body shape of contract §10.1 becomes the right typed error with a readable message.
import { describe, expect, it } from 'vitest';
import { codeForStatus, createHttpError, createNetworkError, describeErrorBody } from '../../src/dify/error-translation.js';
import {
  DifyApiError,
  DifyAuthError,
  DifyConflictError,
  DifyNotFoundError,
  DifyRateLimitedError,
  DifyUnavailableError,
  DraftConflictError,
} from '../../src/dify/errors.js';
import { DifyGitopsError } from '../../src/errors.js';
import { Redactor } from '../../src/secrets/redactor.js';

function httpError(status: number, text: string, extra: { method?: string; endpoint?: string; retryAfterMs?: number } = {}, redactor = new Redactor()) {
  return createHttpError(
    { method: extra.method ?? 'POST', endpoint: extra.endpoint ?? '/console/api/apps/imports', status, text, attempts: 1, retryAfterMs: extra.retryAfterMs },
    redactor,
  );
}

describe('describeErrorBody', () => {
  it('reads {code,message,status}', () => {
    expect(describeErrorBody(400, '{"code":"invalid_param","message":"Invalid import_mode: x","status":400}')).toMatchObject({
      code: 'invalid_param',
      detail: 'Invalid import_mode: x',
    });
  });

  it('reads a restx abort body: `custom` as the code, else a code derived from the status', () => {
    expect(describeErrorBody(400, '{"message":"Cannot create more than 10 API keys for this resource type.","custom":"max_keys_exceeded"}')).toMatchObject({
      code: 'max_keys_exceeded',
      detail: 'Cannot create more than 10 API keys for this resource type.',
    });
    expect(describeErrorBody(404, '{"message":"API key not found"}')).toMatchObject({ code: 'not_found', detail: 'API key not found' });
    expect(describeErrorBody(400, '{"message":"Invalid JSON data"}')).toMatchObject({ code: 'bad_request', detail: 'Invalid JSON data' });
  });

  it('reads {"result":"fail"} bodies, with message or data', () => {
    expect(describeErrorBody(401, '{"result":"fail","message":"Invalid refresh token"}')).toMatchObject({
      code: 'unauthorized',
      detail: 'Invalid refresh token',
    });
    expect(describeErrorBody(401, '{"result":"fail","data":"Token expired"}')).toMatchObject({ detail: 'Token expired' });
  });

  it('does not show `data` when the body has a code (0.15 puts a reset token there)', () => {
    const info = describeErrorBody(200, '{"result":"fail","data":"reset-token-value","code":"account_not_found"}');
    expect(info.code).toBe('account_not_found');
    expect(info.detail).not.toContain('reset-token-value');
  });

  it('reads a failed Import body', () => {
    const body = '{"id":"i1","status":"failed","app_id":null,"error":"Invalid YAML format: boom","imported_dsl_version":""}';
    expect(describeErrorBody(400, body)).toMatchObject({ code: 'import_failed', detail: 'Invalid YAML format: boom' });
  });

  it('drops the restx "did you mean" suffix of 404 messages', () => {
    const body = JSON.stringify({
      code: 'not_found',
      message: 'The requested URL was not found on the server. You have requested this URI [/console/api/appz] but did you mean /console/api/apps ?',
      status: 404,
    });
    expect(describeErrorBody(404, body).detail).toBe('The requested URL was not found on the server.');
  });

  it('describes HTML, plain text, empty bodies and non-object JSON', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
    expect(describeErrorBody(502, html)).toEqual({ code: 'bad_gateway', detail: 'non-JSON response: 502 Bad Gateway', body: undefined });
    expect(describeErrorBody(500, '<p>oops <b>bad</b></p>').detail).toBe('non-JSON response: oops bad');
    expect(describeErrorBody(503, '')).toMatchObject({ code: 'service_unavailable', detail: 'empty response body' });
    expect(describeErrorBody(400, '"just a string"')).toMatchObject({ code: 'bad_request', detail: '"just a string"' });
    expect(describeErrorBody(400, '{}')).toMatchObject({ code: 'bad_request', detail: '{}' });
  });

  it('truncates long details', () => {
    const long = JSON.stringify({ code: 'invalid_param', message: 'x'.repeat(1000) });
    expect(describeErrorBody(400, long).detail.length).toBeLessThanOrEqual(301);
  });

  it('derives codes from status phrases', () => {
    expect(codeForStatus(415)).toBe('unsupported_media_type');
    expect(codeForStatus(429)).toBe('too_many_requests');
    expect(codeForStatus(599)).toBe('http_599');
  });
});

describe('createHttpError', () => {
  it('formats `METHOD /path → status code: message`', () => {
    const error = httpError(400, '{"code":"invalid_param","message":"Invalid import_mode: x","status":400}');
    expect(error).toBeInstanceOf(DifyApiError);
    expect(error).toBeInstanceOf(DifyGitopsError);
    expect(error.message).toBe('POST /console/api/apps/imports → 400 invalid_param: Invalid import_mode: x');
    expect(error).toMatchObject({ status: 400, code: 'invalid_param', method: 'POST', endpoint: '/console/api/apps/imports' });
  });

  it('picks the subclass by status and code', () => {
    expect(httpError(401, '{"code":"unauthorized","message":"Token has expired.","status":401}')).toBeInstanceOf(DifyAuthError);
    expect(httpError(403, '{"code":"forbidden","message":"no","status":403}')).toBeInstanceOf(DifyAuthError);
    expect(httpError(404, '{"code":"app_not_found","message":"App not found.","status":404}')).toBeInstanceOf(DifyNotFoundError);
    const draft = httpError(409, '{"code":"draft_workflow_not_sync","message":"Workflow graph might have been modified, please refresh and resubmit.","status":409}');
    expect(draft).toBeInstanceOf(DraftConflictError);
    expect(httpError(409, '{"code":"other","message":"x"}')).toBeInstanceOf(DifyConflictError);
    expect(httpError(409, '{"code":"other","message":"x"}')).not.toBeInstanceOf(DraftConflictError);
    expect(httpError(500, '{"message":"Internal Server Error","code":"unknown","status":500}')).toBeInstanceOf(DifyUnavailableError);
  });

  it('reports rate limits with Retry-After, including the service API concurrency limit sent as 400', () => {
    const limited = httpError(429, '{"code":"email_code_login_limit","message":"Too many incorrect password attempts."}', { retryAfterMs: 5000 });
    expect(limited).toBeInstanceOf(DifyRateLimitedError);
    expect((limited as DifyRateLimitedError).retryAfterMs).toBe(5000);
    const concurrency = httpError(400, '{"code":"invalid_param","message":"Too many requests. Please try again later. The current maximum concurrent requests allowed for a is 1.","status":400}');
    expect(concurrency).toBeInstanceOf(DifyRateLimitedError);
    expect(concurrency.code).toBe('invalid_param');
  });

  it('redacts secrets Dify echoes, in message and body', () => {
    const redactor = new Redactor();
    redactor.add('sk-canary-123456');
    const error = httpError(400, '{"code":"invalid_param","message":"Invalid API key sk-canary-123456 for provider","status":400}', {}, redactor);
    expect(error.message).not.toContain('sk-canary-123456');
    expect(error.message).toContain('***');
    expect(JSON.stringify(error.body)).not.toContain('sk-canary-123456');
  });
});

describe('createNetworkError', () => {
  it('names method, endpoint and timeout', () => {
    const error = createNetworkError(
      { method: 'GET', endpoint: '/console/api/apps', failure: { kind: 'timeout', errorCode: 'UND_ERR_HEADERS_TIMEOUT' }, attempts: 2, timeoutMs: 250, cause: new Error('x') },
      new Redactor(),
    );
    expect(error).toBeInstanceOf(DifyUnavailableError);
    expect(error.message).toBe('GET /console/api/apps → timeout: no response headers within the 250 ms timeout (2 attempts)');
    expect(error.reason).toBe('timeout');
    expect(error.status).toBeUndefined();
  });

  it('names the connection failure', () => {
    const error = createNetworkError(
      { method: 'POST', endpoint: '/v1/chat-messages', failure: { kind: 'connection', errorCode: 'UND_ERR_SOCKET' }, attempts: 1, timeoutMs: 1, cause: new Error('other side closed') },
      new Redactor(),
    );
    expect(error.message).toBe('POST /v1/chat-messages → connection_failed: UND_ERR_SOCKET (other side closed)');
    expect(error.reason).toBe('connection');
  });
});
