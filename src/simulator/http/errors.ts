// Every error body shape Dify sends (contract §10.1), as one throwable class plus constructors.
// Route handlers `throw difyError(...)` (or return a reply); the server turns an HttpError into
// the response, adding `WWW-Authenticate` to 401s that come from Dify's error handler.

export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : String(status);
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="api"' };

/** Shape 1 and 2: `{code, message, status}` (Dify exceptions and werkzeug HTTP errors). */
export function difyError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, { code, message, status }, status === 401 ? WWW_AUTHENTICATE : {});
}

/** Shape 3: ValueError / pydantic validation → 400 invalid_param. */
export function invalidParam(message: string): HttpError {
  return difyError(400, 'invalid_param', message);
}

/** Shape 5: flask-restx `abort(status, message=…, **extra)`: no `code`, no `status`. */
export function restxAbort(status: number, message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(status, { message, ...extra });
}

/** Shape 6: a hand-written JSON return (e.g. `{"message":"Invalid JSON data"}`, `{"result":"fail",…}`). */
export function rawError(status: number, body: Record<string, unknown>): HttpError {
  return new HttpError(status, body);
}

export function unauthorized(message: string): HttpError {
  return difyError(401, 'unauthorized', message);
}

export const FORBIDDEN_MESSAGE =
  "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.";

export function forbidden(message = FORBIDDEN_MESSAGE): HttpError {
  return difyError(403, 'forbidden', message);
}

export const NOT_FOUND_MESSAGE =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

export function notFound(message = NOT_FOUND_MESSAGE): HttpError {
  return difyError(404, 'not_found', message);
}

export function methodNotAllowed(): HttpError {
  return difyError(405, 'method_not_allowed', 'The method is not allowed for the requested URL.');
}

export function appNotFound(message = 'App not found.'): HttpError {
  return difyError(404, 'app_not_found', message);
}

export function badRequest(message: string): HttpError {
  return difyError(400, 'bad_request', message);
}

/** Shape 7: an empty or unparsable JSON body sent with a JSON content type. */
export function invalidJsonPayload(): HttpError {
  return badRequest('Invalid JSON payload received or JSON payload is empty.');
}

/** Shape 7: an endpoint that reads JSON got another content type. */
export function unsupportedMediaType(): HttpError {
  return difyError(
    415,
    'unsupported_media_type',
    "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.",
  );
}

/** Shape 8: anything unhandled. */
export function internalError(): HttpError {
  return new HttpError(500, { message: 'Internal Server Error', code: 'unknown', status: 500 });
}

/** A pydantic ValidationError as Dify reports it: 400 invalid_param with pydantic's multi-line text. */
export function validationError(model: string, field: string, message: string, type: string): HttpError {
  return invalidParam(`1 validation error for ${model}\n${field}\n  ${message} [type=${type}]`);
}
