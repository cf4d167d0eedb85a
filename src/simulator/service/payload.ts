// Service API request bodies as Dify's pydantic models read them (ChatRequestPayload,
// CompletionRequestPayload, WorkflowRunPayload), with pydantic-style 400 messages.

import { validationError } from '../http/errors.js';
import { isRecord } from '../engine/variable-pool.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function readInputs(model: string, body: Record<string, unknown>): Record<string, unknown> {
  if (body.inputs === undefined) throw validationError(model, 'inputs', 'Field required', 'missing');
  if (!isRecord(body.inputs)) throw validationError(model, 'inputs', 'Input should be a valid dictionary', 'dict_type');
  return body.inputs;
}

export function readStreaming(model: string, body: Record<string, unknown>): boolean {
  const mode = body.response_mode;
  if (mode === undefined || mode === null) return false;
  if (mode !== 'blocking' && mode !== 'streaming') {
    throw validationError(model, 'response_mode', "Input should be 'blocking' or 'streaming'", 'literal_error');
  }
  return mode === 'streaming';
}

export function readQuery(model: string, body: Record<string, unknown>, required: boolean): string {
  if (body.query === undefined) {
    if (required) throw validationError(model, 'query', 'Field required', 'missing');
    return '';
  }
  if (typeof body.query !== 'string') throw validationError(model, 'query', 'Input should be a valid string', 'string_type');
  return body.query;
}

/** `conversation_id`: absent, null or '' starts a new conversation; otherwise it must be a UUID. */
export function readConversationId(body: Record<string, unknown>): string | null {
  const value = body.conversation_id;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
  if (typeof value !== 'string' || !isUuid(value.trim())) {
    throw validationError('ChatRequestPayload', 'conversation_id', 'Value error, conversation_id must be a valid UUID', 'value_error');
  }
  return canonicalUuid(value.trim());
}

/** Python's str(uuid.UUID(x)): lower case with hyphens. */
export function canonicalUuid(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
