// Sorts the keys of every block mapping in YAML text at the level of the concrete syntax tree:
// entries move as whole blocks of source, so every scalar keeps its exact text (quotes, folding,
// block literals), comments travel with the entry below them, and nothing is re-serialised.
// A Dify export, already sorted, comes out byte for byte except for its dependency order.
// Flow collections (`{…}`, `[…]`) are left as written. Blank lines between entries are dropped
// and comment lines take the indentation of their entry.

import { CST, Parser } from 'yaml';
import { compareKeys } from './normalize-graph.js';

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type Item = CST.BlockMap['items'][number] | CST.BlockSequence['items'][number];

/** New order for the items of a block sequence at `path` (indexes into the old order), if any. */
export type SeqOrder = (path: readonly (string | number)[], length: number) => number[] | undefined;

/** The sorted text, or undefined when the text is not a single plain YAML document. */
export function sortYamlKeys(text: string, seqOrder: SeqOrder): string | undefined {
  const source = text.endsWith('\n') ? text : `${text}\n`;
  const tokens = [...new Parser().parse(source)];
  const docs = tokens.filter((t) => t.type === 'document');
  if (docs.length !== 1 || tokens.some((t) => t.type === 'error')) return undefined;
  const doc = docs[0] as CST.Document;
  if (doc.value) visit(doc.value, [], seqOrder);
  return tokens.map((t) => CST.stringify(t)).join('');
}

function visit(token: Token, path: (string | number)[], seqOrder: SeqOrder): void {
  if (token.type === 'block-map') {
    const keyed = token.items.map((item) => ({ item, key: keyText(item) }));
    for (const { item, key } of keyed) if (item.value) visit(item.value, [...path, key], seqOrder);
    const sorted = [...keyed].sort((a, b) => compareKeys(a.key, b.key)).map((k) => k.item);
    reorder(token, sorted);
  } else if (token.type === 'block-seq') {
    token.items.forEach((item, i) => item.value && visit(item.value, [...path, i], seqOrder));
    const order = seqOrder(path, token.items.length);
    reorder(token, order ? order.map((i) => token.items[i]!) : token.items);
  }
}

function reorder(token: CST.BlockMap | CST.BlockSequence, items: Item[]): void {
  items.forEach((item, i) => (item.start = normalizeStart(item.start, token.indent, i === 0)));
  token.items = items;
}

/**
 * The tokens before an entry's key (or `-`): comment lines, then the entry line's lead. The
 * first entry's first line is indented by its parent, every other line by the collection.
 */
function normalizeStart(start: SourceToken[], indent: number, first: boolean): SourceToken[] {
  const lines: SourceToken[][] = [[]];
  for (const t of start) {
    lines[lines.length - 1]!.push(t);
    if (t.type === 'newline') lines.push([]);
  }
  const lead = lines.pop() ?? [];
  const out: SourceToken[] = [];
  const pad = (): SourceToken => ({ type: 'space', offset: 0, indent, source: ' '.repeat(indent) });
  for (const line of lines) {
    const body = trimLeadingSpace(line);
    if (body.every((t) => t.type === 'space' || t.type === 'newline')) continue; // a blank line
    if (indent > 0 && (out.length > 0 || !first)) out.push(pad());
    out.push(...body);
  }
  if (indent > 0 && (out.length > 0 || !first)) out.push(pad());
  out.push(...trimLeadingSpace(lead));
  return out;
}

function trimLeadingSpace(tokens: SourceToken[]): SourceToken[] {
  let i = 0;
  while (i < tokens.length && tokens[i]!.type === 'space') i++;
  return tokens.slice(i);
}

/** The key as PyYAML sorts it: its string value. */
function keyText(item: Item): string {
  const key = 'key' in item ? item.key : undefined;
  if (!key) return '';
  const scalar = CST.isScalar(key) ? CST.resolveAsScalar(key) : undefined;
  return scalar ? scalar.value : CST.stringify(key);
}
