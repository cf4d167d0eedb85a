// RFC 6901 JSON Pointer lookup and replacement on plain JSON-like values, used by overrides.
// Replacement copies along the path so the DSL from git (shared by all environments) is never mutated.

export type PointerLookup = { found: true; value: unknown } | { found: false; missingAt: string };

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAtPointer(root: unknown, pointer: string): PointerLookup {
  let current = root;
  let walked = '';
  for (const token of splitPointer(pointer)) {
    walked += `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false, missingAt: walked };
    }
  }
  return { found: true, value: current };
}

/** A copy of `root` with the value at `pointer` replaced. The pointer must exist (checked by validation). */
export function setAtPointer<T>(root: T, pointer: string, value: unknown): T {
  const tokens = splitPointer(pointer);
  if (tokens.length === 0) return value as T;
  return replaceAt(root, tokens, value) as T;
}

function replaceAt(node: unknown, tokens: readonly string[], value: unknown): unknown {
  const [head, ...rest] = tokens;
  if (head === undefined) return value;
  if (Array.isArray(node)) {
    const copy = [...(node as unknown[])];
    copy[Number(head)] = replaceAt(copy[Number(head)], rest, value);
    return copy;
  }
  const record = node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {};
  return { ...record, [head]: replaceAt(record[head], rest, value) };
}
