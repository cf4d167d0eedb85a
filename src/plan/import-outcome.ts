// The import outcome a plan can promise before importing (contract §4.3): which DSL version a Dify
// release writes, and whether importing a file of a given version answers completed, completed
// with warnings, pending (needs confirm) or failed. Pure.

import type { ImportExpectation, ServerFacts } from './types.js';

/** Dify's CURRENT_DSL_VERSION by release (contract §4.3), newest first: [minimum release, DSL]. */
const DSL_BY_RELEASE: readonly (readonly [string, string])[] = [
  ['1.13.0', '0.6.0'],
  ['1.10.0', '0.5.0'],
  ['1.8.0', '0.4.0'],
  ['1.7.0', '0.3.1'],
  ['1.4.0', '0.3.0'],
  ['1.3.0', '0.2.0'],
  ['0.14.2', '0.1.5'],
  ['0.13.0', '0.1.4'],
  ['0.12.0', '0.1.3'],
];

/** A missing `version` in a DSL file is read as this. */
const MISSING_VERSION = '0.1.0';

type Triple = [number, number, number];

export function parseVersionTriple(text: string): Triple | undefined {
  // Python's packaging accepts pre/post/dev suffixes; Dify only writes x.y.z. Release numbers decide.
  const match = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-_.+]?[a-z0-9.+_-]*)?\s*$/i.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The DSL version a Dify release writes; releases newer than the table get the newest known. */
export function dslVersionOfServer(serverVersion: string): string {
  const server = parseVersionTriple(serverVersion);
  if (server === undefined) return DSL_BY_RELEASE[0]![1];
  for (const [release, dsl] of DSL_BY_RELEASE) {
    if (compare(server, parseVersionTriple(release)!) >= 0) return dsl;
  }
  return '0.1.3';
}

/** The relaxed rule arrived in 1.3.1; 1.3.0 already wrote DSL 0.2.0 but still compared strictly. */
export function versionRuleOfServer(serverVersion: string): 'strict' | 'relaxed' {
  const server = parseVersionTriple(serverVersion);
  if (server === undefined) return 'relaxed';
  return compare(server, [1, 3, 1]) >= 0 ? 'relaxed' : 'strict';
}

export function expectImportOutcome(fileVersion: string | undefined, server: Pick<ServerFacts, 'dslVersion' | 'versionRule'>): ImportExpectation {
  const written = fileVersion === undefined || fileVersion === '' ? MISSING_VERSION : fileVersion;
  const file = parseVersionTriple(written);
  const current = parseVersionTriple(server.dslVersion);
  const base = { fileVersion: written, serverDslVersion: server.dslVersion };
  if (file === undefined || current === undefined) {
    return { ...base, status: 'failed', message: `DSL version ${written} is not a version Dify can read; the import would fail` };
  }
  const gap = `DSL ${written} → server ${server.dslVersion}`;
  if (server.versionRule === 'relaxed') {
    if (compare(file, current) > 0) return { ...base, status: 'pending', message: `${gap}: the file is newer than the server; the import waits for confirmation` };
    if (file[0] < current[0]) return { ...base, status: 'pending', message: `${gap}: older major version; the import waits for confirmation` };
    if (file[1] < current[1]) return { ...base, status: 'completed-with-warnings', message: `${gap}: older minor version; Dify imports it with warnings` };
    return { ...base, status: 'completed', message: `${gap}: compatible` };
  }
  if (file[0] !== current[0] || file[1] !== current[1]) {
    return { ...base, status: 'pending', message: `${gap}: major or minor differs (strict rule before Dify 1.3.1); the import waits for confirmation` };
  }
  if (file[2] !== current[2]) return { ...base, status: 'completed-with-warnings', message: `${gap}: micro version differs; Dify imports it with warnings` };
  return { ...base, status: 'completed', message: `${gap}: compatible` };
}
