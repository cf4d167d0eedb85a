// The printer of `npm start`: numbered chapters with headings, indented lines, and a closing
// line with the elapsed time. Plain text when piped; a little colour on a terminal.

import type { CliContext } from '../cli/context.js';

export interface Story {
  chapter(title: string): void;
  say(text: string): void;
  /** A block of preformatted output (a diff, a table), indented. */
  show(block: string): void;
  ok(text: string): void;
  warn(text: string): void;
  end(): void;
}

export function createStory(ctx: CliContext, now: () => number = Date.now): Story {
  const started = now();
  let number = 0;
  const paint = (code: string, text: string): string => (ctx.isTTY ? `\u001b[${code}m${text}\u001b[0m` : text);
  const indent = (text: string): string =>
    text
      .split('\n')
      .map((line) => (line === '' ? '' : `    ${line}`))
      .join('\n');
  return {
    chapter(title) {
      number += 1;
      ctx.out(`\n${paint('1', `${number}. ${title}`)}\n${paint('2', '─'.repeat(Math.min(72, title.length + 4)))}\n`);
    },
    say: (text) => ctx.out(`${indent(text)}\n`),
    show: (block) => ctx.out(`${indent(block.replace(/\n+$/, ''))}\n`),
    ok: (text) => ctx.out(`${indent(`${paint('32', '✓')} ${text}`)}\n`),
    warn: (text) => ctx.out(`${indent(`${paint('33', '!')} ${text}`)}\n`),
    end() {
      ctx.out(`\n${paint('2', `Finished in ${((now() - started) / 1000).toFixed(1)} s.`)}\n`);
    },
  };
}
