// Splits a long Markdown body into parts that each fit one GitHub comment, the way Atlantis
// splits a long plan: greedy, line by line, never leaving a code fence, a <details> block or a
// table half-open. A part that must end inside one closes it, and the next part reopens it
// ("(continued)" on a <details> summary, the same fence and info string, the table header).
// Pure.
//
// Counting: GitHub rejects a comment body over 65,536 *characters* (Rails counts Unicode code
// points), not bytes, so UTF-8 size does not matter. We count JavaScript string length (UTF-16
// code units), which is never less than the code-point count, so every part is within GitHub's
// limit, conservatively for text outside the Basic Multilingual Plane; and we never cut between
// the two halves of a surrogate pair.

import { InternalError } from '../errors.js';
import {
  advanceBlocks,
  closingLines,
  reopeningLines,
  safeSlice,
  startsTable,
  type BlockStack,
} from './markdown-blocks.js';

export const GITHUB_COMMENT_LIMIT = 65_536;

export interface OverflowInfo {
  /** Parts returned (= maxParts). */
  shownParts: number;
  /** Parts the whole body would have needed. */
  totalParts: number;
  /** Source lines not shown (a line cut by the truncation counts as omitted). */
  omittedLines: number;
}

export interface SplitOptions {
  /** Characters per part, everything included (default 65,536). */
  limit?: number;
  /** Characters kept free in every part for what the caller adds (the hidden marker, a header). */
  reserve?: number;
  /** At most this many parts; the last one then ends with `overflowNote`. */
  maxParts?: number;
  /** Markdown appended to the last part when the body did not fit in maxParts (e.g. a link to the full plan). */
  overflowNote?: (info: OverflowInfo) => string;
}

/** Splits `body` into parts of at most `limit - reserve` characters each. */
export function splitMarkdown(body: string, options: SplitOptions = {}): string[] {
  const capacity = (options.limit ?? GITHUB_COMMENT_LIMIT) - (options.reserve ?? 0);
  const maxParts = options.maxParts ?? Number.POSITIVE_INFINITY;
  if (!(maxParts >= 1)) throw new InternalError(`splitMarkdown: maxParts must be at least 1, got ${maxParts}`);
  if (body.length <= capacity) return [body];
  const lines = body.split('\n');
  const full = pack(lines, () => capacity, Number.POSITIVE_INFINITY);
  if (full.parts.length <= maxParts) return full.parts;

  const noteFor = options.overflowNote ?? defaultOverflowNote;
  // The note's length can depend on the numbers in it; size it with the worst case first.
  const sizing = `\n\n${noteFor({ shownParts: maxParts, totalParts: full.parts.length, omittedLines: lines.length })}`;
  const lastCapacity = capacity - sizing.length;
  if (lastCapacity < capacity / 2) {
    throw new InternalError(`splitMarkdown: overflow note of ${sizing.length} characters leaves no room in a ${capacity}-character part`);
  }
  const cut = pack(lines, (index) => (index === maxParts - 1 ? lastCapacity : capacity), maxParts);
  const note = noteFor({ shownParts: maxParts, totalParts: full.parts.length, omittedLines: lines.length - cut.consumed });
  const parts = cut.parts.slice(0, maxParts);
  parts[parts.length - 1] = `${parts.at(-1)}\n\n${note}`;
  if (parts.at(-1)!.length > capacity) {
    throw new InternalError('splitMarkdown: the overflow note grew longer than the size it was measured at');
  }
  return parts;
}

export function defaultOverflowNote(info: OverflowInfo): string {
  return (
    `**Output truncated:** it needs ${info.totalParts} comments and only ${info.shownParts} are posted; ` +
    `${info.omittedLines} more lines are in the full output.`
  );
}

interface Packed {
  parts: string[];
  /** Lines fully placed in `parts`. */
  consumed: number;
}

