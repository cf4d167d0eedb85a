// Markdown code fences around LLM output: ```json … ```, ``` … ```, ~~~ … ~~~. Finds every fenced
// block in order (a block the model never closed runs to the end of the text, as truncated output
// does) and the text outside the fences. Pure.

export interface FencedBlock {
  /** The fence marker as written: ``` or ~~~ (or longer). */
  marker: string;
  /** The info string after the opening marker, lower-cased: `json`, `jsonc`, `` (none). */
  language: string;
  /** Text between the fences, without the fence lines. */
  content: string;
  /** Offset of `content` in the original text. */
  contentStart: number;
  /** False when the text ended before the closing fence. */
  closed: boolean;
  /** Offsets of the whole block, fence lines included (end exclusive). */
  start: number;
  end: number;
}

export function findFencedBlocks(text: string): FencedBlock[] {
  // An opening fence: at the start of a line, up to 3 spaces of indent, 3+ backticks or tildes,
  // then an info string without backticks or tildes (so ```json{"a":1}``` on one line is not one).
  const opening = /^ {0,3}(`{3,}|~{3,})([^`~\n]*)$/gm;
  const blocks: FencedBlock[] = [];
  let match: RegExpExecArray | null;
  while ((match = opening.exec(text)) !== null) {
    const marker = match[1]!;
    const language = (match[2] ?? '').trim().split(/\s+/)[0]!.toLowerCase();
    const lineEnd = match.index + match[0].length;
    const contentStart = lineEnd + (text[lineEnd] === '\n' ? 1 : 0);
    const close = findClosingFence(text, contentStart, marker);
    if (close === undefined) {
      blocks.push({ marker, language, content: text.slice(contentStart), contentStart, closed: false, start: match.index, end: text.length });
      break;
    }
    const content = text.slice(contentStart, close.start);
    blocks.push({ marker, language, content, contentStart, closed: true, start: match.index, end: close.end });
    opening.lastIndex = close.end;
  }
  return blocks;
}

/**
 * The text outside the fenced blocks, same length (blocks and any leftover fence markers become
 * spaces), so offsets still point into the original. Leftover markers are one-line fences such as
 * ```json{"a":1}```; `markersRemoved` says whether there were any.
 */
export function textOutsideFences(text: string, blocks: readonly FencedBlock[]): { text: string; markersRemoved: boolean } {
  const pieces: string[] = [];
  let at = 0;
  for (const block of blocks) {
    pieces.push(text.slice(at, block.start), blank(text.slice(block.start, block.end)));
    at = block.end;
  }
  pieces.push(text.slice(at));
  const outside = pieces.join('');
  const unmarked = outside
    .replace(/^( {0,3})((?:`{3,}|~{3,})[A-Za-z0-9_+-]*)/gm, (_, indent: string, marker: string) => indent + blank(marker))
    .replace(/(`{3,}|~{3,})(?=[ \t\r]*$)/gm, (marker: string) => blank(marker));
  return { text: unmarked, markersRemoved: unmarked !== outside };
}

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** A closing fence uses the same character, at least as many of them, and nothing else on its line. */
function findClosingFence(text: string, from: number, marker: string): { start: number; end: number } | undefined {
  const char = marker[0] === '`' ? '`' : '~';
  const closing = new RegExp(`^ {0,3}\\${char}{${marker.length},}[ \\t\\r]*$`, 'gm');
  closing.lastIndex = from;
  const match = closing.exec(text);
  if (match === null) return undefined;
  return { start: match.index, end: match.index + match[0].length };
}
