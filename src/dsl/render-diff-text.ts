// Terminal rendering of a DslDiff: one line per change, field changes indented below, prompt and
// code edits as +/- line diffs. Colour only when asked (the CLI asks when stdout is a TTY).

import type { DslChange, DslDiff, FieldChange } from './diff-types.js';
import { SUBJECT_HEADINGS, changeLabel, changeNotes, groupBySubject, isSecretValue, preview, relativePath, singleValueChange, summaryLine } from './render-diff-shared.js';

export interface RenderTextOptions {
  color?: boolean;
}

const ANSI = { green: '\u001b[32m', red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };
const MARK: Record<DslChange['kind'], string> = { added: '+', removed: '-', changed: '~' };

export function renderDiffText(diff: DslDiff, options: RenderTextOptions = {}): string {
  const paint = (color: keyof typeof ANSI, text: string): string => (options.color ? `${ANSI[color]}${text}${ANSI.reset}` : text);
  const kindColor = (kind: DslChange['kind']): keyof typeof ANSI => (kind === 'added' ? 'green' : kind === 'removed' ? 'red' : 'yellow');
  const lines: string[] = [];
  for (const [subject, changes] of groupBySubject(diff)) {
    lines.push(paint('bold', SUBJECT_HEADINGS[subject]));
    for (const c of changes) {
      const notes = changeNotes(c);
      const single = singleValueChange(c);
      if (single && !isSecretValue(c, single)) {
        lines.push(`  ${paint('yellow', `~ ${changeLabel(c)}:`)} ${paint('red', preview(single.before))} -> ${paint('green', preview(single.after))}`);
        continue;
      }
      lines.push(`  ${paint(kindColor(c.kind), `${MARK[c.kind]} ${changeLabel(c)}`)}${notes.length > 0 ? paint('dim', `  [${notes.join('; ')}]`) : ''}`);
      if (c.kind !== 'changed' || c.subject === 'edge') continue;
      for (const f of c.fields) lines.push(...renderField(c, f, paint));
    }
  }
  lines.push(summaryLine(diff));
  return `${lines.join('\n')}\n`;
}

function renderField(c: DslChange, f: FieldChange, paint: (color: keyof typeof ANSI, text: string) => string): string[] {
  const where = relativePath(c, f);
  if (isSecretValue(c, f)) return [`      ~ ${where}: (secret value changed)`];
  if (f.lines) {
    const out = [`      ~ ${where}:`];
    for (const l of f.lines) {
      if (l.op === 'same') out.push(paint('dim', `          ${l.text}`));
      else out.push(paint(l.op === 'add' ? 'green' : 'red', `        ${l.op === 'add' ? '+' : '-'} ${l.text}`));
    }
    return out;
  }
  if (f.op === 'add') return [paint('green', `      + ${where}: ${preview(f.after)}`)];
  if (f.op === 'remove') return [paint('red', `      - ${where}: ${preview(f.before)}`)];
  return [`      ~ ${where}: ${paint('red', preview(f.before))} -> ${paint('green', preview(f.after))}`];
}
