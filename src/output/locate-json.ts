// Where the JSON values are in a piece of LLM text. Scans for `{` or `[` that plausibly open a JSON
// value (not `[see below]` or `{name}` in prose) and follows bracket depth, skipping double-quoted
// strings, to the matching close. A value still open at the end of the text is a truncated one and
// runs to the end, where jsonrepair can close it. Linear in the text length. Pure.

export interface JsonSpan {
  start: number;
  /** Exclusive. */
  end: number;
  /** False when the text ended inside the value (truncated output). */
  complete: boolean;
}

/** Every top-level candidate value in order; after a complete one the scan continues past its end. */
export function findJsonSpans(text: string): JsonSpan[] {
  const spans: JsonSpan[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if ((ch === '{' || ch === '[') && looksLikeJsonStart(text, i)) {
      const end = matchingClose(text, i);
      if (end === undefined) {
        spans.push({ start: i, end: text.length, complete: false });
        break;
      }
      spans.push({ start: i, end, complete: true });
      i = end;
      continue;
    }
    i++;
  }
  return spans;
}

const WORD_AFTER_BRACKET = /^(true|false|null|True|False|None)\b/;
/** An unquoted key as models write them: `{name: …}`. */
const UNQUOTED_KEY = /^[A-Za-z_$][\w$-]*\s*:/;
const QUOTES = new Set(['"', "'", '\u201C', '\u2018']);

/** Whether the bracket at `at` is followed by something a JSON value (or a repairable one) can hold. */
function looksLikeJsonStart(text: string, at: number): boolean {
  let i = at + 1;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (i >= text.length) return true; // truncated right after the bracket
  const next = text[i]!;
  const rest = text.slice(i, i + 64);
  if (text[at] === '{') {
    return next === '}' || QUOTES.has(next) || UNQUOTED_KEY.test(rest) || text.startsWith('//', i) || text.startsWith('/*', i);
  }
  return (
    next === ']' ||
    next === '{' ||
    next === '[' ||
    next === '-' ||
    /[0-9]/.test(next) ||
    QUOTES.has(next) ||
    WORD_AFTER_BRACKET.test(rest) ||
    text.startsWith('//', i) ||
    text.startsWith('/*', i)
  );
}

/** Index just past the bracket that closes the one at `open`, or undefined when the text ends first. */
function matchingClose(text: string, open: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}
