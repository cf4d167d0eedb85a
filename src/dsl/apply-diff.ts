// Replays a DslDiff on the old normalised document: applyDiff(old, diffDsl(old, new)) equals new.
// It proves the diff complete (nothing a reviewer saw is missing, nothing is invented) and lets a
// plan be checked against the document it was made from. Pure: the input is not modified.

import { DifyGitopsError } from '../errors.js';
import type { DslDiff, FieldChange } from './diff-types.js';
import { keyFnAt, sortKeyFnAt, uniqueKeys } from './keyed-lists.js';
import type { NormalizedDsl } from './normalize-dsl.js';
import { compareKeys } from './normalize-graph.js';
import { isRecord, toPointer, type JsonPath } from './types.js';

/** The diff does not fit the document it is applied to (it was made from another one). */
export class DiffApplyError extends DifyGitopsError {
  constructor(message: string) {
    super('E_DIFF_APPLY', message);
  }
}

export function applyDiff(old: NormalizedDsl, diff: DslDiff): NormalizedDsl {
  const doc = structuredClone(old) as Record<string, unknown>;
  for (const change of diff.changes) for (const field of change.fields) applyField(doc, field);
  return doc as NormalizedDsl;
}

function applyField(doc: Record<string, unknown>, field: FieldChange): void {
  const parentPath = field.path.slice(0, -1);
  const last = field.path[field.path.length - 1];
  if (last === undefined) throw new DiffApplyError('a change without a path');
  const parent = resolve(doc, parentPath);
  if (Array.isArray(parent)) {
    applyToList(parent, parentPath, last, field);
  } else if (isRecord(parent)) {
    const key = String(last);
    if (field.op === 'remove') delete parent[key];
    else Object.defineProperty(parent, key, { value: structuredClone(field.after), enumerable: true, writable: true, configurable: true });
  } else {
    throw new DiffApplyError(`${toPointer(parentPath)} is not an object or list`);
  }
}

function applyToList(list: unknown[], listPath: JsonPath, segment: string | number, field: FieldChange): void {
  const keyFn = keyFnAt(listPath);
  if (!keyFn) {
    const index = Number(segment);
    if (field.op === 'add') list.splice(index, 0, structuredClone(field.after));
    else if (field.op === 'remove') list.splice(index, 1);
    else list[index] = structuredClone(field.after);
    return;
  }
  const keys = uniqueKeys(list, keyFn);
  const index = keys.indexOf(String(segment));
  if (field.op === 'add') {
    // Insert where the normalised order puts it, so the result is normalised too.
    const sortKey = sortKeyFnAt(listPath) ?? keyFn;
    const value = structuredClone(field.after);
    const own = sortKey(value);
    const at = list.findIndex((item) => compareKeys(sortKey(item), own) > 0);
    list.splice(at === -1 ? list.length : at, 0, value);
    return;
  }
  if (index === -1) throw new DiffApplyError(`${field.pointer}: no element with key '${String(segment)}'`);
  if (field.op === 'remove') list.splice(index, 1);
  else list[index] = structuredClone(field.after);
}

function resolve(doc: unknown, path: JsonPath): unknown {
  let cur = doc;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (Array.isArray(cur)) {
      const keyFn = keyFnAt(path.slice(0, i));
      const index = keyFn ? uniqueKeys(cur, keyFn).indexOf(String(seg)) : Number(seg);
      cur = cur[index];
    } else if (isRecord(cur)) {
      cur = cur[String(seg)];
    } else {
      throw new DiffApplyError(`${toPointer(path.slice(0, i + 1))} does not exist`);
    }
  }
  return cur;
}
