// `expect.serverVersion` ranges: space-separated comparators on major.minor.patch, all of which
// must hold (`>=1.9.2 <2.0.0`, `1.14.1`, `<1.13`). Missing minor/patch parts count as 0.

export function satisfiesVersionRange(version: string, range: string): boolean {
  const actual = parseVersion(version);
  if (actual === undefined) return false;
  const comparators = range.trim().match(/(>=|<=|>|<|=)?\s*[0-9]+(?:\.[0-9]+){0,2}/g) ?? [];
  return comparators.every((comparator) => {
    const match = /^(>=|<=|>|<|=)?\s*(.+)$/.exec(comparator.trim());
    const wanted = parseVersion(match?.[2] ?? '');
    if (wanted === undefined) return false;
    const order = compareVersions(actual, wanted);
    switch (match?.[1] ?? '=') {
      case '>=':
        return order >= 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '<':
        return order < 0;
      default:
        return order === 0;
    }
  });
}

function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
