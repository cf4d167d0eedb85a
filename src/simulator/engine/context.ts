// Shared state of one engine run and the shape of a node handler's result.

import type { GraphNode, ParsedGraph } from './graph.js';
import type { EngineEvent, TokenUsage } from './types.js';
import type { VariablePool } from './variable-pool.js';

export type NodeOutcome =
  | {
      status: 'succeeded';
      outputs: Record<string, unknown>;
      /** Source handle to follow (if-else case id, class id, …); default `source`. */
      handle?: string;
      inputs?: Record<string, unknown>;
      usage?: TokenUsage;
      latencyMs?: number;
    }
  | {
      status: 'failed';
      error: string;
      errorType?: string;
      inputs?: Record<string, unknown>;
      usage?: TokenUsage;
      latencyMs?: number;
    };

export type SubgraphResult = { status: 'succeeded' } | { status: 'failed'; error: string };

export interface RunContext {
  mode: 'workflow' | 'advanced-chat';
  graph: ParsedGraph;
  pool: VariablePool;
  /** Validated run inputs (the start node's outputs). */
  inputs: Record<string, unknown>;
  events: EngineEvent[];
  usage: TokenUsage;
  /** Top-level node executions so far (Dify's total_steps); bounded by MAX_STEPS. */
  steps: number;
  /** Node executions inside iteration and loop bodies; bounded by MAX_INNER_STEPS. */
  innerSteps: number;
  /** Nodes that ended as `exception` (error_strategy handled their failure). */
  exceptions: number;
  answer: string;
  endOutputs: Record<string, unknown>;
  /** Normalised provider ids configured without a valid active credential. */
  unavailableProviders: ReadonlySet<string>;
  /** LLM-family nodes whose `text` an end node outputs (streamed as text_chunk in workflow mode). */
  streamedNodes: ReadonlySet<string>;
  /** Set by a loop-end node; read and cleared by the enclosing loop. */
  loopBreak: boolean;
  /** Runs the body of a container node from its start node. */
  runSubgraph: (parentId: string, rootId: string) => SubgraphResult;
}

export type NodeHandler = (node: GraphNode, ctx: RunContext) => NodeOutcome;

export const MAX_STEPS = 500;
export const MAX_INNER_STEPS = 10_000;
