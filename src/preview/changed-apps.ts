// Which apps a pull request changes, from the files it changes (git diff against the base). An
// app is changed when its manifest, its DSL or any other file in its manifest's directory
// changed, or an output schema one of its health checks uses; a change to the root config file
// changes every app (it holds policies and environments). Pure.

import { posix } from 'node:path';
import type { DesiredApp } from '../config/types.js';

export interface ChangedFilesInput {
  /** Repo-relative, `/`-separated paths (as `git diff --name-only --relative` prints them). */
  changedFiles: readonly string[];
  /** Repo-relative config file name (dify-gitops.yaml). */
  configFile: string;
}

export function selectChangedApps(desired: readonly DesiredApp[], input: ChangedFilesInput): DesiredApp[] {
  const changed = new Set(input.changedFiles.map((f) => posix.normalize(f.replaceAll('\\', '/'))));
  if (changed.has(posix.normalize(input.configFile))) return [...desired];
  return desired.filter((d) => {
    const dir = posix.dirname(d.source.manifestFile);
    if (changed.has(d.source.manifestFile) || changed.has(d.source.dslFile)) return true;
    if (dir !== '.' && [...changed].some((f) => f.startsWith(`${dir}/`))) return true;
    return d.healthChecks.some((c) => c.expect.schema !== undefined && changed.has(c.expect.schema.file));
  });
}
