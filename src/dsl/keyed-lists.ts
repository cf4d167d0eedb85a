// The lists of a DSL document whose elements have an identity of their own: nodes (by id), edges
// (by source, handle and target), variables (by name) and dependencies (by plugin id). The diff
// matches their elements by key instead of by position, and addresses them by key in paths.

import { isRecord, type JsonPath } from './types.js';

export type KeyFn = (item: unknown) => string;

const byId: KeyFn = (item) => (isRecord(item) ? String(item.id) : JSON.stringify(item));
const byName: KeyFn = (item) => (isRecord(item) ? String(item.name) : JSON.stringify(item));

/** Plugin id of a dependency: `langgenius/openai` from `langgenius/openai:0.2.6@<sha256>`. */
export const dependencyKey: KeyFn = (item) => {
  const value = isRecord(item) && isRecord(item.value) ? item.value : {};
  const identifier =
    value.marketplace_plugin_unique_identifier ?? value.plugin_unique_identifier ?? value.github_plugin_unique_identifier;
  if (typeof identifier === 'string' && identifier !== '') return identifier.split(/[:@]/)[0] ?? identifier;
  if (typeof value.repo === 'string') return `${value.repo}${typeof value.package === 'string' ? `/${value.package}` : ''}`;
  return JSON.stringify(item);
};

/** Dependencies sort by plugin id, then by their whole (key-sorted) content. */
export const dependencySortKey: KeyFn = (item) => `${dependencyKey(item)}\u0000${JSON.stringify(item)}`;

interface KeyedList {
  path: JsonPath;
  /** Identity of an element (made unique with uniqueKeys). */
  key: KeyFn;
  /** Order of elements in the normalised document. */
  sortKey: KeyFn;
}

const KEYED: KeyedList[] = [
  { path: ['workflow', 'graph', 'nodes'], key: byId, sortKey: byId },
  { path: ['workflow', 'graph', 'edges'], key: byId, sortKey: byId },
  { path: ['workflow', 'environment_variables'], key: byName, sortKey: byName },
  { path: ['workflow', 'conversation_variables'], key: byName, sortKey: byName },
  { path: ['dependencies'], key: dependencyKey, sortKey: dependencySortKey },
];

function keyedAt(path: JsonPath): KeyedList | undefined {
  return KEYED.find((k) => k.path.length === path.length && k.path.every((s, i) => s === path[i]));
}

/** The key function of the keyed list at `path`, if that list is keyed. */
export function keyFnAt(path: JsonPath): KeyFn | undefined {
  return keyedAt(path)?.key;
}

/** The sort key function of the keyed list at `path`, if that list is keyed. */
export function sortKeyFnAt(path: JsonPath): KeyFn | undefined {
  return keyedAt(path)?.sortKey;
}

/** Unique keys for a list's elements: a repeated key gets `#2`, `#3`… in order of appearance. */
export function uniqueKeys(items: readonly unknown[], key: KeyFn): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = key(item);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export const KEYED_LIST_PATHS: readonly JsonPath[] = KEYED.map((k) => k.path);
