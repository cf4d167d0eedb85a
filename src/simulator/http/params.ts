// Typed reads of JSON bodies and query strings with pydantic-style 400s (contract §10.1 item 3):
// the handlers say what they expect and get Dify's invalid_param text when it is missing or wrong.

import { validationError } from './errors.js';

export function optionalString(model: string, body: Record<string, unknown>, field: string, maxLength?: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(model, field, 'Input should be a valid string', 'string_type');
  if (maxLength !== undefined && [...value].length > maxLength) {
    throw validationError(model, field, `String should have at most ${maxLength} characters`, 'string_too_long');
  }
  return value;
}

export function requiredString(model: string, body: Record<string, unknown>, field: string, options: { minLength?: number; maxLength?: number } = {}): string {
  if (body[field] === undefined) throw validationError(model, field, 'Field required', 'missing');
  const value = optionalString(model, body, field, options.maxLength);
  if (value === undefined) throw validationError(model, field, 'Input should be a valid string', 'string_type');
  if (options.minLength !== undefined && [...value].length < options.minLength) {
    throw validationError(model, field, `String should have at least ${options.minLength} character`, 'string_too_short');
  }
  return value;
}

export function requiredBool(model: string, body: Record<string, unknown>, field: string): boolean {
  const value = body[field];
  if (value === undefined) throw validationError(model, field, 'Field required', 'missing');
  const parsed = parseBool(value);
  if (parsed === undefined) throw validationError(model, field, 'Input should be a valid boolean', 'bool_type');
  return parsed;
}

export function optionalBool(model: string, body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const parsed = parseBool(value);
  if (parsed === undefined) throw validationError(model, field, 'Input should be a valid boolean', 'bool_type');
  return parsed;
}

export function optionalEnum<T extends string>(model: string, body: Record<string, unknown>, field: string, allowed: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw validationError(model, field, `Input should be ${allowed.map((a) => `'${a}'`).join(', ')}`, 'enum');
  }
  return value as T;
}

/** pydantic's lax bool: true/false, 0/1 and the strings 1/0/true/false/yes/no/on/off/t/f/y/n. */
export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', 't', 'y'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', 'f', 'n'].includes(v)) return false;
  return undefined;
}

/** An integer query parameter within bounds (pydantic `int = Field(ge, le)`). */
export function queryInt(model: string, query: URLSearchParams, field: string, fallback: number, min: number, max: number): number {
  const raw = query.get(field);
  if (raw === null) return fallback;
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) {
    throw validationError(model, field, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing');
  }
  const n = Number(raw);
  if (n < min) throw validationError(model, field, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
  if (n > max) throw validationError(model, field, `Input should be less than or equal to ${max}`, 'less_than_equal');
  return n;
}

export function queryBool(model: string, query: URLSearchParams, field: string): boolean | undefined {
  const raw = query.get(field);
  if (raw === null) return undefined;
  const parsed = parseBool(raw);
  if (parsed === undefined) throw validationError(model, field, 'Input should be a valid boolean, unable to interpret input', 'bool_parsing');
  return parsed;
}
