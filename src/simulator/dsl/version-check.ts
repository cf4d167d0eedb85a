// Dify's DSL version compatibility check (contract §4.3), on PEP 440 versions like Python's
// `packaging.version`. Two eras: 'strict' (0.12–1.3.0: any major/minor difference is pending,
// a micro difference gives warnings) and 'relaxed' (≥1.3.1: newer or older-major is pending,
// older minor gives warnings, same minor completes).

export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

export interface Pep440Version {
  epoch: number;
  release: number[];
  pre: [number, number] | undefined;
  post: number | undefined;
  dev: number | undefined;
}

const PEP440 =
  /^\s*v?(?:(?<epoch>\d+)!)?(?<release>\d+(?:\.\d+)*)(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>\d+)?)?(?<post>-(?<postN1>\d+)|[-_.]?(?:post|rev|r)[-_.]?(?<postN2>\d+)?)?(?<dev>[-_.]?dev[-_.]?(?<devN>\d+)?)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\s*$/i;

export function parsePep440(text: string): Pep440Version | undefined {
  const g = PEP440.exec(text)?.groups;
  if (!g) return undefined;
  const preLabel = g.preL?.toLowerCase();
  const preRank = preLabel === undefined ? undefined : preLabel.startsWith('a') ? 0 : preLabel.startsWith('b') ? 1 : 2;
  return {
    epoch: Number(g.epoch ?? 0),
    release: (g.release ?? '0').split('.').map(Number),
    pre: preRank === undefined ? undefined : [preRank, Number(g.preN ?? 0)],
    post: g.post === undefined ? undefined : Number(g.postN1 ?? g.postN2 ?? 0),
    dev: g.dev === undefined ? undefined : Number(g.devN ?? 0),
  };
}

/** PEP 440 ordering (local labels ignored). */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  const len = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < len; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  const pre = (v: Pep440Version): number[] =>
    v.pre ?? (v.post === undefined && v.dev !== undefined ? [-Infinity] : [Infinity]);
  const c = compareTuples(pre(a), pre(b));
  if (c !== 0) return c;
  const post = (v: Pep440Version): number => v.post ?? -Infinity;
  if (post(a) !== post(b)) return post(a) < post(b) ? -1 : 1;
  const dev = (v: Pep440Version): number => v.dev ?? Infinity;
  if (dev(a) !== dev(b)) return dev(a) < dev(b) ? -1 : 1;
  return 0;
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function part(v: Pep440Version, i: number): number {
  return v.release[i] ?? 0;
}

export function checkVersionCompatibility(imported: string, current: string, rule: 'strict' | 'relaxed'): ImportStatus {
  const cur = parsePep440(current);
  const imp = parsePep440(imported);
  if (!cur || !imp) return 'failed';
  if (rule === 'strict') {
    if (part(cur, 0) !== part(imp, 0) || part(cur, 1) !== part(imp, 1)) return 'pending';
    if (part(cur, 2) !== part(imp, 2)) return 'completed-with-warnings';
    return 'completed';
  }
  if (comparePep440(imp, cur) > 0) return 'pending';
  if (part(imp, 0) < part(cur, 0)) return 'pending';
  if (part(imp, 1) < part(cur, 1)) return 'completed-with-warnings';
  return 'completed';
}
