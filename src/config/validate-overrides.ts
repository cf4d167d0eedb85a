// Overrides must point at something real: an env var the DSL declares (not a secret: those take
// bindings), a node id that exists, a field path that exists in that node's data or in
// model_config. A typo must fail validation, not silently add a field in production.

import type { Diagnostic } from '../diagnostics.js';
import { isNumericVarType } from './dsl-facts.js';
import { jsonTypeOf, suggestion, type PathSegment } from './field-path.js';
import { getAtPointer } from './json-pointer.js';
import { report, type AppContext } from './app-context.js';
import type { WrittenOverrides } from './written-types.js';

const WORKFLOW_MODES = new Set(['workflow', 'advanced-chat']);

export function validateOverrides(ctx: AppContext, overrides: WrittenOverrides | undefined, at: PathSegment[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (overrides === undefined) return out;
  const { facts, dslFile } = ctx;

  for (const [name, value] of Object.entries(overrides.envVars ?? {})) {
    const path = [...at, 'envVars', name];
    const type = facts.envVars.get(name);
    if (type === undefined) {
      report(ctx, out, path, 'error', 'override-unknown-env-var', `${dslFile} has no environment variable \`${name}\`${suggestion(name, facts.envVars.keys())}`, { key: true });
    } else if (type === 'secret') {
      report(ctx, out, path, 'error', 'override-secret-env-var', `\`${name}\` is a secret variable: bind it under \`secrets:\` instead of writing its value in git`, { key: true });
    } else if (isNumericVarType(type) !== (typeof value === 'number')) {
      report(ctx, out, path, 'error', 'override-type', `\`${name}\` is a ${type} variable; the override must be a ${isNumericVarType(type) ? 'number' : 'string'} (got ${jsonTypeOf(value)})`);
    }
  }

  const nodes = overrides.nodes ?? {};
  if (Object.keys(nodes).length > 0 && facts.mode !== undefined && !WORKFLOW_MODES.has(facts.mode)) {
    report(ctx, out, [...at, 'nodes'], 'error', 'override-wrong-mode', `${facts.mode} apps have no graph nodes; use \`modelConfig\` overrides`, { key: true });
  } else {
    for (const [nodeId, fields] of Object.entries(nodes)) {
      const node = facts.nodes.get(nodeId);
      if (node === undefined) {
        report(ctx, out, [...at, 'nodes', nodeId], 'error', 'override-unknown-node', `${dslFile} has no node \`${nodeId}\`${suggestion(nodeId, facts.nodes.keys())}`, { key: true });
        continue;
      }
      for (const [pointer, value] of Object.entries(fields)) {
        checkField(ctx, out, [...at, 'nodes', nodeId, pointer], node.data, pointer, value, `node \`${nodeId}\`'s data`);
      }
    }
  }

  const modelConfig = overrides.modelConfig ?? {};
  if (Object.keys(modelConfig).length > 0) {
    if (facts.mode !== undefined && WORKFLOW_MODES.has(facts.mode)) {
      report(ctx, out, [...at, 'modelConfig'], 'error', 'override-wrong-mode', `${facts.mode} apps have no model_config; override node fields under \`nodes\``, { key: true });
    } else {
      const config: unknown = ctx.facts.modelConfig ?? {};
      for (const [pointer, value] of Object.entries(modelConfig)) {
        checkField(ctx, out, [...at, 'modelConfig', pointer], config, pointer, value, 'model_config');
      }
    }
  }
  return out;
}

function checkField(ctx: AppContext, out: Diagnostic[], path: PathSegment[], root: unknown, pointer: string, value: unknown, where: string): void {
  const lookup = getAtPointer(root, pointer);
  if (!lookup.found) {
    const detail = lookup.missingAt === pointer ? '' : ` (${lookup.missingAt} is missing)`;
    report(ctx, out, path, 'error', 'override-path-missing', `\`${pointer}\` does not exist in ${where} in ${ctx.dslFile}${detail}`, { key: true });
    return;
  }
  const before = jsonTypeOf(lookup.value);
  const after = jsonTypeOf(value);
  const numeric = new Set(['integer', 'number']);
  if (before !== after && !(numeric.has(before) && numeric.has(after)) && lookup.value !== null) {
    report(ctx, out, path, 'warning', 'override-type-change', `replaces a ${before} with a ${after}`);
  }
}
