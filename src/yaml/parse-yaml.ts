// The one place where YAML text becomes data. Hardened against hostile input: a size cap,
// an alias-expansion cap (alias bombs) and a nesting-depth cap, each a clear error with a
// position. Keeps the Document and a LineCounter so callers can map JSON paths to lines.

import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface YamlLimits {
  /** Bytes; larger input is refused before parsing. */
  maxBytes: number;
  /** Nesting depth of collections. */
  maxDepth: number;
  /** Passed to the yaml package: caps alias expansion (billion-laughs). */
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 10 * 1024 * 1024, // Dify refuses DSL over 10 MB too (contract §4.1)
  maxDepth: 200,
  maxAliasCount: 1000,
};

export interface YamlProblem {
  line: number;
  col: number;
  code: 'yaml-syntax' | 'yaml-too-large' | 'yaml-too-deep' | 'yaml-alias-bomb' | 'yaml-empty' | 'yaml-duplicate-key';
  message: string;
}

export type ParsedYaml =
  | { ok: true; value: unknown; doc: Document; lines: LineCounter; warnings: YamlProblem[] }
  | { ok: false; problems: YamlProblem[] };

export interface ParseYamlOptions {
  limits?: Partial<YamlLimits>;
  /**
   * YAML 1.1 reads like PyYAML (what Dify uses): `yes`/`no` booleans, sexagesimal numbers.
   * User-written files default to 1.2.
   */
  version?: '1.1' | '1.2';
}

export function parseYaml(text: string, options: ParseYamlOptions = {}): ParsedYaml {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return fail(1, 1, 'yaml-too-large', `file is ${bytes} bytes; the limit is ${limits.maxBytes} bytes`);
  }
  // Depth is checked on the raw text first: the yaml parser itself recurses per level, so a
  // 10,000-deep flow sequence must be refused before it reaches the parser.
  const rawDepth = scanFlowDepth(text, limits.maxDepth);
  if (rawDepth !== undefined) {
    return fail(rawDepth.line, rawDepth.col, 'yaml-too-deep', `nesting deeper than ${limits.maxDepth} levels`);
  }

  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
      version: options.version ?? '1.2',
      strict: false,
    });
  } catch (error) {
    // The yaml package recurses per nesting level; a stack overflow means hostile depth.
    if (error instanceof RangeError) return fail(1, 1, 'yaml-too-deep', 'nesting too deep to parse');
    return fail(1, 1, 'yaml-syntax', error instanceof Error ? error.message : String(error));
  }

  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        if (/call stack/i.test(e.message)) {
          return { line: pos.line, col: pos.col, code: 'yaml-too-deep', message: 'nesting too deep to parse' };
        }
        const code = e.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
        return { line: pos.line, col: pos.col, code, message: firstLine(e.message) };
      }),
    };
  }

  const deep = findTooDeep(doc.contents, limits.maxDepth);
  if (deep) {
    const pos = lines.linePos(deep.range?.[0] ?? 0);
    return fail(pos.line, pos.col, 'yaml-too-deep', `nesting deeper than ${limits.maxDepth} levels`);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      return fail(1, 1, 'yaml-alias-bomb', `aliases expand too much (limit ${limits.maxAliasCount}): refusing a possible alias bomb`);
    }
    return fail(1, 1, 'yaml-syntax', message);
  }

  const warnings = doc.warnings.map((w) => {
    const pos = lines.linePos(w.pos[0]);
    return { line: pos.line, col: pos.col, code: 'yaml-syntax' as const, message: firstLine(w.message) };
  });
  return { ok: true, value, doc, lines, warnings };
}

/**
 * Line and column (1-based) of the node at a path like ['workflow','graph','nodes',3,'data'],
 * or of the deepest ancestor that exists. `key: true` points at the key rather than the value.
 */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let offset = (doc.contents)?.range?.[0] ?? 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (last && options.key) {
        offset = keyNode.range?.[0] ?? offset;
        break;
      }
      const valueNode = pair.value as Node | null;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, col: pos.col };
}

function fail(line: number, col: number, code: YamlProblem['code'], message: string): ParsedYaml {
  return { ok: false, problems: [{ line, col, code, message }] };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Bracket depth of flow collections, ignoring quoted strings and comments; cheap and linear. */
function scanFlowDepth(text: string, maxDepth: number): { line: number; col: number } | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: '"' | "'" | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    col++;
    if (ch === '\n') {
      line++;
      col = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // Only a quote that starts a scalar opens a string; apostrophes inside words do not.
      const prev = text[i - 1];
      if (prev === undefined || /[\s[{,:]/.test(prev)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      comment = true;
    } else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > maxDepth) return { line, col };
    } else if ((ch === ']' || ch === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function findTooDeep(root: unknown, maxDepth: number): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth > maxDepth) return node;
      for (const item of node.items) {
        const child = isPair(item) ? item.value : item;
        stack.push({ node: child, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
