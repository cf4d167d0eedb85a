// Broadcast: the same service-API request to many apps in parallel, with per-app timeouts, schema
// checks after repair and totals. docs/broadcast.md. `invokeApp` is also what `run` uses.
export { broadcast, loadRepo, type BroadcastOptions, type RepositoryOptions } from './broadcast.js';
export { broadcastToTargets, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type SendOptions } from './send.js';
export { assessOutput, type OutputCheck } from './assess-output.js';
export { DEFAULT_USER, invokeApp, type InvokeOptions } from './invoke-app.js';
export { loadOutputCheck } from './output-check.js';
export { previewOutput, truncate, type OutputPreview } from './preview.js';
export { BROADCAST_JSON_VERSION, idsJson, renderBroadcastJson, toBroadcastJson, type BroadcastJson, type BroadcastJsonResult } from './render-json.js';
export { formatMs, renderBroadcastText } from './render-text.js';
export { resolveTargets, type ResolveTargetsOptions } from './resolve-targets.js';
export { selectBroadcastApps } from './select-apps.js';
export { latencySummary, percentile, summarizeResults } from './summarize.js';
export type * from './types.js';
