// The `lint` section of dify-gitops.yaml: per-rule severities for DSL lint, by rule code or name.
// Pure. An unknown rule is an error with a suggestion, so a typo never silently keeps a rule on.

import type { Diagnostic, Severity } from '../diagnostics.js';
import { LINT_RULES, lintRule } from '../dsl/index.js';
import { suggestion } from './field-path.js';
import type { WrittenConfig } from './written-types.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

export type LintSeverities = Record<string, Severity | 'off'>;

export function resolveLintSeverities(
  written: WrittenConfig['lint'],
  source: YamlSource,
): { severities: LintSeverities; diagnostics: Diagnostic[] } {
  const severities: LintSeverities = {};
  const diagnostics: Diagnostic[] = [];
  const known = LINT_RULES.flatMap((r) => [r.code, r.name]);
  for (const [key, value] of Object.entries(written?.severities ?? {})) {
    const rule = lintRule(key);
    if (rule === undefined) {
      diagnostics.push(
        diagnosticAt(source, ['lint', 'severities', key], 'error', 'lint-unknown-rule', `unknown lint rule \`${key}\`${suggestion(key, known)}`, { key: true }),
      );
      continue;
    }
    severities[rule.code] = value;
  }
  return { severities, diagnostics };
}
