// Every knowledge-base id a DSL document names: knowledge-retrieval nodes (`dataset_ids`) and, for
// chat apps, `model_config.dataset_configs.datasets.datasets[].dataset.id`.

import { isRecord, nodesOf, type DslDocument } from './types.js';

export function datasetIdsOf(dsl: DslDocument): string[] {
  const ids: string[] = [];
  for (const node of nodesOf(dsl)) {
    if (node.data.type !== 'knowledge-retrieval' || !Array.isArray(node.data.dataset_ids)) continue;
    for (const id of node.data.dataset_ids) if (typeof id === 'string') ids.push(id);
  }
  const configs = dsl.model_config?.dataset_configs;
  const datasets = isRecord(configs) && isRecord(configs.datasets) ? configs.datasets.datasets : undefined;
  if (Array.isArray(datasets)) {
    for (const entry of datasets) {
      const id = isRecord(entry) && isRecord(entry.dataset) ? entry.dataset.id : undefined;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}
