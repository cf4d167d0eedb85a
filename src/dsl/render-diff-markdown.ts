// Markdown rendering of a DslDiff for PR comments and step summaries: a count table, then one
// bullet per change with field details folded in <details> as a ```diff block. Secret values
// are never rendered. Mermaid graph colouring is added by the PR-comment layer, not here.

import type { DslChange, DslDiff, FieldChange } from './diff-types.js';
import { SUBJECT_HEADINGS, changeLabel, changeNotes, groupBySubject, isSecretValue, preview, relativePath, singleValueChange, summaryLine } from './render-diff-shared.js';

const KIND_WORD: Record<DslChange['kind'], string> = { added: '**added**', removed: '**removed**', changed: '**changed**' };

export function renderDiffMarkdown(diff: DslDiff): string {
  if (diff.summary.total === 0) return 'No differences.\n';
  const s = diff.summary;
  const out: string[] = [
    summaryLine(diff),
    '',
    '| | added | changed | removed |',
    '|---|---:|---:|---:|',
    `| nodes | ${s.nodes.added} | ${s.nodes.changed} | ${s.nodes.removed} |`,
    `| edges | ${s.edges.added} | ${s.edges.rewired} rewired | ${s.edges.removed} |`,
    `| variables | ${s.variables.added} | ${s.variables.changed} | ${s.variables.removed} |`,
    `| other | | ${s.other} | |`,
  ];
  for (const [subject, changes] of groupBySubject(diff)) {
    out.push('', `#### ${SUBJECT_HEADINGS[subject]}`, '');
    for (const c of changes) {
      const notes = changeNotes(c);
      const single = singleValueChange(c);
      if (single && !isSecretValue(c, single)) {
        out.push(`- ${KIND_WORD[c.kind]} ${code(changeLabel(c))}: ${code(preview(single.before))} → ${code(preview(single.after))}`);
        continue;
      }
      out.push(`- ${KIND_WORD[c.kind]} ${code(changeLabel(c))}${notes.length > 0 ? ` — ${notes.map(escape).join('; ')}` : ''}`);
      if (c.kind !== 'changed' || c.subject === 'edge' || c.fields.length === 0) continue;
      const body = c.fields.flatMap((f) => fieldLines(c, f));
      const fence = fenceFor(body.join('\n'));
      out.push(
        '',
        `  <details><summary>${c.fields.length} field change${c.fields.length === 1 ? '' : 's'}</summary>`,
        '',
        `  ${fence}diff`,
        ...body.map((l) => `  ${l}`),
        `  ${fence}`,
        '',
        '  </details>',
      );
    }
  }
  return `${out.join('\n')}\n`;
}

function fieldLines(c: DslChange, f: FieldChange): string[] {
  const where = relativePath(c, f);
  if (isSecretValue(c, f)) return [`! ${where}: secret value changed (not shown)`];
  if (f.lines) return [`! ${where}:`, ...f.lines.map((l) => `${l.op === 'add' ? '+' : l.op === 'remove' ? '-' : ' '} ${l.text}`)];
  if (f.op === 'add') return [`+ ${where}: ${preview(f.after, 200)}`];
  if (f.op === 'remove') return [`- ${where}: ${preview(f.before, 200)}`];
  return [`- ${where}: ${preview(f.before, 200)}`, `+ ${where}: ${preview(f.after, 200)}`];
}

/** A code fence longer than any backtick run inside, so user text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escape(text: string): string {
  return text.replace(/[\\`*_[\]<|]/g, (ch) => `\\${ch}`);
}
