// DSL version rules (contract §4.3): how a Dify server treats the `version` of an imported file.
// Versions are compared by their release numbers, as Python's packaging.version does for the
// plain `x.y.z` strings Dify writes; pre/post/dev suffixes are accepted and ignored.

/** The newest DSL version any known Dify release writes (1.13.0 – 1.14.1). */
export const LATEST_KNOWN_DSL_VERSION = '0.6.0';

/** A missing `version` is read as this (contract §4.3). */
export const DEFAULT_DSL_VERSION = '0.1.0';

export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

const PEP440 = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)\d*)?(?:[-_.]?(?:post|rev|r)\d*)?(?:[-_.]?dev\d*)?(?:\+[a-z0-9.]+)?$/i;

/** Release numbers of a version string, or undefined when Python's packaging would reject it. */
export function parseDslVersion(version: string): [number, number, number] | undefined {
  const m = PEP440.exec(version.trim());
  if (!m) return undefined;
  const parts = (m[1] ?? '').split('.').map(Number);
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * What a server whose current DSL version is `current` answers when importing `imported`.
 * Servers at DSL 0.2.0 or later (Dify ≥ 1.3) use the newer rules; older servers the strict ones.
 */
export function importStatus(imported: string | undefined, current: string): ImportStatus {
  const file = parseDslVersion(imported ?? DEFAULT_DSL_VERSION);
  const server = parseDslVersion(current);
  if (!file || !server) return 'failed';
  if (compareVersions(server, [0, 2, 0]) >= 0) {
    if (compareVersions(file, server) > 0) return 'pending';
    if (file[0] < server[0]) return 'pending';
    if (file[1] < server[1]) return 'completed-with-warnings';
    return 'completed';
  }
  if (file[0] !== server[0] || file[1] !== server[1]) return 'pending';
  if (file[2] !== server[2]) return 'completed-with-warnings';
  return 'completed';
}
