// A line-by-line tracker of the Markdown blocks that must not be cut in half when a long comment
// is split: code fences (``` or ~~~, any length, with info strings), <details> blocks (nested)
// and GFM tables. It knows how to close what is open at the end of a part and reopen it at the
// start of the next. Pure. It is deliberately not a Markdown parser: it follows the CommonMark
// fence rules and GitHub's HTML-block habits closely enough for text we render ourselves.

export interface FenceBlock {
  kind: 'fence';
  indent: string;
  /** The opening run, e.g. "```" or "~~~~"; a closer uses the same character, at least as long. */
  marker: string;
  info: string;
}

export interface DetailsBlock {
  kind: 'details';
  /** Attributes of the opening tag, e.g. ` open`. */
  attrs: string;
  /** Inner HTML of its <summary>, when one was seen. */
  summary: string | undefined;
  /** The <details> tag was seen and its <summary> may still follow on the next line. */
  summaryPending: boolean;
}

export interface TableBlock {
  kind: 'table';
  header: string;
  delimiter: string;
}

export type OpenBlock = FenceBlock | DetailsBlock | TableBlock;
export type BlockStack = readonly OpenBlock[];

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const DETAILS_TAG = /<details(\s[^>]*)?>|<\/details\s*>/gi;
const SUMMARY = /<summary(?:\s[^>]*)?>(.*?)<\/summary\s*>/i;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const INLINE_CODE = /(`+)[^`]+?\1/g;
/** A summary longer than this is shortened when repeated in a continuation. */
const MAX_REPEATED_SUMMARY = 300;

/** The stack of open blocks after `line`; `previous` is the line before it (for table headers). */
export function advanceBlocks(stack: BlockStack, line: string, previous: string | undefined): BlockStack {
  const top = stack.at(-1);
  if (top?.kind === 'fence') return closesFence(top, line) ? stack.slice(0, -1) : stack;
  if (top?.kind === 'table') {
    if (line.trim() !== '' && line.includes('|')) return stack;
    return advanceBlocks(stack.slice(0, -1), line, previous);
  }
  const fence = FENCE_OPEN.exec(line);
  if (fence !== null && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
    return [...settleSummary(stack, line), { kind: 'fence', indent: fence[1]!, marker: fence[2]!, info: fence[3]! }];
  }
  if (previous !== undefined && isTableDelimiter(line) && previous.includes('|') && previous.trim() !== '') {
    return [...stack, { kind: 'table', header: previous, delimiter: line }];
  }
  return detailsAfter(settleSummary(stack, line), line);
}

/** A GFM delimiter row such as `| --- | :-: |`; we require a pipe so `---` stays a thematic break. */
export function isTableDelimiter(line: string): boolean {
  return line.includes('|') && line.includes('-') && DELIMITER_ROW.test(line);
}

/** True when `line` followed by `next` starts a table (header row, then delimiter row). */
export function startsTable(stack: BlockStack, line: string, next: string | undefined): boolean {
  const top = stack.at(-1);
  if (top?.kind === 'fence' || top?.kind === 'table' || next === undefined) return false;
  return line.includes('|') && line.trim() !== '' && isTableDelimiter(next);
}

/** Lines that end every open block, innermost first. */
export function closingLines(stack: BlockStack): string[] {
  const lines: string[] = [];
  for (let i = stack.length - 1; i >= 0; i--) {
    const block = stack[i]!;
    if (block.kind === 'fence') lines.push(`${block.indent}${block.marker}`);
    else if (block.kind === 'details') lines.push('</details>');
  }
  return lines;
}

/** Lines that reopen every open block, outermost first, marked as a continuation. */
export function reopeningLines(stack: BlockStack): string[] {
  const lines: string[] = [];
  for (const block of stack) {
    if (block.kind === 'fence') lines.push(`${block.indent}${block.marker}${block.info}`);
    else if (block.kind === 'table') lines.push(block.header, block.delimiter);
    else {
      const summary = shorten(block.summary ?? '');
      const text = summary === '' ? '(continued)' : `${summary} (continued)`;
      // The blank line lets GitHub render the Markdown that follows inside the block.
      lines.push(`<details${block.attrs}><summary>${text}</summary>`, '');
    }
  }
  return lines;
}

function closesFence(fence: FenceBlock, line: string): boolean {
  const match = /^[ \t]*(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
  return match !== null && match[1]![0] === fence.marker[0] && match[1]!.length >= fence.marker.length;
}

/** A <details> whose summary did not follow on the next non-blank line gets none. */
function settleSummary(stack: BlockStack, line: string): BlockStack {
  const top = stack.at(-1);
  if (top?.kind !== 'details' || !top.summaryPending || line.trim() === '') return stack;
  const summary = SUMMARY.exec(line);
  return [...stack.slice(0, -1), { ...top, summary: summary?.[1] ?? top.summary, summaryPending: false }];
}

function detailsAfter(stack: BlockStack, line: string): BlockStack {
  if (!/<\/?details/i.test(line)) return stack;
  // Tags inside `inline code` are text. Blanking keeps offsets, so matches index into `line`.
  const scanned = line.replace(INLINE_CODE, (code) => ' '.repeat(code.length));
  let result = stack;
  for (const match of scanned.matchAll(DETAILS_TAG)) {
    if (match[0].startsWith('</')) {
      const top = result.at(-1);
      // An unmatched </details> is the author's; we neither count nor repair it.
      if (top?.kind === 'details') result = result.slice(0, -1);
      continue;
    }
    const after = match.index + match[0].length;
    const found = SUMMARY.exec(scanned.slice(after));
    const summary = found === null ? undefined : SUMMARY.exec(line.slice(after + found.index))?.[1];
    result = [...result, { kind: 'details', attrs: match[1] ?? '', summary, summaryPending: found === null }];
  }
  return result;
}

function shorten(summary: string): string {
  if (summary.length <= MAX_REPEATED_SUMMARY) return summary;
  // Cutting HTML could leave a tag open; fall back to the text only.
  const text = summary.replace(/<[^>]*>/g, '');
  return text.length <= MAX_REPEATED_SUMMARY ? text : `${safeSlice(text, MAX_REPEATED_SUMMARY - 1)}…`;
}

/** `text.slice(0, end)` that never ends between the two halves of a surrogate pair. */
export function safeSlice(text: string, end: number): string {
  if (end <= 0) return '';
  if (end >= text.length) return text;
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}
