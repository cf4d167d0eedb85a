// Seeded random Markdown for the comment splitter's property tests: paragraphs, code fences
// (``` and ~~~, info strings, longer fences around shorter ones), <details> blocks (nested,
// summary on the same or the next line), tables and lines longer than a whole comment, plus
// traps (a <details> tag inside a fence or inline code). Every content line is unique, so a test
// can check that none went missing. Also an independent checker of fence/details balance.

export interface RandomMarkdown {
  text: string;
  /** The unique lines the splitter must keep, in order. */
  contentLines: string[];
}

/** mulberry32: small, fast, good enough to drive generators deterministically. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomMarkdown(seed: number, options: { blocks: number; longLine: number }): RandomMarkdown {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const lines: string[] = [];
  const contentLines: string[] = [];
  let counter = 0;
  const content = (prefix = '', minLength = 8, maxLength = 120, suffix = ''): string => {
    const id = `L${seed}-${++counter}`;
    const words = ['plan', 'node', 'llm', 'změna', 'データ', 'a|b', '**bold**', '`code`', 'x'.repeat(7), '🙂', 'end'];
    let line = `${prefix}${id}`;
    const target = int(minLength, maxLength);
    while (line.length < target) line += ` ${pick(words)}`;
    line += suffix;
    contentLines.push(line);
    return line;
  };
  const longLine = (prefix = ''): string => {
    const id = `LONG${seed}-${++counter}`;
    let line = `${prefix}${id}`;
    while (line.length < options.longLine) line += pick([' word', '🙂', 'abc', ',', '𝔸']);
    contentLines.push(line);
    return line;
  };

  const block = (depth: number): void => {
    const kind = depth >= 3 ? pick(['paragraph', 'fence', 'table']) : pick(['paragraph', 'fence', 'details', 'table', 'long', 'trap']);
    switch (kind) {
      case 'paragraph':
        for (let i = int(1, 6); i > 0; i--) lines.push(content());
        lines.push('');
        break;
      case 'long':
        lines.push(longLine(), '');
        break;
      case 'trap':
        lines.push(content('inline `<details>` and `</details>` are text: '), '');
        break;
      case 'table': {
        lines.push('| node | change | detail |', '| --- | :-: | --- |');
        for (let i = int(1, 12); i > 0; i--) lines.push(content('| n | ~ | ', 8, 60, ' |'));
        lines.push('');
        break;
      }
      case 'fence': {
        const char = pick(['`', '~']);
        const marker = char.repeat(int(3, 5));
        const info = pick(['', 'json', 'diff', 'yaml title="app.yml"', 'text']);
        lines.push(`${marker}${info}`);
        for (let i = int(1, 30); i > 0; i--) {
          const roll = random();
          if (roll < 0.05) lines.push(longLine('    '));
          else if (roll < 0.1) lines.push(content('<details><summary>not a tag here</summary> '));
          else if (roll < 0.15 && marker.length > 3) lines.push(char.repeat(3) + pick(['', 'inner'])); // shorter fence: content
          else if (roll < 0.2) lines.push(pick(['`', '~'].filter((c) => c !== char)).repeat(3)); // other char: content
          else lines.push(content('  '));
        }
        lines.push(marker, '');
        break;
      }
      case 'details': {
        const summary = `App ${int(1, 999)}: ${pick(['2 nodes changed', 'replaced', '<b>drift</b>', 'no changes'])}`;
        const open = pick(['<details>', '<details open>']);
        if (random() < 0.5) lines.push(`${open}<summary>${summary}</summary>`);
        else lines.push(open, `<summary>${summary}</summary>`);
        lines.push('');
        for (let i = int(1, 4); i > 0; i--) block(depth + 1);
        lines.push('</details>', '');
        break;
      }
    }
  };
  for (let i = 0; i < options.blocks; i++) block(0);
  return { text: lines.join('\n'), contentLines };
}

export interface Balance {
  ok: boolean;
  problem?: string;
}

/** Independent check: fences closed and <details> balanced in one Markdown text. */
export function checkBalance(text: string): Balance {
  let fence: { char: string; length: number } | undefined;
  let details = 0;
  for (const [index, line] of text.split('\n').entries()) {
    if (fence !== undefined) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close !== null && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (open !== null && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    const outsideCode = line.replace(/(`+)[^`]+?\1/g, '');
    details += (outsideCode.match(/<details(\s[^>]*)?>/g) ?? []).length;
    details -= (outsideCode.match(/<\/details>/g) ?? []).length;
    if (details < 0) return { ok: false, problem: `line ${index + 1}: </details> without <details>` };
  }
  if (fence !== undefined) return { ok: false, problem: `unclosed ${fence.char.repeat(fence.length)} fence` };
  if (details !== 0) return { ok: false, problem: `${details} <details> left open` };
  return { ok: true };
}

/**
 * The first content line that is not found, in order, in the parts (undefined when all are).
 * A line longer than a part may appear as consecutive pieces, with other lines (a reopened
 * fence, a closing tag) between them; its first piece must be at least 20 characters, which
 * covers its unique id, so no other line can stand in for it.
 */
export function missingContent(parts: readonly string[], contentLines: readonly string[]): string | undefined {
  const flat = parts.flatMap((p) => p.split('\n'));
  let j = 0;
  for (const line of contentLines) {
    let rest = line;
    while (rest !== '') {
      const isPiece = (candidate: string): boolean =>
        candidate === rest ||
        (candidate !== '' && rest.startsWith(candidate) && (rest !== line || candidate.length >= 20));
      while (j < flat.length && !isPiece(flat[j]!)) j++;
      if (j >= flat.length) return line.slice(0, 80);
      rest = rest.slice(flat[j]!.length);
      j++;
    }
  }
  return undefined;
}
