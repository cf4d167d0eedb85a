// User ignore rules, like Argo CD's ignoreDifferences: paths (with wildcards) into the
// normalised document whose values are removed before diffing, on both sides alike.
//
// Syntax: a JSON-pointer-like pattern, e.g. `/workflow/graph/nodes/*/data/retry_config`.
// `*` matches one segment (an object key, a list index, or a keyed element: node id, edge id,
// variable name, plugin id); `**` matches any number of segments; `~0`/`~1` escape `~` and `/`.
// `nodeType` restricts a rule to nodes whose data.type is that value.

import { keyFnAt, uniqueKeys } from './keyed-lists.js';
import { isRecord, type JsonPath } from './types.js';

export interface IgnoreRule {
  /** Pattern over the normalised document, e.g. `/workflow/graph/nodes/*\/data/retry_config`. */
  path: string;
  /** Only inside nodes whose data.type is this, e.g. `llm`. */
  nodeType?: string;
}

/** A problem with a rule's syntax, or undefined when it is valid. */
export function validateIgnoreRule(rule: IgnoreRule): string | undefined {
  if (typeof rule.path !== 'string' || !rule.path.startsWith('/')) return 'an ignore path must start with "/"';
  if (rule.path === '/' || rule.path === '/**') return 'an ignore path must not match the whole document';
  if (rule.nodeType !== undefined && (typeof rule.nodeType !== 'string' || rule.nodeType === '')) return 'nodeType must be a non-empty string';
  return undefined;
}

export function parsePattern(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Removes every value matched by the rules from `doc` (mutates it). */
export function applyIgnoreRules(doc: Record<string, unknown>, rules: readonly IgnoreRule[]): void {
  for (const rule of rules) {
    if (validateIgnoreRule(rule) !== undefined) continue;
    removeMatches(doc, parsePattern(rule.path), [], rule.nodeType);
  }
}

function removeMatches(value: unknown, pattern: string[], at: JsonPath, nodeType: string | undefined): void {
  if (pattern.length === 0) return;
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '**') {
    removeMatches(value, rest, at, nodeType); // zero segments
    for (const [seg, child] of children(value, at)) {
      if (allowed([...at, seg], child, nodeType)) removeMatches(child, pattern, [...at, seg], nodeType);
    }
    return;
  }
  const doomed: (string | number)[] = [];
  for (const [seg, child, key] of children(value, at)) {
    if (head !== '*' && head !== key && head !== String(seg)) continue;
    const childPath = [...at, seg];
    if (!allowed(childPath, child, nodeType)) continue;
    if (rest.length === 0) {
      if (nodeType === undefined || isInsideNode(childPath)) doomed.push(seg);
    } else {
      removeMatches(child, rest, childPath, nodeType);
    }
  }
  for (const seg of doomed.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? b - a : 0))) {
    if (Array.isArray(value) && typeof seg === 'number') value.splice(seg, 1);
    else if (isRecord(value)) delete value[String(seg)];
  }
}

/** [segment, child, key]: for keyed lists the key is the element's identity (node id, name…). */
function children(value: unknown, at: JsonPath): [string | number, unknown, string][] {
  if (Array.isArray(value)) {
    const keyFn = keyFnAt(at);
    const keys = keyFn ? uniqueKeys(value, keyFn) : undefined;
    return value.map((child, i) => [i, child, keys?.[i] ?? String(i)]);
  }
  if (isRecord(value)) return Object.entries(value).map(([k, v]) => [k, v, k]);
  return [];
}

/** With a nodeType, only nodes of that type are entered. */
function allowed(path: JsonPath, child: unknown, nodeType: string | undefined): boolean {
  if (nodeType === undefined || !isNodePath(path)) return true;
  return isRecord(child) && isRecord(child.data) && child.data.type === nodeType;
}

function isNodePath(path: JsonPath): boolean {
  return path.length === 4 && path[0] === 'workflow' && path[1] === 'graph' && path[2] === 'nodes';
}

function isInsideNode(path: JsonPath): boolean {
  return path.length > 4 && path[0] === 'workflow' && path[1] === 'graph' && path[2] === 'nodes';
}
