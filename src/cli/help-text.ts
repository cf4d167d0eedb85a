// Command descriptions are written as short source lines; commander wraps help to the terminal's
// width itself, so a hard newline inside a paragraph would break lines twice. Paragraphs (blank
// lines), indented lines and list items keep their breaks.

export function reflowDescription(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const previous = out.at(-1);
    const joins = previous !== undefined && previous !== '' && line !== '' && !/^\s|^[-*•] /.test(line);
    if (joins) out[out.length - 1] = `${previous} ${line}`;
    else out.push(line);
  }
  return out.join('\n');
}