/** Greedy packing of lines into parts; `capacityOf(i)` is the size of part i. Stops after `maxParts`. */
function pack(lines: readonly string[], capacityOf: (index: number) => number, maxParts: number): Packed {
  const parts: string[] = [];
  let stack: BlockStack = [];
  let current: string[] = [];
  let used = 0; // characters of `current` counting one newline per line
  let hasContent = false;

  const startPart = (): void => {
    current = reopeningLines(stack);
    used = cost(current);
    hasContent = false;
    if (used + cost(closingLines(stack)) >= capacityOf(parts.length) / 2) {
      throw new InternalError(`splitMarkdown: a part of ${capacityOf(parts.length)} characters is too small to reopen ${stack.length} nested blocks`);
    }
  };
  const endPart = (): boolean => {
    parts.push([...current, ...closingLines(stack)].join('\n'));
    if (parts.length >= maxParts) return false;
    startPart();
    return true;
  };

  startPart();
  let i = 0;
  let single = false; // the multi-line unit at i did not fit an empty part: place its lines one by one
  while (i < lines.length) {
    const unit = single ? takeLine(lines, i, stack) : takeUnit(lines, i, stack);
    const room = capacityOf(parts.length);
    if (used + cost(unit.lines) + cost(closingLines(unit.after)) <= room) {
      current.push(...unit.lines);
      used += cost(unit.lines);
      stack = unit.after;
      hasContent = true;
      i = unit.next;
      single = false;
      continue;
    }
    if (hasContent) {
      if (!endPart()) return { parts, consumed: i };
      continue;
    }
    if (unit.lines.length > 1) {
      single = true;
      continue;
    }
    // One line longer than a whole part: cut it into pieces, each in the context of the blocks
    // open before it, and let the line's own effect on the blocks apply after the last piece.
    let rest = unit.lines[0]!;
    for (;;) {
      const free = capacityOf(parts.length) - used - cost(closingLines(stack)) - 1;
      const piece = cutPiece(rest, free);
      current.push(piece);
      used += piece.length + 1;
      hasContent = true;
      rest = rest.slice(piece.length);
      if (!endPart()) return { parts, consumed: i };
      if (used + rest.length + 1 + cost(closingLines(unit.after)) <= capacityOf(parts.length)) break;
    }
    current.push(rest);
    used += rest.length + 1;
    hasContent = true;
    stack = unit.after;
    i = unit.next;
  }
  if (hasContent || parts.length === 0) parts.push([...current, ...closingLines(stack)].join('\n'));
  return { parts, consumed: lines.length };
}

interface Unit {
  lines: string[];
  after: BlockStack;
  next: number;
}

function takeLine(lines: readonly string[], i: number, stack: BlockStack): Unit {
  return { lines: [lines[i]!], after: advanceBlocks(stack, lines[i]!, lines[i - 1]), next: i + 1 };
}

/**
 * The smallest run of lines that should not be separated: a <details> line with the <summary>
 * that follows it, or a table's header row with its delimiter row.
 */
function takeUnit(lines: readonly string[], i: number, stack: BlockStack): Unit {
  const unit = takeLine(lines, i, stack);
  while (unit.next < lines.length && unit.lines.length < 4) {
    const top = unit.after.at(-1);
    const last = lines[unit.next - 1]!;
    const pendingSummary = top?.kind === 'details' && top.summaryPending;
    const tableHeader = startsTable(unit.after, last, lines[unit.next]);
    if (!pendingSummary && !tableHeader) break;
    const line = lines[unit.next]!;
    unit.after = advanceBlocks(unit.after, line, last);
    unit.lines.push(line);
    unit.next += 1;
  }
  return unit;
}

/** The longest head of `text` within `room` characters, preferring to end after a space. */
function cutPiece(text: string, room: number): string {
  if (room < 1) throw new InternalError('splitMarkdown: no room left for a piece of a long line');
  const head = safeSlice(text, room);
  const space = head.lastIndexOf(' ');
  const piece = space >= head.length * 0.8 ? head.slice(0, space + 1) : head;
  // A lone high surrogate at room = 1 would give an empty piece; take the pair whole instead.
  return piece === '' ? text.slice(0, 2) : piece;
}

function cost(lines: readonly string[]): number {
  let total = 0;
  for (const line of lines) total += line.length + 1;
  return total;
}
