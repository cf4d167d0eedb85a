// The package's public entry (`import { broadcast } from 'dify-gitops'`): a plain list of
// re-exports. Everything else under src/ is internal and may change without notice.

export { broadcast, broadcastToTargets, type BroadcastOptions, type RepositoryOptions, type SendOptions } from './broadcast/index.js';
export type {
  AppRequest,
  AppStatus,
  BroadcastAppResult,
  BroadcastJson,
  BroadcastJsonResult,
  BroadcastReport,
  BroadcastSelection,
  BroadcastTarget,
  BroadcastTotals,
  Invocation,
  LatencySummary,
  OutputCheck,
  OutputPreview,
  RunIds,
  SchemaVerdict,
  TokenUsage,
} from './broadcast/index.js';
export { renderBroadcastJson, renderBroadcastText, toBroadcastJson } from './broadcast/index.js';
export { buildRunEnvelope, runApp, type RunAppOptions, type RunEnvelope } from './run/index.js';
export {
  compileOutputSchemas,
  enforceOutput,
  extractJson,
  type CompiledOutputSchema,
  type CompiledOutputSchemas,
  type EnforcedOutput,
  type EnforceOutputOptions,
  type ExtractedJson,
  type FallbackPolicy,
  type OutputSchemaFile,
  type OutputSchemaRegistry,
} from './output/index.js';
export {
  createReplayGuard,
  deliverCallback,
  signPayload,
  verifyCallback,
  type DeliverCallbackOptions,
  type DeliveryResult,
  type ReplayGuard,
  type ReplayGuardOptions,
  type VerifyCallbackInput,
  type VerifyCallbackResult,
} from './callbacks/index.js';
export { createDifyClient, type DifyClient, type DifyClientOptions, type ServiceApiClient } from './dify/index.js';
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator/server.js';
export { Redactor } from './secrets/redactor.js';
