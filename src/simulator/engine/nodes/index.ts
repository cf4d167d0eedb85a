// Node type → handler. Unknown types fail the node with a clear error (never a throw).

import type { NodeHandler, NodeOutcome, RunContext } from '../context.js';
import type { GraphNode } from '../graph.js';
import { answer, end, humanInput, passThrough, start, templateTransform, trigger } from './basic.js';
import { iteration, loop, loopEnd } from './containers.js';
import { agent, llm, parameterExtractor, questionClassifier } from './llm.js';
import { assigner, ifElse, variableAggregator } from './logic.js';
import { code, documentExtractor, httpRequest, knowledgeRetrieval, listOperator, tool } from './placeholders.js';

const HANDLERS: Record<string, NodeHandler> = {
  start,
  end,
  answer,
  'template-transform': templateTransform,
  llm,
  'question-classifier': questionClassifier,
  'parameter-extractor': parameterExtractor,
  agent,
  'if-else': ifElse,
  'variable-aggregator': variableAggregator,
  'variable-assigner': variableAggregator,
  assigner,
  code,
  'http-request': httpRequest,
  tool,
  'knowledge-retrieval': knowledgeRetrieval,
  'document-extractor': documentExtractor,
  'list-operator': listOperator,
  iteration,
  'iteration-start': passThrough,
  loop,
  'loop-start': passThrough,
  'loop-end': loopEnd,
  'human-input': humanInput,
  'trigger-webhook': trigger,
  'trigger-schedule': passThrough,
  'trigger-plugin': passThrough,
  datasource: passThrough,
  'knowledge-index': passThrough,
};

export function runNode(node: GraphNode, ctx: RunContext): NodeOutcome {
  const handler = Object.hasOwn(HANDLERS, node.type) ? HANDLERS[node.type] : undefined;
  if (!handler) return { status: 'failed', error: `Node type '${node.type}' is not supported by the simulator` };
  return handler(node, ctx);
}

export const SUPPORTED_NODE_TYPES: readonly string[] = Object.keys(HANDLERS);
