import { describe, it, expect } from 'vitest';
import { splitMarkdown, GITHUB_COMMENT_LIMIT } from '../../src/github/split-comment.js';
import { checkBalance, missingContent, randomMarkdown, seededRandom } from '../support/random-markdown.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function lines(prefix: string, count: number, width = 40): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`.padEnd(width, '.'));
}

/** Every part within `limit`, balanced, with no half of a surrogate pair. */
function expectWellFormed(parts: string[], limit: number, label = ''): void {
  const problems: string[] = [];
  for (const [index, part] of parts.entries()) {
    const name = `${label}part ${index + 1}/${parts.length}`;
    if (part.length > limit) problems.push(`${name}: ${part.length} > ${limit} characters`);
    const balance = checkBalance(part);
    if (!balance.ok) problems.push(`${name}: ${balance.problem}`);
    if (LONE_SURROGATE.test(part)) problems.push(`${name}: lone surrogate`);
  }
  expect(problems).toEqual([]);
}

describe('splitMarkdown', () => {
  it('returns a body that fits as the only part, untouched', () => {
    const body = '## Plan\n\n```diff\n+ a\n```\n';
    expect(splitMarkdown(body)).toEqual([body]);
    expect(splitMarkdown('')).toEqual(['']);
  });

  it('closes a code fence at the end of a part and reopens it with its info string', () => {
    const body = ['intro', '```json title="app.json"', ...lines('row', 40), '```', 'outro'].join('\n');
    const parts = splitMarkdown(body, { limit: 500 });
    expect(parts.length).toBeGreaterThan(1);
    expectWellFormed(parts, 500);
    expect(parts[0]!.split('\n').at(-1)).toBe('```');
    expect(parts[1]!.split('\n')[0]).toBe('```json title="app.json"');
    expect(missingContent(parts, ['intro', ...lines('row', 40), 'outro'])).toBeUndefined();
  });

  it('treats shorter fences inside a longer one as content and reopens the longer one', () => {
    const inner = lines('inner', 30).flatMap((l, i) => (i % 5 === 0 ? ['```yaml', l, '```'] : [l]));
    const body = ['````markdown', ...inner, '````', 'after'].join('\n');
    const parts = splitMarkdown(body, { limit: 400 });
    expectWellFormed(parts, 400);
    for (const part of parts.slice(1)) expect(part.startsWith('````markdown\n')).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n````')).toBe(true);
    expect(missingContent(parts, lines('inner', 30))).toBeUndefined();
  });

  it('handles ~~~ fences, whose closer must be tildes', () => {
    const body = ['~~~~text', ...lines('t', 20), '```', ...lines('u', 20), '~~~~'].join('\n');
    const parts = splitMarkdown(body, { limit: 450 });
    expectWellFormed(parts, 450);
    expect(parts.slice(1).every((p) => p.startsWith('~~~~text\n'))).toBe(true);
  });

  it('closes and reopens nested <details> with their summaries marked "(continued)"', () => {
    const body = [
      '<details><summary>Environment <b>prod</b></summary>',
      '',
      '<details open>',
      '<summary>App support-bot</summary>',
      '',
      '```diff',
      ...lines('+ node', 30),
      '```',
      '</details>',
      '</details>',
    ].join('\n');
    const parts = splitMarkdown(body, { limit: 600 });
    expectWellFormed(parts, 600);
    expect(parts[0]!.endsWith('```\n</details>\n</details>')).toBe(true);
    expect(parts[1]!.startsWith(
      '<details><summary>Environment <b>prod</b> (continued)</summary>\n\n' +
        '<details open><summary>App support-bot (continued)</summary>\n\n```diff\n',
    )).toBe(true);
  });

  it('keeps a <details> line together with the <summary> line after it', () => {
    const body = [...lines('p', 11, 38), '<details>', '<summary>Second app</summary>', '', ...lines('q', 5), '</details>'].join('\n');
    const parts = splitMarkdown(body, { limit: 480 });
    expectWellFormed(parts, 480);
    const withSummary = parts.find((p) => p.includes('<summary>Second app</summary>'))!;
    expect(withSummary).toContain('<details>\n<summary>Second app</summary>');
  });

  it('repeats the table header when a table continues in the next part', () => {
    const body = ['| app | change |', '| --- | --- |', ...lines('| a', 30).map((l) => `${l} | ~ |`)].join('\n');
    const parts = splitMarkdown(body, { limit: 500 });
    expectWellFormed(parts, 500);
    for (const part of parts) expect(part.startsWith('| app | change |\n| --- | --- |\n')).toBe(true);
  });

  it('ignores <details> written inside a code fence or inline code', () => {
    const body = ['```html', '<details>', ...lines('x', 30), '```', 'use `<details>` to fold', ...lines('y', 20)].join('\n');
    const parts = splitMarkdown(body, { limit: 400 });
    expectWellFormed(parts, 400);
    expect(parts.join('\n')).not.toContain('</details>');
  });

  it('cuts a line longer than a part into pieces, inside a fence too, never inside a surrogate pair', () => {
    const long = 'LONG ' + '🙂a𝔸'.repeat(600);
    const body = ['text', '```', long, '```', long.replace('LONG', 'PROSE')].join('\n');
    const parts = splitMarkdown(body, { limit: 700 });
    expectWellFormed(parts, 700);
    expect(missingContent(parts, ['text', long, long.replace('LONG', 'PROSE')])).toBeUndefined();
  });

  it('keeps room for the caller (reserve) and stops at maxParts with the overflow note last', () => {
    const body = lines('line', 400).join('\n');
    const parts = splitMarkdown(body, {
      limit: 1000,
      reserve: 100,
      maxParts: 3,
      overflowNote: (info) => `Full plan (${info.totalParts} parts, ${info.omittedLines} lines not shown): https://example.test/run/1`,
    });
    expect(parts).toHaveLength(3);
    expectWellFormed(parts, 900);
    expect(parts[2]).toMatch(/\n\nFull plan \(\d+ parts, \d+ lines not shown\): https:\/\/example\.test\/run\/1$/);
    const shown = parts.join('\n').split('\n').filter((l) => l.startsWith('line')).length;
    const omitted = Number(/(\d+) lines not shown/.exec(parts[2]!)![1]);
    expect(shown + omitted).toBe(400);
  });

  it('closes open blocks before the overflow note', () => {
    const body = ['<details><summary>All apps</summary>', '', '```diff', ...lines('+', 200), '```', '</details>'].join('\n');
    const parts = splitMarkdown(body, { limit: 800, maxParts: 2 });
    expectWellFormed(parts, 800);
    expect(parts[1]).toMatch(/```\n<\/details>\n\n\*\*Output truncated:\*\*/);
  });

  it('property: random documents split into well-formed parts that keep every content line', () => {
    const random = seededRandom(20250101);
    for (let seed = 1; seed <= 150; seed++) {
      const limit = 900 + Math.floor(random() * 3000);
      const reserve = Math.floor(random() * 200);
      const doc = randomMarkdown(seed, { blocks: 8 + (seed % 25), longLine: Math.floor(limit * 1.7) });
      expect(checkBalance(doc.text), `seed ${seed}: the generated document itself`).toEqual({ ok: true });
      const parts = splitMarkdown(doc.text, { limit, reserve });
      expectWellFormed(parts, limit - reserve, `seed ${seed}, limit ${limit}: `);
      expect(missingContent(parts, doc.contentLines), `seed ${seed}, limit ${limit}`).toBeUndefined();
    }
  });

  it('property: 300 apps of plan output at GitHub’s real limit', () => {
    const apps: string[] = [];
    const content: string[] = [];
    for (let app = 1; app <= 300; app++) {
      const diff = Array.from({ length: 40 }, (_, i) => `+   "node-${app}-${i}": {"type": "llm", "prompt": "${'p'.repeat(i * 3)}"}`);
      const rows = Array.from({ length: 8 }, (_, i) => `| node-${app}-${i} | ~ update | prompt changed |`);
      content.push(...rows, ...diff);
      apps.push(
        `<details><summary><b>app-${app}</b>: 8 nodes changed</summary>`,
        '',
        '| node | change | detail |',
        '| --- | --- | --- |',
        ...rows,
        '',
        '```diff',
        ...diff,
        '```',
        '</details>',
        '',
      );
    }
    const body = ['## dify-gitops plan: production', '', ...apps].join('\n');
    expect(body.length).toBeGreaterThan(10 * GITHUB_COMMENT_LIMIT);
    const parts = splitMarkdown(body, { reserve: 256 });
    expectWellFormed(parts, GITHUB_COMMENT_LIMIT - 256);
    expect(missingContent(parts, content)).toBeUndefined();
    expect(parts.length).toBeLessThanOrEqual(Math.ceil(body.length / (GITHUB_COMMENT_LIMIT - 256)) + 2);

    const capped = splitMarkdown(body, { reserve: 256, maxParts: 5, overflowNote: () => '[Full plan](https://example.test/artifact)' });
    expect(capped).toHaveLength(5);
    expectWellFormed(capped, GITHUB_COMMENT_LIMIT - 256);
    expect(capped[4]!.endsWith('\n\n[Full plan](https://example.test/artifact)')).toBe(true);
  });
});
