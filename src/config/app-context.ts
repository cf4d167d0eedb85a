// What the per-app cross-file rules look at: the manifest (with positions), the facts of its DSL,
// and the environments of the repository. Shared by validate-overrides/secrets/health-checks.

import type { Diagnostic, Severity } from '../diagnostics.js';
import type { DslFacts } from './dsl-facts.js';
import type { PathSegment } from './field-path.js';
import type { WrittenAppManifest } from './written-types.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

export interface AppContext {
  manifest: WrittenAppManifest;
  source: YamlSource;
  facts: DslFacts;
  /** Repo-relative DSL file, for messages. */
  dslFile: string;
  /** Environments declared in dify-gitops.yaml. */
  environmentNames: readonly string[];
  /** `validate --env`: only this environment's per-environment rules run. */
  onlyEnvironment: string | undefined;
}

/** The app's environments that exist in the root config and are selected, with their manifest path. */
export function checkedEnvironments(ctx: AppContext): string[] {
  return Object.keys(ctx.manifest.environments).filter(
    (name) => ctx.environmentNames.includes(name) && (ctx.onlyEnvironment === undefined || ctx.onlyEnvironment === name),
  );
}

export function report(
  ctx: AppContext,
  out: Diagnostic[],
  segments: readonly PathSegment[],
  severity: Severity,
  code: string,
  message: string,
  options: { key?: boolean } = {},
): void {
  out.push(diagnosticAt(ctx.source, segments, severity, code, message, options));
}
