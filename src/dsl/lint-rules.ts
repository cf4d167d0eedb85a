// The catalogue of DSL lint rules: stable code, name, default severity and one line of docs.
// Codes never change meaning once published; a retired rule keeps its code unused.
// docs/dsl.md renders this table; tests check the two agree.

import type { Severity } from '../diagnostics.js';

export interface LintRule {
  code: string;
  name: string;
  severity: Severity;
  description: string;
}

export const LINT_RULES = [
  { code: 'DSL001', name: 'dangling-edge', severity: 'error', description: 'An edge whose source or target node does not exist.' },
  { code: 'DSL002', name: 'duplicate-node-id', severity: 'error', description: 'Two nodes share an id; Dify keeps only one of them.' },
  { code: 'DSL003', name: 'duplicate-edge-id', severity: 'warning', description: 'Two edges share an id; the editor cannot tell them apart.' },
  { code: 'DSL004', name: 'no-entry-node', severity: 'error', description: 'A workflow or chatflow without a start node or a trigger node.' },
  { code: 'DSL005', name: 'start-and-trigger', severity: 'error', description: 'A start node and a trigger node in one workflow; Dify rejects the draft and publish.' },
  { code: 'DSL006', name: 'missing-output-node', severity: 'error', description: 'A workflow without an end node, or a chatflow (advanced-chat) without an answer node.' },
  { code: 'DSL007', name: 'unknown-node-reference', severity: 'error', description: 'A `{{#node.var#}}` template or value selector names a node that does not exist.' },
  { code: 'DSL008', name: 'unknown-node-output', severity: 'error', description: 'A reference to a variable the node does not produce (checked only for node types whose outputs are known).' },
  { code: 'DSL009', name: 'undeclared-variable', severity: 'error', description: 'An `env.*` or `conversation.*` reference to a variable the workflow does not declare.' },
  { code: 'DSL010', name: 'unknown-system-variable', severity: 'warning', description: 'A `sys.*` reference to a system variable Dify does not provide.' },
  { code: 'DSL011', name: 'unreferenceable-node-id', severity: 'error', description: 'A template references a node whose id breaks `[a-zA-Z0-9_]{1,50}`, so Dify leaves the template unexpanded.' },
  { code: 'DSL012', name: 'unreachable-node', severity: 'warning', description: 'A node that cannot be reached from the start or trigger node (notes are ignored).' },
  { code: 'DSL013', name: 'cycle', severity: 'error', description: 'Edges form a cycle; only iteration and loop nodes may repeat work.' },
  { code: 'DSL014', name: 'orphan-child-node', severity: 'error', description: 'A node inside an iteration or loop whose parent is missing or is not an iteration or loop.' },
  { code: 'DSL015', name: 'missing-model', severity: 'error', description: 'An LLM, question-classifier, parameter-extractor or agent node without a model provider and name.' },
  { code: 'DSL016', name: 'plaintext-secret', severity: 'error', description: 'A secret environment variable with a literal value: a plaintext secret in git.' },
  { code: 'DSL017', name: 'mode-section-mismatch', severity: 'error', description: 'app.mode is missing or unknown, or does not match the top-level section (`workflow` or `model_config`).' },
  { code: 'DSL018', name: 'dsl-version', severity: 'warning', description: 'The DSL version is unparsable, newer than the target Dify accepts, or older with import warnings.' },
  { code: 'DSL019', name: 'unmapped-dataset', severity: 'error', description: 'A knowledge base is not mapped for the target environment; Dify would silently drop it.' },
  { code: 'DSL020', name: 'node-without-type', severity: 'error', description: 'A node without `data.type`; Dify cannot build it.' },
  { code: 'DSL021', name: 'missing-graph', severity: 'error', description: 'A `workflow` section without `graph` (nodes placed elsewhere are ignored by Dify).' },
  { code: 'DSL022', name: 'invalid-variable', severity: 'error', description: 'An environment or conversation variable with an unsupported type or no value.' },
  { code: 'DSL023', name: 'duplicate-variable-name', severity: 'warning', description: 'Two environment or conversation variables share a name; Dify keeps only the last.' },
] as const satisfies readonly LintRule[];

export type LintCode = (typeof LINT_RULES)[number]['code'];

export function lintRule(codeOrName: string): LintRule | undefined {
  return LINT_RULES.find((r) => r.code === codeOrName || r.name === codeOrName);
}
