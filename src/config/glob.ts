// Glob patterns for `apps.manifests` (`workflows/*/app.yaml`, `apps/**/app.yaml`, `{a,b}`), as
// regular expressions over repo-relative forward-slash paths. Node 20 has no fs.glob and none of
// our dependencies ships one; this small subset is all the config needs.

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:[^/]+/)*' : '.*';
        i += slash ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        out += '\\{';
        continue;
      }
      out += `(?:${pattern.slice(i + 1, end).split(',').map(escape).join('|')})`;
      i = end;
    } else {
      out += escape(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

/** The directory part before the first wildcard: where a walk has to start. */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?{[]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

/** True when the pattern climbs out of the repository or is absolute. */
export function globEscapesRoot(pattern: string): boolean {
  return pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split('/').includes('..');
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}
