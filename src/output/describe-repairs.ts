// Says, in words, what was wrong with a piece of JSON-like text that jsonrepair then fixed. The
// repair itself is jsonrepair's; this is a light lexer that only recognises the classic LLM
// mistakes so a reviewer reads "removed trailing commas" rather than "repaired". Pure.

export type RepairKind =
  | 'comments'
  | 'single-quotes'
  | 'smart-quotes'
  | 'python-literals'
  | 'unquoted-keys'
  | 'trailing-commas'
  | 'control-characters'
  | 'truncated';

const MESSAGES: Record<Exclude<RepairKind, 'truncated'>, string> = {
  comments: 'removed comments',
  'single-quotes': 'replaced single quotes with double quotes',
  'smart-quotes': 'replaced typographic quotes (\u201C \u201D \u2018 \u2019) with double quotes',
  'python-literals': 'converted Python literals (True, False, None) to JSON',
  'unquoted-keys': 'quoted unquoted keys',
  'trailing-commas': 'removed trailing commas',
  'control-characters': 'escaped raw line breaks or control characters inside strings',
};

const ORDER: RepairKind[] = [
  'comments',
  'single-quotes',
  'smart-quotes',
  'python-literals',
  'unquoted-keys',
  'trailing-commas',
  'control-characters',
  'truncated',
];

/** Closing quote for each opening quote character a model uses. */
const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '\u201C': '\u201D', '\u2018': '\u2019' };

/** One readable step per kind of repair found, in a fixed order; never empty for repaired text. */
export function describeRepairs(text: string): string[] {
  const found = new Set<RepairKind>();
  const open: string[] = [];
  let unclosedString = false;
  let lastSignificant = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const closer = CLOSERS[ch];
    if (closer !== undefined) {
      if (ch === "'") found.add('single-quotes');
      else if (ch !== '"') found.add('smart-quotes');
      const end = skipString(text, i + 1, closer);
      if (end.controlCharacters) found.add('control-characters');
      if (end.index === undefined) {
        unclosedString = true;
        break;
      }
      i = end.index;
      lastSignificant = '"';
      continue;
    }
    if (text.startsWith('//', i) || text.startsWith('/*', i)) {
      found.add('comments');
      const close = ch === '/' && text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + (text[i + 1] === '*' ? 2 : 1);
      continue;
    }
    if (ch === '{' || ch === '[') open.push(ch);
    else if (ch === '}' || ch === ']') {
      if (lastSignificant === ',') found.add('trailing-commas');
      open.pop();
    } else if (/[A-Za-z_$]/.test(ch)) {
      const word = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 128))![0];
      let next = i + word.length;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] === ':' && open.at(-1) === '{') found.add('unquoted-keys');
      else if (word === 'True' || word === 'False' || word === 'None') found.add('python-literals');
      i += word.length;
      lastSignificant = 'w';
      continue;
    }
    if (!/\s/.test(ch)) lastSignificant = ch;
    i++;
  }
  const steps = ORDER.filter((kind) => kind !== 'truncated' && found.has(kind)).map(
    (kind) => MESSAGES[kind as Exclude<RepairKind, 'truncated'>],
  );
  const truncated = describeTruncation(open, unclosedString);
  if (truncated !== undefined) steps.push(truncated);
  return steps.length > 0 ? steps : ['repaired malformed JSON (missing commas, stray characters or similar)'];
}

/** Index just past the closing quote (undefined when the text ends first) and whether raw control chars appeared. */
function skipString(text: string, from: number, closer: string): { index: number | undefined; controlCharacters: boolean } {
  let controlCharacters = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && closer !== '\u201D' && closer !== '\u2019') {
      i++;
      continue;
    }
    if (ch === closer) return { index: i + 1, controlCharacters };
    if (ch.charCodeAt(0) < 0x20) controlCharacters = true;
  }
  return { index: undefined, controlCharacters };
}

function describeTruncation(open: string[], unclosedString: boolean): string | undefined {
  if (open.length === 0 && !unclosedString) return undefined;
  const closed: string[] = unclosedString ? ['a string'] : [];
  for (const bracket of [...open].reverse()) closed.push(bracket === '{' ? 'an object' : 'an array');
  return `completed truncated JSON (closed ${closed.join(', ')})`;
}
