// Dify reads DSL with PyYAML, and a DSL file must mean here exactly what it means there. Two gaps
// between PyYAML and the yaml package's YAML 1.1 mode are closed here:
// 1. PyYAML accepts quoted strings whose continuation lines are not indented (hand-edited files
//    do this); the yaml package refuses them. repairQuotedIndentation re-indents those lines,
//    which does not change the string (leading blanks of folded lines are dropped) nor any line number.
// 2. Plain scalars the two resolve differently: `y`/`n` (strings for PyYAML, booleans for yaml —
//    including the key `y` of every node position), `1e3` (a string for PyYAML, which wants a dot
//    and a signed exponent) and dates (kept as their text: Dify could not store a date in JSON).

import { isScalar, visit, type Document } from 'yaml';

const PYYAML_FLOAT = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)(?:[eE][-+][0-9]+)?$/;

/**
 * Makes plain scalars resolve as PyYAML resolves them. Returns true when it changed something.
 * `forOutput`: only the fixes a re-serialised document needs (`y`/`n` and dates are written back
 * from their source text anyway; `1e3` would be rewritten as `1e+3`, so it becomes a string).
 */
export function alignScalarsWithPyYaml(doc: Document, options: { forOutput?: boolean } = {}): boolean {
  let changed = false;
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || node.tag !== undefined || typeof node.source !== 'string') return;
      const source = node.source;
      const value: unknown = node.value;
      const exponent = typeof value === 'number' && /^[-+]?[0-9._]*[eE]/.test(source) && !PYYAML_FLOAT.test(source);
      const asText =
        exponent || (!options.forOutput && ((typeof value === 'boolean' && /^[yYnN]$/.test(source)) || value instanceof Date));
      if (asText && isScalar(node)) {
        node.value = source;
        changed = true;
      }
    },
  });
  return changed;
}

/**
 * Re-indents the continuation lines of multi-line quoted scalars that sit at or left of the line
 * that opened them. Returns undefined when nothing needed repair, else the text and the 1-based
 * number of the first line it touched.
 */
export function repairQuotedIndentation(text: string): { text: string; firstLine: number } | undefined {
  const lines = text.split('\n');
  let firstLine = 0;
  let open: { quote: '"' | "'"; indent: number } | undefined;
  let blockIndent: number | undefined; // inside a block scalar (| or >) opened at this indent
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '';
    if (open) {
      let from = 0;
      if (!blank && indent <= open.indent) {
        const pad = ' '.repeat(open.indent + 2 - indent);
        lines[i] = pad + line;
        from = pad.length;
        if (firstLine === 0) firstLine = i + 1;
      }
      const end = closeQuote(lines[i] ?? '', from, open.quote);
      if (end === undefined) continue;
      const rest = scanLine(lines[i] ?? '', end);
      open = rest ? { quote: rest, indent: open.indent } : undefined;
      continue;
    }
    if (blockIndent !== undefined) {
      if (blank || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    const quote = scanLine(line, indent);
    if (quote) open = { quote, indent };
    else if (/(^|[\s:-])[|>][-+0-9]*\s*(#.*)?\r?$/.test(line) && /^\s*(-\s+)*([^#'"]*:\s|-\s)/.test(line)) {
      blockIndent = indent;
    }
  }
  return firstLine === 0 ? undefined : { text: lines.join('\n'), firstLine };
}

/** Scans a line from `start`; returns the quote that is still open at the end of the line. */
function scanLine(line: string, start: number): '"' | "'" | undefined {
  let i = start;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return undefined;
    if ((ch === '"' || ch === "'") && opensScalar(line, i)) {
      const end = closeQuote(line, i + 1, ch);
      if (end === undefined) return ch;
      i = end;
      continue;
    }
    i++;
  }
  return undefined;
}

/** A quote opens a scalar only where a value can start: line start, after `: `, `- `, `? ` or a flow indicator. */
function opensScalar(line: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (line[j] === ' ' || line[j] === '\t')) j--;
  if (j < 0) return true;
  const prev = line[j] ?? '';
  if ('[{,'.includes(prev)) return true;
  return (prev === ':' || prev === '-' || prev === '?') && j < at - 1;
}

/** Index just past the closing quote, or undefined when the line ends inside the string. */
function closeQuote(line: string, from: number, quote: '"' | "'"): number | undefined {
  for (let i = from; i < line.length; i++) {
    const ch = line[i];
    if (quote === '"' && ch === '\\') {
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && line[i + 1] === "'") {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return undefined;
}
