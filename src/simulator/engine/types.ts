// The contract between the simulator's HTTP layer and its deterministic workflow engine.
// The engine is pure: given a graph and inputs it returns the run's events and result; the
// HTTP layer turns events into Dify's blocking JSON or SSE frames (contract §8.3, §8.4).

export interface WorkflowGraph {
  nodes: unknown[];
  edges: unknown[];
}

export interface GraphRunRequest {
  mode: 'workflow' | 'advanced-chat';
  graph: WorkflowGraph;
  /** Validated user inputs (start-node variables). */
  inputs: Record<string, unknown>;
  /** advanced-chat only. */
  query?: string;
  /** Env var name → plaintext value (secrets decrypted). */
  environment: Record<string, unknown>;
  /** Conversation variable name → current value. */
  conversation: Record<string, unknown>;
  /** `sys.*` values: user_id, app_id, workflow_id, workflow_run_id, conversation_id, dialogue_count, files, timestamp. */
  sys: Record<string, unknown>;
  /**
   * Normalised provider ids (`langgenius/openai/openai`) that are configured in the workspace but
   * have no valid active credential: LLM-family nodes using them fail like Dify's
   * ProviderTokenNotInitError. Absent or empty: every provider works (hosted-quota behaviour).
   */
  unavailableProviders?: readonly string[];
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export type EngineEvent =
  | {
      type: 'node_started';
      nodeId: string;
      nodeType: string;
      title: string;
      index: number;
      predecessorNodeId: string | null;
      inputs: Record<string, unknown>;
    }
  | {
      type: 'node_finished';
      nodeId: string;
      nodeType: string;
      title: string;
      index: number;
      predecessorNodeId: string | null;
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
      status: 'succeeded' | 'failed' | 'exception';
      error: string | null;
      usage: TokenUsage;
      /** Simulated model latency (stub `SLEEP_MS:` directive); the HTTP layer waits this long before emitting the event. */
      latencyMs: number;
    }
  /** Workflow-mode streaming output (from end-node-bound LLM output or answer text). */
  | { type: 'text_chunk'; text: string; fromVariableSelector: string[] }
  /** advanced-chat answer chunk (answer nodes). */
  | { type: 'message'; answer: string; fromVariableSelector: string[] | null };

export interface GraphRunResult {
  status: 'succeeded' | 'failed' | 'partial-succeeded';
  /** End-node outputs (workflow mode); {} for advanced-chat. */
  outputs: Record<string, unknown>;
  /** Concatenated answer (advanced-chat); '' for workflow mode. */
  answer: string;
  error: string | null;
  events: EngineEvent[];
  usage: TokenUsage;
  totalSteps: number;
  /** Updated conversation variables (assigner nodes), advanced-chat. */
  conversation: Record<string, unknown>;
}

/** Chat, agent-chat and completion apps run their model_config's pre_prompt through the stub model. */
export interface ModelConfigRunRequest {
  mode: 'chat' | 'agent-chat' | 'completion';
  modelConfig: Record<string, unknown>;
  inputs: Record<string, unknown>;
  query: string;
  /** As in GraphRunRequest. */
  unavailableProviders?: readonly string[];
}

export interface ModelConfigRunResult {
  answer: string;
  usage: TokenUsage;
  /** Set when the stub model was told to fail (a model invocation error). */
  error: { code: string; message: string } | null;
  /** Simulated model latency (stub `SLEEP_MS:` directive). */
  latencyMs: number;
}
