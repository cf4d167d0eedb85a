// Packs the sections of a long comment (a header, one section per app, a footer) into GitHub
// comments. Sections are kept whole whenever they fit in one comment, so a Mermaid diagram or an
// app's details never straddle two comments (a reopened half of a flowchart is not valid Mermaid);
// only a section longer than a whole comment is cut, by splitMarkdown, which closes and reopens
// fences and <details>. Past `maxParts`, the last comment ends with a note naming what is missing
// and where the whole text is. Pure.

import { InternalError } from '../errors.js';
import { MARKER_RESERVE } from './comment-marker.js';
import { GITHUB_COMMENT_LIMIT, splitMarkdown } from './split-comment.js';

/** Characters kept free in every part for the "continued" line packComment puts on parts 2…n. */
export const CONTINUATION_RESERVE = 200;
/** Characters kept free in every part for the overflow note. */
export const OVERFLOW_RESERVE = 900;

export interface CommentSection {
  text: string;
  /** Named in the overflow note when the section is not posted (e.g. an app name). */
  label?: string | undefined;
}

export interface OverflowSummary {
  totalParts: number;
  shownParts: number;
  /** Labels of sections not posted, or posted only in part. */
  omitted: string[];
}

export interface PackOptions {
  /** Characters per comment, everything included (default 65,536). */
  limit?: number;
  /** Kept free for the hidden marker ensureStickyComment adds (default MARKER_RESERVE). */
  reserve?: number;
  maxParts: number;
  /** The line that opens parts 2…n, e.g. `_dify-gitops plan for prod, part 2 of 3_`. */
  continuation: (part: number, parts: number) => string;
  /** Markdown that ends the last part when not everything fits; at most OVERFLOW_RESERVE characters. */
  overflowNote: (summary: OverflowSummary) => string;
}

export function packComment(sections: readonly CommentSection[], options: PackOptions): string[] {
  const capacity = (options.limit ?? GITHUB_COMMENT_LIMIT) - (options.reserve ?? MARKER_RESERVE) - CONTINUATION_RESERVE - OVERFLOW_RESERVE;
  if (capacity < 1_000) throw new InternalError(`packComment: a limit of ${options.limit} leaves no room for content`);
  if (!(options.maxParts >= 1)) throw new InternalError(`packComment: maxParts must be at least 1, got ${options.maxParts}`);

  const parts: string[][] = [[]];
  const used: number[] = [0];
  /** For each section, the parts it was placed in (first, last). */
  const placed: { first: number; last: number }[] = [];
  const SEPARATOR = 2; // sections are joined by a blank line
  for (const section of sections) {
    const size = section.text.length;
    const current = parts.length - 1;
    const cost = (used[current]! === 0 ? 0 : SEPARATOR) + size;
    if (used[current]! + cost <= capacity) {
      parts[current]!.push(section.text);
      used[current]! += cost;
      placed.push({ first: current, last: current });
      continue;
    }
    const pieces = size <= capacity ? [section.text] : splitMarkdown(section.text, { limit: capacity });
    const first = used[current]! === 0 ? current : parts.push([]) - 1;
    if (first !== current) used.push(0);
    pieces.forEach((piece, index) => {
      if (index > 0) {
        parts.push([]);
        used.push(0);
      }
      parts.at(-1)!.push(piece);
      used[used.length - 1] = piece.length;
    });
    placed.push({ first, last: parts.length - 1 });
  }

  const bodies = parts.map((texts) => texts.join('\n\n'));
  const shown = Math.min(bodies.length, options.maxParts);
  const kept = bodies.slice(0, shown);
  if (bodies.length > shown) {
    const omitted = sections.flatMap((section, i) => (placed[i]!.last >= shown && section.label !== undefined ? [section.label] : []));
    const note = options.overflowNote({ totalParts: bodies.length, shownParts: shown, omitted });
    if (note.length > OVERFLOW_RESERVE - 2) {
      throw new InternalError(`packComment: the overflow note is ${note.length} characters, over the ${OVERFLOW_RESERVE - 2} reserved`);
    }
    kept[shown - 1] = `${kept[shown - 1]}\n\n${note}`;
  }
  return kept.map((body, index) => {
    if (index === 0) return body;
    const line = options.continuation(index + 1, kept.length);
    if (line.length > CONTINUATION_RESERVE - 2) throw new InternalError(`packComment: continuation line over ${CONTINUATION_RESERVE - 2} characters`);
    return `${line}\n\n${body}`;
  });
}
