// Refuses credentials written into git. Any field whose name says "password", "secret", "token",
// "api key", "private key" or "credential" and that holds a plain value (rather than `…Env`/`…From`
// references or a source object) is reported, without ever repeating the value.

import type { Diagnostic } from '../diagnostics.js';
import { segmentsToPointer, type PathSegment } from './field-path.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

const SECRET_NAME = /(password|passwd|passphrase|secret|token|apikey|privatekey|credential|credentials)$/;

/** Where a literal was found; `value` is returned so the caller can register it for redaction. */
export interface LiteralSecret {
  segments: PathSegment[];
  value: string;
}

/** Fields whose values are test data or free text, not configuration. */
function isExempt(segments: readonly PathSegment[]): boolean {
  const last = segments[segments.length - 1];
  return segments.includes('inputs') || last === 'description' || last === 'reason' || last === 'query';
}

export function findLiteralSecrets(value: unknown, segments: PathSegment[] = []): LiteralSecret[] {
  if (isExempt(segments)) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findLiteralSecrets(item, [...segments, index]));
  if (value === null || typeof value !== 'object') return [];
  const found: LiteralSecret[] = [];
  for (const [key, item] of Object.entries(value)) {
    const path = [...segments, key];
    // Strings only: `MAX_TOKEN: 100` is a limit, not a credential.
    if (typeof item === 'string' && item !== '' && looksLikeSecretName(key) && !isExempt(path)) {
      found.push({ segments: path, value: item });
    } else {
      found.push(...findLiteralSecrets(item, path));
    }
  }
  return found;
}

export function looksLikeSecretName(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[^a-z]/g, '');
  if (normalised.endsWith('env') || normalised.endsWith('from')) return false;
  return SECRET_NAME.test(normalised);
}

export function literalSecretDiagnostics(found: readonly LiteralSecret[], source: YamlSource): Diagnostic[] {
  return found.map((f) => {
    const key = String(f.segments[f.segments.length - 1]);
    return diagnosticAt(source, f.segments, 'error', 'literal-secret', `looks like a literal credential; ${advice(key, f.segments)}`, {
      key: true,
    });
  });
}

/** JSON pointers of the findings, so the schema pass does not report them a second time. */
export function literalSecretPointers(found: readonly LiteralSecret[]): Set<string> {
  return new Set(found.map((f) => segmentsToPointer(f.segments)));
}

function advice(key: string, segments: readonly PathSegment[]): string {
  if (segments.includes('auth')) {
    const base = /key/i.test(key) ? 'adminApiKey' : /pass/i.test(key) ? 'password' : key;
    return `secrets must not be in git: write \`${base}Env: <ENV_VAR_NAME>\` or \`${base}From: { env | file | command }\` instead`;
  }
  if (segments.includes('secrets')) {
    return 'secrets must not be in git: bind it to a source, e.g. `{ env: <ENV_VAR_NAME> }`, `{ file: <path> }`, `{ command: [...] }` or `{ keepLive: true }`';
  }
  if (segments.includes('envVars')) {
    return 'secrets must not be in git: declare the variable as `secret` in the DSL and bind it under `secrets:`';
  }
  return 'secrets must not be in git: read it from an environment variable instead';
}
