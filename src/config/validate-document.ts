// One user-written YAML file through the generic checks: parse (hardened), literal-credential scan,
// then the JSON Schema. Returns the typed value only when all of them pass, and every problem of
// the file either way.

import type { ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { findLiteralSecrets, literalSecretDiagnostics, literalSecretPointers } from './literal-secrets.js';
import { translateSchemaErrors } from './schema-diagnostics.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export type ValidatedDocument<T> =
  | { ok: true; value: T; source: YamlSource; diagnostics: Diagnostic[]; literalSecrets: string[] }
  | { ok: false; source: YamlSource | undefined; diagnostics: Diagnostic[]; literalSecrets: string[] };

export function validateDocument<T>(text: string, file: string, validate: ValidateFunction): ValidatedDocument<T> {
  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) return { ok: false, source: undefined, diagnostics: parsed.diagnostics, literalSecrets: [] };
  const { source, value } = parsed;

  const literals = findLiteralSecrets(value);
  const diagnostics = [...parsed.diagnostics, ...literalSecretDiagnostics(literals, source)];
  if (!validate(value)) {
    diagnostics.push(...translateSchemaErrors(validate.errors ?? [], source, literalSecretPointers(literals)));
  }
  const literalSecrets = literals.map((l) => l.value);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, source, diagnostics, literalSecrets };
  return { ok: true, value: value as T, source, diagnostics, literalSecrets };
}
