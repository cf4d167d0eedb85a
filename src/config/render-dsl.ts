// The DSL one environment should receive: the document from git with that environment's
// overrides applied (env var values, node fields, model_config fields), knowledge-base logical
// names replaced by the environment's dataset ids, and tool credentials set. Pure; never mutates
// the shared document. Secret values are not handled here: apply injects them from their sources.

import { isRecord, type DslDocument } from '../dsl/types.js';
import { setAtPointer } from './json-pointer.js';
import type { DesiredApp, Override } from './types.js';

export function renderEnvironmentDsl(desired: DesiredApp): DslDocument {
  let dsl = desired.source.dsl.dsl;
  for (const override of desired.overrides) dsl = applyOverride(dsl, override);
  dsl = mapReferences(dsl, desired.datasets, desired.toolCredentials);
  return dsl;
}

export function applyOverride(dsl: DslDocument, override: Override): DslDocument {
  switch (override.kind) {
    case 'envVar': {
      const vars = dsl.workflow?.environment_variables ?? [];
      const index = vars.findIndex((v) => v.name === override.name);
      return index < 0 ? dsl : setAtPointer(dsl, `/workflow/environment_variables/${index}/value`, override.value);
    }
    case 'node': {
      const nodes = dsl.workflow?.graph?.nodes ?? [];
      const index = nodes.findIndex((n) => n.id === override.nodeId);
      return index < 0 ? dsl : setAtPointer(dsl, `/workflow/graph/nodes/${index}/data${override.pointer}`, override.value);
    }
    case 'modelConfig':
      return setAtPointer(dsl, `/model_config${override.pointer}`, override.value);
  }
}

function mapReferences(dsl: DslDocument, datasets: Record<string, string>, tools: Record<string, string>): DslDocument {
  const mapDataset = (id: unknown): unknown => (typeof id === 'string' && Object.hasOwn(datasets, id) ? datasets[id] : id);
  let out = dsl;
  const nodes = dsl.workflow?.graph?.nodes ?? [];
  nodes.forEach((node, index) => {
    const data = node.data;
    if (data.type === 'knowledge-retrieval' && Array.isArray(data.dataset_ids)) {
      out = setAtPointer(out, `/workflow/graph/nodes/${index}/data/dataset_ids`, (data.dataset_ids as unknown[]).map(mapDataset));
    }
    if (data.type === 'tool' && typeof data.provider_id === 'string' && Object.hasOwn(tools, data.provider_id)) {
      out = setAtPointer(out, `/workflow/graph/nodes/${index}/data`, { ...data, credential_id: tools[data.provider_id] });
    }
  });
  const config = dsl.model_config;
  if (isRecord(config)) {
    const datasetConfigs = isRecord(config.dataset_configs) ? config.dataset_configs : undefined;
    const list = datasetConfigs !== undefined && isRecord(datasetConfigs.datasets) ? datasetConfigs.datasets.datasets : undefined;
    if (Array.isArray(list)) {
      const mapped = list.map((entry: unknown) =>
        isRecord(entry) && isRecord(entry.dataset) ? { ...entry, dataset: { ...entry.dataset, id: mapDataset(entry.dataset.id) } } : entry,
      );
      out = setAtPointer(out, '/model_config/dataset_configs/datasets/datasets', mapped);
    }
    const agentMode = isRecord(config.agent_mode) ? config.agent_mode : undefined;
    if (agentMode !== undefined && Array.isArray(agentMode.tools)) {
      const mapped = (agentMode.tools as unknown[]).map((tool) =>
        isRecord(tool) && typeof tool.provider_id === 'string' && Object.hasOwn(tools, tool.provider_id) ? { ...tool, credential_id: tools[tool.provider_id] } : tool,
      );
      out = setAtPointer(out, '/model_config/agent_mode/tools', mapped);
    }
  }
  return out;
}
