// Preflight findings: what can be known before touching Dify that would make an apply fail or
// surprise. Knowledge bases are mapped fail-closed (every reference needs a mapping in the
// environment); plugins the DSL depends on are compared with those seen installed in the
// environment (apply asks Dify authoritatively after import); the import's DSL version gap; and
// secrets that would start empty. Pure.

import { collectDslFacts } from '../config/dsl-facts.js';
import type { DesiredApp } from '../config/types.js';
import type { DslDocument } from '../dsl/index.js';
import type { Finding, ImportExpectation, PlannedSecret } from './types.js';

export interface PreflightInput {
  desired: DesiredApp;
  importOutcome: ImportExpectation | null;
  secrets: readonly PlannedSecret[];
  /** Plugin ids (`org/name`) seen installed in the environment; undefined: unknown, not checked. */
  installedPlugins: ReadonlySet<string> | undefined;
}

export function preflightFindings(input: PreflightInput): Finding[] {
  const { desired } = input;
  const findings: Finding[] = [];
  const facts = collectDslFacts(desired.source.dsl.dsl);

  for (const logical of [...facts.datasets].sort()) {
    if (!Object.hasOwn(desired.datasets, logical)) {
      findings.push({
        severity: 'error',
        code: 'unmapped-dataset',
        message: `knowledge base \`${logical}\` has no mapping for environment ${desired.environment} (add environments.${desired.environment}.datasets.${logical} to ${desired.source.manifestFile})`,
      });
    }
  }

  if (input.installedPlugins !== undefined) {
    for (const plugin of pluginIdsOf(desired.source.dsl.dsl)) {
      if (!input.installedPlugins.has(plugin)) {
        findings.push({
          severity: 'warning',
          code: 'missing-plugin',
          message: `plugin ${plugin} is not used by any app in ${desired.environment}; it may not be installed (apply checks with Dify after import and stops before publishing if it is missing)`,
        });
      }
    }
  }

  const outcome = input.importOutcome;
  if (outcome !== null) {
    if (outcome.status === 'failed') findings.push({ severity: 'error', code: 'import-version', message: outcome.message });
    if (outcome.status === 'pending') {
      findings.push(
        desired.policies.allowPendingImport
          ? { severity: 'warning', code: 'import-pending', message: `${outcome.message}; policies.allowPendingImport is on, so apply confirms it` }
          : { severity: 'error', code: 'import-pending', message: `${outcome.message}; apply stops here unless policies.allowPendingImport is set` },
      );
    }
    if (outcome.status === 'completed-with-warnings') findings.push({ severity: 'info', code: 'import-warnings', message: outcome.message });
  }

  for (const secret of input.secrets) {
    if (secret.effect === 'empty') {
      findings.push({
        severity: 'warning',
        code: 'secret-without-value',
        message: `secret ${secret.variable} has no binding for ${desired.environment} and no live value: it will be created empty (bind it under secrets: in ${desired.source.manifestFile})`,
      });
    }
  }
  return findings;
}

/** `org/name` of each plugin in a DSL's dependencies (identifiers look like `org/name:1.2.3@sha`). */
export function pluginIdsOf(dsl: DslDocument): string[] {
  const ids = new Set<string>();
  for (const dependency of dsl.dependencies ?? []) {
    const value = dependency.value ?? {};
    const identifier = [value.marketplace_plugin_unique_identifier, value.plugin_unique_identifier, value.github_plugin_unique_identifier].find(
      (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
    );
    if (identifier !== undefined) ids.add(identifier.split(/[:@]/)[0]!);
  }
  return [...ids].sort();
}

/**
 * `org/name` of each plugin a live graph uses (llm, classifier and extractor model providers,
 * tool providers), read from provider ids such as `langgenius/openai/openai`. Plan reads workflow
 * apps as JSON records, which have no `dependencies` section; the plugins their graphs use are
 * the environment's evidence of what is installed (as "used by an app" in the finding says).
 */
export function pluginIdsOfGraph(dsl: DslDocument): string[] {
  const ids = new Set<string>();
  for (const node of dsl.workflow?.graph?.nodes ?? []) {
    const data = node.data as Record<string, unknown> | undefined;
    const model = data?.model as { provider?: unknown } | undefined;
    for (const provider of [model?.provider, data?.type === 'tool' ? data.provider_id : undefined]) {
      const parts = typeof provider === 'string' ? provider.split('/') : [];
      if (parts.length === 3 && parts.every((part) => part !== '')) ids.add(`${parts[0]}/${parts[1]}`);
    }
  }
  return [...ids].sort();
}
