// Checks that a parsed YAML value has the container shapes DslDocument promises (mappings where
// Dify reads mappings, lists where it iterates, strings where it compares ids). Anything else is
// left alone: unknown keys and scalar details are the linter's business, not the parser's.

import { isRecord, type JsonPath } from './types.js';

export interface ShapeProblem {
  path: JsonPath;
  message: string;
}

type Kind = 'mapping' | 'list' | 'string';

export function checkDslShape(value: unknown): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  if (!isRecord(value)) {
    problems.push({ path: [], message: 'a DSL file must be a YAML mapping with `app`, `kind`, `version` and `workflow` or `model_config`' });
    return problems;
  }
  if (isEnvelope(value)) {
    problems.push({
      path: ['data'],
      message: 'this is a Dify API response ({"data": "<DSL as a string>"}), not a DSL file; save the value of `data` instead',
    });
    return problems;
  }
  if (value.app === undefined) {
    problems.push({ path: [], message: 'missing `app` (Dify rejects this with "Missing app data in YAML content")' });
  }
  const expect = (path: JsonPath, actual: unknown, kind: Kind, required = false): boolean => {
    if (actual === undefined && !required) return false;
    if (kindOf(actual) === kind) return true;
    problems.push({ path, message: `\`${path.join('.')}\` must be a ${kind}, not ${describe(actual)}${hint(kind, actual)}` });
    return false;
  };

  if (expect(['app'], value.app, 'mapping')) {
    const app = value.app as Record<string, unknown>;
    for (const key of ['name', 'mode'] as const) expect(['app', key], app[key], 'string');
    for (const key of ['icon', 'icon_type', 'icon_background', 'description'] as const) {
      if (app[key] !== null) expect(['app', key], app[key], 'string');
    }
  }
  expect(['kind'], value.kind, 'string');
  expect(['version'], value.version, 'string');
  if (expect(['dependencies'], value.dependencies, 'list')) {
    (value.dependencies as unknown[]).forEach((dep, i) => expect(['dependencies', i], dep, 'mapping', true));
  }
  expect(['model_config'], value.model_config, 'mapping');
  if (expect(['workflow'], value.workflow, 'mapping')) checkWorkflow(value.workflow as Record<string, unknown>, expect);
  return problems;
}

function checkWorkflow(
  workflow: Record<string, unknown>,
  expect: (path: JsonPath, actual: unknown, kind: Kind, required?: boolean) => boolean,
): void {
  expect(['workflow', 'features'], workflow.features, 'mapping');
  for (const key of ['environment_variables', 'conversation_variables'] as const) {
    if (!expect(['workflow', key], workflow[key], 'list')) continue;
    (workflow[key] as unknown[]).forEach((item, i) => {
      if (expect(['workflow', key, i], item, 'mapping', true)) {
        expect(['workflow', key, i, 'name'], (item as Record<string, unknown>).name, 'string', true);
      }
    });
  }
  if (!expect(['workflow', 'graph'], workflow.graph, 'mapping')) return;
  const graph = workflow.graph as Record<string, unknown>;
  if (expect(['workflow', 'graph', 'nodes'], graph.nodes, 'list')) {
    (graph.nodes as unknown[]).forEach((node, i) => {
      const at = ['workflow', 'graph', 'nodes', i];
      if (!expect(at, node, 'mapping', true)) return;
      const n = node as Record<string, unknown>;
      expect([...at, 'id'], n.id, 'string', true);
      expect([...at, 'data'], n.data, 'mapping', true);
      expect([...at, 'type'], n.type, 'string');
      expect([...at, 'parentId'], n.parentId, 'string');
      if (isRecord(n.data)) expect([...at, 'data', 'type'], n.data.type, 'string');
    });
  }
  if (expect(['workflow', 'graph', 'edges'], graph.edges, 'list')) {
    (graph.edges as unknown[]).forEach((edge, i) => {
      const at = ['workflow', 'graph', 'edges', i];
      if (!expect(at, edge, 'mapping', true)) return;
      const e = edge as Record<string, unknown>;
      expect([...at, 'source'], e.source, 'string', true);
      expect([...at, 'target'], e.target, 'string', true);
      expect([...at, 'sourceHandle'], e.sourceHandle, 'string');
      expect([...at, 'targetHandle'], e.targetHandle, 'string');
      expect([...at, 'id'], e.id, 'string');
    });
  }
}

/** `{"data": "app: ..."}`: the body of GET /apps/<id>/export saved as-is (contract §3). */
function isEnvelope(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'data' && typeof value.data === 'string' && /(^|\n)app:/.test(value.data);
}

function kindOf(value: unknown): Kind | 'other' {
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'list';
  if (isRecord(value) && !(value instanceof Date)) return 'mapping';
  return 'other';
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (isRecord(value)) return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function hint(kind: Kind, actual: unknown): string {
  if (kind === 'string' && (typeof actual === 'number' || typeof actual === 'boolean' || actual instanceof Date)) {
    return ' (quote it, e.g. \'...\')';
  }
  return '';
}
