// Checks that Dify's answers have the fields this client relies on, and nothing more: each shape
// is a JSON Schema listing only those fields, and extra fields always pass (Dify adds fields
// between releases). A mismatch becomes DifyUnexpectedResponseError naming endpoint and field.
// Validators are compiled lazily, once per client (no module-level Ajv instance).

import { Ajv, type ValidateFunction } from 'ajv';
import type { Redactor } from '../secrets/redactor.js';
import { createUnexpectedResponseError } from './error-translation.js';
import type { TransportResponse } from './transport.js';

/** A named JSON Schema whose valid instances are `T`. */
export interface Shape<T> {
  readonly name: string;
  readonly schema: Record<string, unknown>;
  /** Phantom: carries `T` for inference only. */
  readonly _type?: T;
}

export function defineShape<T>(name: string, schema: Record<string, unknown>): Shape<T> {
  return { name, schema };
}

export interface ShapeChecker {
  /** Parses the response body as JSON and checks it against `shape`. */
  parse<T>(response: TransportResponse, shape: Shape<T>): T;
  check<T>(value: unknown, shape: Shape<T>, where: { method: string; endpoint: string; status: number }): T;
}

export function createShapeChecker(redactor: Redactor): ShapeChecker {
  let ajv: Ajv | undefined;
  const compiled = new Map<Shape<unknown>, ValidateFunction>();

  function validatorFor(shape: Shape<unknown>): ValidateFunction {
    let validate = compiled.get(shape);
    if (validate === undefined) {
      // No meta-schema check: compiling the meta-schema costs more than all the shapes together
      // (~30 ms in a fresh process, on the path of the first request), and the shapes are built
      // from the fragments below, which are valid by construction.
      ajv ??= new Ajv({ allErrors: false, strict: false, validateSchema: false });
      validate = ajv.compile(shape.schema);
      compiled.set(shape, validate);
    }
    return validate;
  }

  function check<T>(value: unknown, shape: Shape<T>, where: { method: string; endpoint: string; status: number }): T {
    const validate = validatorFor(shape);
    if (validate(value)) return value as T;
    const first = validate.errors?.[0];
    const at = first === undefined || first.instancePath === '' ? 'body' : `body${first.instancePath.replace(/\//g, '.')}`;
    throw createUnexpectedResponseError(
      { ...where, problem: `unexpected ${shape.name} shape: ${at} ${first?.message ?? 'is invalid'}` },
      redactor,
    );
  }

  return {
    check,
    parse(response, shape) {
      let value: unknown;
      try {
        value = JSON.parse(response.text);
      } catch {
        const snippet = response.text.trim().slice(0, 80);
        throw createUnexpectedResponseError(
          {
            method: response.method,
            endpoint: response.endpoint,
            status: response.status,
            attempts: response.attempts,
            problem: snippet === '' ? 'expected JSON, got an empty body' : `expected JSON, got: ${snippet}`,
          },
          redactor,
        );
      }
      return check(value, shape, response);
    },
  };
}

// Schema building blocks (JSON Schema fragments).
export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const bool = { type: 'boolean' } as const;
export const nullable = (schema: Record<string, unknown>): Record<string, unknown> => ({ anyOf: [schema, { type: 'null' }] });
export function obj(required: Record<string, unknown>, optional: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'object', required: Object.keys(required), properties: { ...optional, ...required } };
}
export const arrayOf = (items: Record<string, unknown>): Record<string, unknown> => ({ type: 'array', items });
